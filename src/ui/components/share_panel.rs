//! "Share with the class": the student's contribution to a class model. It holds, per class,
//! the sum and the count of the examples' embeddings (numbers the model computed), the
//! fine-tuned head when there is one, the class names and the project's random contributor id;
//! never a drawing, a sentence or a name. The student chooses the minimum number of examples a
//! class needs to be shared and whether to add differential privacy (epsilon and delta stated),
//! then sees exactly what the file holds, made and waiting, before it is downloaded.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::federated::contribution::{Contribution, ShareOptions, Stamp};
use crate::federated::privacy::{DRAWING_CLIP, DpParams, TEXT_CLIP};
use crate::federated::share::{ClassShare, ShareError, class_shares, contribution_of};
use crate::personal::ProjectId;
use crate::project::ProjectKind;
use crate::ui::i18n::{Said, said, t, tw};
use crate::ui::library::{Workspace, encoder_id};
use crate::ui::sharing::{BrowserRandom, contributor};

/// The delta of differential privacy: below one in the number of examples of any class.
const DELTA: f64 = 1e-5;
/// The epsilons offered (smaller: more private, noisier).
const EPSILONS: [f64; 3] = [1.0, 0.5, 0.1];

/// A contribution made and shown, for the project and the revision it was made from.
#[derive(Clone)]
struct Prepared {
    project: ProjectId,
    name: String,
    bytes: Vec<u8>,
    contribution: Contribution,
    shares: Vec<ClassShare>,
}

/// The options, the preview of the file and its download.
#[component]
pub fn SharePanel() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let min_examples = RwSignal::new(2usize);
    // None: no differential privacy; else its epsilon.
    let epsilon = RwSignal::new(None::<f64>);
    let prepared = RwSignal::new(None::<Prepared>);
    // A preview shows what the file would hold now: any change of the project (an example,
    // an embedding, a head, a class model, another project) or of the options makes it stale,
    // and so does a preview that was being made meanwhile (`changes`).
    let changes = StoredValue::new(0u64);
    Effect::new(move |_| {
        ws.open.with(|o| (o.id().clone(), o.revision()));
        min_examples.track();
        epsilon.track();
        changes.update_value(|n| *n += 1);
        prepared.set(None);
    });
    // One file is prepared at a time (the first of a project also makes its contributor id).
    let preparing = StoredValue::new(false);
    let prepare = move |_| {
        if preparing.get_value() {
            return;
        }
        let (project, kind, waiting) = ws.open.with_untracked(|o| {
            let waiting = o
                .project()
                .classes
                .iter()
                .flat_map(|c| &c.examples)
                .filter(|e| !o.is_embedded(e.id))
                .count();
            (o.id().clone(), o.project().kind, waiting)
        });
        if waiting > 0 {
            ws.status.set(said("share-wait-embeddings"));
            return;
        }
        let clip = match kind {
            ProjectKind::Drawing => DRAWING_CLIP,
            ProjectKind::Text | ProjectKind::MultilingualText => TEXT_CLIP,
        };
        let dp = match epsilon
            .get_untracked()
            .map(|e| DpParams::new(e, DELTA, clip))
        {
            None => None,
            Some(Ok(dp)) => Some(dp),
            Some(Err(e)) => return ws.status.set(Said::raw(e)),
        };
        let options = ShareOptions {
            min_examples: min_examples.get_untracked(),
            dp,
            head: true,
        };
        let asked = changes.get_value();
        preparing.set_value(true);
        spawn_local(async move {
            let id = contributor(ws, &project).await;
            if preparing.try_set_value(false).is_some() {
                // The panel is gone.
                return;
            }
            let id = match id {
                Ok(id) => id,
                Err(e) => return ws.status.set(Said::raw(e)),
            };
            if changes.get_value() != asked {
                // The project or the options changed meanwhile: press again for a new preview.
                return;
            }
            // Made from the project as it is now, if it is still the open one.
            let made = ws.open.with_untracked(|o| {
                (*o.id() == project).then(|| {
                    let set = o.training_set();
                    let stamp = Stamp {
                        contributor: id,
                        made_ms: js_sys::Date::now(),
                    };
                    let made = contribution_of(
                        &set,
                        o.tuned(),
                        &encoder_id(kind),
                        &options,
                        stamp,
                        &mut BrowserRandom,
                    );
                    (made, set, o.project().name.clone())
                })
            });
            let Some((made, set, name)) = made else {
                return;
            };
            match made {
                Ok(contribution) => prepared.set(Some(Prepared {
                    project,
                    name,
                    bytes: contribution.export(),
                    shares: class_shares(&set, &contribution),
                    contribution,
                })),
                Err(ShareError::NothingEmbedded) => ws.status.set(said("share-nothing")),
            }
        });
    };
    let save = move |_| {
        let Some(p) = prepared.get_untracked() else {
            return;
        };
        if ws.open.with_untracked(|o| *o.id() != p.project) {
            return;
        }
        ws.download_json(&p.name, "contribution.json", &p.bytes);
    };
    view! {
        <h3>{t("share-title")}</h3>
        <p class="hint">{t("share-hint")}</p>
        <label>
            {t("share-min-examples")}" "
            <input
                type="number"
                min="1"
                max="20"
                data-testid="share-min-examples"
                prop:value=move || min_examples.get().to_string()
                on:change=move |ev| {
                    if let Ok(n) = event_target_value(&ev).trim().parse::<usize>() {
                        min_examples.set(n.clamp(1, 20));
                    }
                }
            />
        </label>
        <br/>
        <label>
            {t("share-privacy")}" "
            <select
                data-testid="share-privacy"
                on:change=move |ev| epsilon.set(event_target_value(&ev).parse::<f64>().ok())
            >
                <option value="off" selected=move || epsilon.get().is_none()>{t("share-privacy-off")}</option>
                {EPSILONS
                    .iter()
                    .map(|&e| view! {
                        <option value=e.to_string() selected=move || epsilon.get() == Some(e)>
                            {move || tw("share-privacy-epsilon", &[("epsilon", e.into()), ("delta", DELTA.into())])}
                        </option>
                    })
                    .collect_view()}
            </select>
        </label>
        {move || epsilon.get().map(|e| view! {
            <p class="hint" data-testid="share-privacy-stated">
                {move || tw("share-privacy-explained", &[("epsilon", e.into()), ("delta", DELTA.into())])}
            </p>
        })}
        <br/>
        <button data-testid="share-prepare" on:click=prepare>{t("share-prepare")}</button>
        {move || prepared.get().map(|p| view! { <Preview prepared=p/> })}
        {move || prepared.with(Option::is_some).then(|| view! {
            <button data-testid="share-download" on:click=save>{t("share-download")}</button>
        })}
    }
}

