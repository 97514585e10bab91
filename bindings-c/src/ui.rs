//! Interface strings: the words of a host's screens (buttons, hints, feedback, learner-facing
//! error messages) in the learner's language, from the core's one catalogue
//! ([`kru_core::ui`]): a pack's own `[interface]` strings win over kru's built-in ones.

use kru_core::ui::UiStrings;
use kru_core::ErrorCode;

use crate::bytes::{kru_bytes, new_bytes};
use crate::error::Failure;
use crate::ffi::{self, handle, kru_str, out};
use crate::kru_result::{self, *};
use crate::pack::{kru_pack, pack_ref};
use crate::panic::{boundary, boundary_void};
use crate::session::languages_arg;

/// The interface strings for one language chain, every id resolved. Immutable: it may be
/// used from several threads at once. Create with kru_ui_new(), free with kru_ui_free().
#[allow(non_camel_case_types)]
pub struct kru_ui {
    _private: [u8; 0],
}
handle!(kru_ui => UiStrings, b"kru.ui__");

/// Resolves the interface strings for the host's preferred languages.
///
/// - `pack`: the pack whose own `[interface]` strings win over kru's built-in ones, or NULL
///   for the built-in ones only.
/// - `languages`, `languages_count`: the host's preferred languages, best first, as for
///   kru_session_start() (e.g. the session's language, then `en`). May be NULL when
///   `languages_count` is 0. A string missing in every preferred language is in English.
///
/// Free the handle with kru_ui_free().
#[no_mangle]
pub unsafe extern "C" fn kru_ui_new(
    pack: *const kru_pack,
    languages: *const kru_str,
    languages_count: usize,
    out_ui: *mut *mut kru_ui,
) -> kru_result {
    boundary("kru_ui_new", || {
        // SAFETY: argument contracts of this function.
        let languages = unsafe { languages_arg(languages, languages_count)? };
        let pack = if pack.is_null() {
            None
        } else {
            // SAFETY: as above.
            Some(&**unsafe { pack_ref(pack)? })
        };
        let o = out(out_ui, "out_ui")?;
        o.set(ffi::new_handle::<kru_ui>(UiStrings::for_preferred(
            pack, &languages,
        )));
        Ok(())
    })
}

/// The interface string `id` (UTF-8, e.g. `playTrue`; the ids are those of
/// `core/src/ui/en.toml`). Valid until the handle is freed. `{name}` placeholders are left
/// for the host to fill.
///
/// Errors: KRU_INVALID_ARGUMENT when there is no string `id`.
#[no_mangle]
pub unsafe extern "C" fn kru_ui_get(
    ui: *const kru_ui,
    id: *const core::ffi::c_char,
    id_len: usize,
    out_text: *mut kru_str,
) -> kru_result {
    boundary("kru_ui_get", || {
        // SAFETY: argument contracts of this function.
        let (ui, id) = unsafe { (ffi::borrow(ui, "ui")?, ffi::utf8(id, id_len, "id")?) };
        let o = out(out_text, "out_text")?;
        let text = ui
            .iter()
            .find(|(k, _)| *k == id)
            .map(|(_, v)| v)
            .ok_or_else(|| {
                Failure::new(
                    KRU_INVALID_ARGUMENT,
                    format!("there is no interface string '{id}'"),
                )
            })?;
        o.set(kru_str::of(text));
        Ok(())
    })
}

/// The message to show a learner for a result code (e.g. KRU_BAD_LEARNER_CODE), in the
/// handle's languages: the string `error-<name>`, or a general message for codes without
/// one. Valid until the handle is freed. `{max}` in KRU_BAD_LEARNER_CODE's message is the
/// limit in characters, for the host to fill.
#[no_mangle]
pub unsafe extern "C" fn kru_ui_error(
    ui: *const kru_ui,
    result: u32,
    out_text: *mut kru_str,
) -> kru_result {
    boundary("kru_ui_error", || {
        // SAFETY: argument contract of this function.
        let ui = unsafe { ffi::borrow(ui, "ui")? };
        let o = out(out_text, "out_text")?;
        let text = match ErrorCode::from_number(result) {
            Some(code) => ui.error(code),
            None => ui.get(kru_core::ui::ERROR_OTHER),
        };
        o.set(kru_str::of(text));
        Ok(())
    })
}

/// Every interface string as one JSON object (`{"playTrue": "true", …}`), UTF-8. Free the
/// bytes with kru_bytes_free().
#[no_mangle]
pub unsafe extern "C" fn kru_ui_json(
    ui: *const kru_ui,
    out_json: *mut *mut kru_bytes,
) -> kru_result {
    boundary("kru_ui_json", || {
        // SAFETY: argument contract of this function.
        let ui = unsafe { ffi::borrow(ui, "ui")? };
        let o = out(out_json, "out_json")?;
        o.set(new_bytes(ui.to_json().into_bytes()));
        Ok(())
    })
}

/// Frees an interface-strings handle. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn kru_ui_free(ui: *mut kru_ui) {
    // SAFETY: argument contract of this function.
    boundary_void("kru_ui_free", || unsafe { ffi::free(ui, "ui") });
}
