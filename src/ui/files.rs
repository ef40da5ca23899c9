//! Files in and out of the browser: a download of bytes the app made, and the bytes of a file
//! the user picked. What the bytes mean is decided elsewhere (`project::file`).

use wasm_bindgen::JsCast;

use super::i18n::{text, text_with};

/// Offer `bytes` as a download named `name`.
pub fn download(name: &str, bytes: &[u8], mime: &str) -> Result<(), String> {
    let fail = |e: wasm_bindgen::JsValue| {
        text_with(
            "file-download-failed",
            &[("error", format!("{e:?}").into())],
        )
    };
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| text("file-no-document"))?;
    let anchor: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The bytes of the first file picked in an `<input type="file">`, with its name.
pub async fn read_picked(input: &web_sys::HtmlInputElement) -> Result<(String, Vec<u8>), String> {
    let file = input
        .files()
        .and_then(|f| f.get(0))
        .ok_or_else(|| text("file-none-chosen"))?;
    Ok((file.name(), read_file(&file).await?))
}

/// The largest file Inkling reads (its largest import: a project or profile file); each
/// importer then checks its own, smaller or equal, limit.
const MAX_READ_BYTES: f64 = crate::project::file::MAX_FILE_BYTES as f64;

/// The bytes of a file (picked or dropped). One past [`MAX_READ_BYTES`] is refused by its size
/// before anything is read (a huge file never reaches memory).
pub async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, String> {
    if file.size() > MAX_READ_BYTES {
        return Err(text_with(
            "file-too-big",
            &[
                ("file", file.name().into()),
                ("bytes", file.size().into()),
                ("limit", MAX_READ_BYTES.into()),
            ],
        ));
    }
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| text_with("file-unreadable", &[("error", format!("{e:?}").into())]))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The files of a drop or a multiple pick, taken from the list at once (a drop's list is
/// emptied once its event is over).
pub fn files_of(list: &web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Most bytes read from one drop or pick of many files (each file is bounded too).
const MAX_READ_AT_ONCE: f64 = 256.0 * 1024.0 * 1024.0;

/// Each file's name and its bytes, or why it could not be read. Only the first `most` are
/// read, and only while they come to at most [`MAX_READ_AT_ONCE`] bytes together; the rest
/// are named as not read.
pub async fn read_files(
    files: Vec<web_sys::File>,
    most: usize,
) -> Vec<(String, Result<Vec<u8>, String>)> {
    let mut read = Vec::new();
    let mut total = 0.0;
    for (i, file) in files.into_iter().enumerate() {
        total += file.size();
        let bytes = if i < most && total <= MAX_READ_AT_ONCE {
            read_file(&file).await
        } else {
            Err(text_with(
                "file-too-many",
                &[
                    ("most", most.into()),
                    ("mb", (MAX_READ_AT_ONCE / 1048576.0).into()),
                ],
            ))
        };
        read.push((file.name(), bytes));
    }
    read
}

/// For an `<input type="file">`'s change event: the picked file's name and bytes go to
/// `use_file` (or the reason it could not be read to `fail`), then the input is emptied so the
/// same file can be picked again.
pub fn on_file_picked(
    ev: leptos::ev::Event,
    use_file: impl FnOnce(String, Vec<u8>) + 'static,
    fail: impl FnOnce(String) + 'static,
) {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    leptos::task::spawn_local(async move {
        match read_picked(&input).await {
            Ok((name, bytes)) => use_file(name, bytes),
            Err(e) => fail(e),
        }
        input.set_value("");
    });
}

/// A file name from a project name: letters, digits and dashes only.
pub fn file_name(project: &str, extension: &str) -> String {
    let stem: String = project
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let stem = stem.trim_matches('-');
    let stem = if stem.is_empty() { "project" } else { stem };
    format!("{stem}.{extension}")
}