/// Exactly what the file holds, class by class, and the file itself as text.
#[component]
fn Preview(prepared: Prepared) -> impl IntoView {
    let c = &prepared.contribution;
    let min = c.min_examples;
    let noised = c.dp.is_some();
    let rows = prepared
        .shares
        .iter()
        .map(|s| {
            let examples = s.examples;
            let in_file = s.shared;
            view! {
                <tr data-testid="share-class" data-shared=in_file.is_some().to_string()>
                    <td>{s.name.clone()}</td>
                    <td>{examples}</td>
                    <td>{move || match in_file {
                        // Exact without noise; a real number under differential privacy.
                        Some(count) if noised => tw("share-class-shared", &[("count", format!("{count:.1}").into())]),
                        Some(count) => tw("share-class-shared", &[("count", format!("{count:.0}").into())]),
                        None => tw("share-class-kept", &[("min", min.into())]),
                    }}</td>
                </tr>
            }
        })
        .collect_view();
    let head = c.head.as_ref().map(|h| h.examples);
    let dim = c.dim;
    let kb = format!("{:.1}", prepared.bytes.len() as f64 / 1024.0);
    let contributor = c.contributor.as_str().to_string();
    let dp = c.dp;
    let text = String::from_utf8_lossy(&prepared.bytes).into_owned();
    view! {
        <div class="share-preview" data-testid="share-preview" data-bytes=prepared.bytes.len()>
            <p>{move || tw("share-holds", &[("dim", dim.into())])}</p>
            <table class="scores">
                <tr>
                    <th>{t("eval-col-class")}</th>
                    <th>{t("share-col-examples")}</th>
                    <th>{t("share-col-in-file")}</th>
                </tr>
                {rows}
            </table>
            <p>{move || match head {
                Some(n) => tw("share-head-included", &[("examples", n.into())]),
                None => tw("share-head-not-included", &[]),
            }}</p>
            <p>{move || match dp {
                Some(dp) => tw("share-privacy-epsilon", &[("epsilon", dp.epsilon.into()), ("delta", dp.delta.into())]),
                None => tw("share-privacy-none", &[]),
            }}</p>
            <p>{move || tw("share-contributor", &[("id", contributor.clone().into())])}</p>
            <p>{move || tw("share-size", &[("kb", kb.clone().into())])}</p>
            <details>
                <summary>{t("share-show-file")}</summary>
                <pre class="file-text" data-testid="share-file-text">{text}</pre>
            </details>
        </div>
    }
}
