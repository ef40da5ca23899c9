//! What a project shares with its class, kept on this device beside the project (settings
//! under `store::records::Shared` keys): the project's contributor id, the contributions a
//! teacher gathered (the pool) and the class model under the project's own examples. Also the
//! randomness a contribution is made with (the browser's cryptographic generator: the noise of
//! differential privacy must not be guessable).

use leptos::prelude::GetUntracked;
use rand::RngCore;

use crate::federated::contribution::ContributorId;
use crate::federated::pool::ClassPool;
use crate::personal::ProjectId;
use crate::store::records::{SETTINGS, Shared};

use super::library::Workspace;

/// Random numbers from the browser's `crypto.getRandomValues`.
pub struct BrowserRandom;

impl RngCore for BrowserRandom {
    fn next_u32(&mut self) -> u32 {
        let mut bytes = [0u8; 4];
        self.fill_bytes(&mut bytes);
        u32::from_le_bytes(bytes)
    }

    fn next_u64(&mut self) -> u64 {
        let mut bytes = [0u8; 8];
        self.fill_bytes(&mut bytes);
        u64::from_le_bytes(bytes)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        // The browser always has it (Inkling needs WebAssembly, which came after it).
        getrandom::fill(dest).expect("crypto.getRandomValues is available");
    }
}

/// The project's contributor id: the stored one, else a new one, stored before it is used (so
/// every contribution of this project carries the same id, and a newer one replaces the older
/// one in a pool).
pub async fn contributor(ws: Workspace, project: &ProjectId) -> Result<ContributorId, String> {
    let store = ws
        .store
        .get_untracked()
        .ok_or_else(|| super::i18n::text("share-needs-store"))?;
    let key = Shared::Contributor.key(project.as_str());
    if let Some(id) = store.setting(&key).await.map_err(|e| e.to_string())?
        && let Ok(id) = ContributorId::parse(&id)
    {
        return Ok(id);
    }
    let id = ContributorId::random(&mut BrowserRandom);
    store
        .set_setting(&key, id.as_str())
        .await
        .map_err(|e| e.to_string())?;
    Ok(id)
}

/// What the store holds of a project's gathered contributions.
pub enum StoredPool {
    /// Nothing gathered yet.
    Nothing,
    Pool(ClassPool),
    /// A stored pool that could not be read (why): kept aside (`Store::set_aside`), so a new
    /// gathering starts empty without writing over it.
    SetAside(String),
}

/// The contributions gathered into `project`. An error is the store's: nothing may be
/// gathered then (it would be written over what the store could not read).
pub async fn load_pool(ws: Workspace, project: &ProjectId) -> Result<StoredPool, String> {
    let Some(store) = ws.store.get_untracked() else {
        return Ok(StoredPool::Nothing);
    };
    let key = Shared::Pool.key(project.as_str());
    let json = match store.setting(&key).await.map_err(|e| e.to_string())? {
        Some(json) if !json.is_empty() => json,
        _ => return Ok(StoredPool::Nothing),
    };
    match ClassPool::import(json.as_bytes()) {
        Ok(pool) => Ok(StoredPool::Pool(pool)),
        Err(e) => {
            store
                .set_aside(SETTINGS, &key, &json, js_sys::Date::now())
                .await
                .map_err(|e| e.to_string())?;
            Ok(StoredPool::SetAside(e.to_string()))
        }
    }
}

/// Keep `pool` as `project`'s gathered contributions.
pub async fn save_pool(ws: Workspace, project: &ProjectId, pool: &ClassPool) -> Result<(), String> {
    let store = ws
        .store
        .get_untracked()
        .ok_or_else(|| super::i18n::text("share-needs-store"))?;
    let json = String::from_utf8(pool.export()).expect("JSON is UTF-8");
    store
        .set_setting(&Shared::Pool.key(project.as_str()), &json)
        .await
        .map_err(|e| e.to_string())
}
