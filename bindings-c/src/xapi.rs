//! A result record as xAPI 1.0.3 statements, for hosts that send results to a Learning Record
//! Store (the mapping: docs/xapi.md).

use core::ffi::c_char;

use kru_core::xapi::{self, XapiError, XapiOptions};

use crate::bytes::{kru_bytes, new_bytes};
use crate::error::Failure;
use crate::ffi::{self, out};
use crate::kru_result;
use crate::pack::{kru_pack, pack_ref};
use crate::panic::boundary;
use crate::record::kru_record;

impl From<XapiError> for Failure {
    fn from(e: XapiError) -> Self {
        Failure::new(e.code().into(), e.to_string())
    }
}

/// The record as xAPI 1.0.3 statements: a JSON array (UTF-8), ready to POST to an LRS's
/// `statements` resource with the header `X-Experience-API-Version: 1.0.3`. The statements
/// follow kru's xAPI profile (docs/xapi.md): the journey's start, one `answered` per response,
/// one per quiz phase, the journey's end; the actor is an account of `home_page` named by the
/// learner code. Statement ids are derived from the record id, so sending a record twice
/// cannot store it twice.
///
/// `home_page` (UTF-8) is the deployment's home page, an absolute http(s) IRI such as
/// `https://kru.example.org/pilot`. `pack_signer` (UTF-8, may be NULL when its length is 0) is
/// the key id of the pack's signer when the host knows it (16 hex digits).
///
/// Acknowledgement bookkeeping stays with the host: after the LRS answers 200 (with the ids),
/// or 204, for all of a record's statements, note its id (kru_record_id()) as sent; an LRS
/// that answers 409 already holds a statement with one of the ids. See docs/c-api.md.
/// Free the result with kru_bytes_free().
///
/// Errors: KRU_XAPI_RECORD_NOT_IN_PACK (the record is of another pack, or names a journey,
/// phase or item the pack does not have), KRU_XAPI_BAD_HOME_PAGE, KRU_XAPI_ERROR (a
/// timestamp outside the years 0001–9999), KRU_INVALID_UTF8, KRU_NULL_ARGUMENT.
#[no_mangle]
pub unsafe extern "C" fn kru_record_xapi_json(
    record: *const kru_record,
    pack: *const kru_pack,
    home_page: *const c_char,
    home_page_len: usize,
    pack_signer: *const c_char,
    pack_signer_len: usize,
    out_json: *mut *mut kru_bytes,
) -> kru_result {
    boundary("kru_record_xapi_json", || {
        // SAFETY: argument contracts of this function.
        let (r, pack, home_page, signer) = unsafe {
            (
                ffi::borrow(record, "record")?,
                pack_ref(pack)?,
                ffi::utf8(home_page, home_page_len, "home_page")?,
                ffi::utf8(pack_signer, pack_signer_len, "pack_signer")?,
            )
        };
        let o = out(out_json, "out_json")?;
        let options = XapiOptions {
            home_page,
            pack_signer: (!signer.is_empty()).then_some(signer),
        };
        let json = xapi::record_statements_json(r, pack, &options)?;
        o.set(new_bytes(json.into_bytes()));
        Ok(())
    })
}
