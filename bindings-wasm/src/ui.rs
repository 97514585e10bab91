//! Interface strings: the words of the host's own screens, from the core's one catalogue
//! ([`kru_core::ui`]).
//!
//! The built-in catalogues (English and Khmer) are not linked into the module, to keep it
//! small: they ship as data next to it, compiled from `core/src/ui/*.toml` by `cargo xtask
//! wasm` into the form that needs no parsing (`ui/en.txt`, `ui/km.txt` in the package, see
//! [`kru_core::ui::table`]: the module carries no TOML reader), and the host hands their text
//! in.

use alloc::string::String;
use alloc::vec::Vec;
use kru_core::ui::UiStrings;
use kru_core::ErrorCode;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::error::KruError;
use crate::pack::Pack;

fn builtins_of(builtins: &[String]) -> Result<Vec<(&str, &str)>, KruError> {
    if builtins.len() % 2 != 0 {
        return Err(KruError::argument(
            ErrorCode::InvalidArgument,
            "builtins must be pairs: tag, text, tag, text, … (English first)",
        ));
    }
    Ok(builtins
        .chunks_exact(2)
        .filter_map(|c| match c {
            [tag, text] => Some((tag.as_str(), text.as_str())),
            _ => None,
        })
        .collect())
}

/// Every interface string for the language chain `languages` (exact tags, best first;
/// English is always last), as a JSON object `{"next": "Next", …}`, from the built-in
/// catalogues only. `builtins` is the flat list `[tag, text, tag, text, …]` of the package's
/// `ui/<tag>.txt` files (compiled catalogues), English first. Throws `ui-bad-catalogue` when a
/// text is not a compiled catalogue.
#[wasm_bindgen(js_name = uiStrings)]
pub fn ui_strings(languages: Vec<String>, builtins: Vec<String>) -> Result<String, KruError> {
    let langs: Vec<&str> = languages.iter().map(String::as_str).collect();
    let b = builtins_of(&builtins)?;
    Ok(UiStrings::resolve_tables(&langs, None, &b)?.to_json())
}

#[wasm_bindgen]
impl Pack {
    /// Every interface string for the language chain `languages` (the pack's tags, e.g. the
    /// session's language then the others, best first), as a JSON object: the pack's own
    /// `[interface]` strings win over the built-in ones, language by language; English last.
    /// `builtins` as for `uiStrings`.
    #[wasm_bindgen(js_name = uiStrings)]
    pub fn ui_strings(
        &self,
        languages: Vec<String>,
        builtins: Vec<String>,
    ) -> Result<String, KruError> {
        let langs: Vec<&str> = languages.iter().map(String::as_str).collect();
        let b = builtins_of(&builtins)?;
        Ok(UiStrings::resolve_tables(&langs, Some(&self.inner), &b)?.to_json())
    }
}
