//! Trust policies, loading packs, and reading what a pack offers (journeys, languages, the
//! whole catalogue as JSON): the accessors read the core's catalogue
//! ([`kru_core::pack::catalogue`]).

use std::sync::Arc;

use kru_core::pack::catalogue::{self, PackCatalogue, Resolved};
use kru_core::pack::signature::{self, TrustPolicy};
use kru_core::pack::{Date, TranslationStatus};
use kru_core::Pack;

use crate::bytes::{kru_bytes, new_bytes};
use crate::error::{Failure, FfiResult};
use crate::ffi::{self, handle, kru_label, kru_str, out};
use crate::kru_result::{self, *};
use crate::panic::{boundary, boundary_void};
use crate::session::languages_arg;

/// Which packs a host accepts: a set of trusted Ed25519 public keys and whether unsigned
/// packs are allowed (development only). Create with kru_trust_new(), free with
/// kru_trust_free().
///
/// Threads: set it up from one thread; once set up it may be used by several threads at
/// once (kru_pack_load only reads it).
#[allow(non_camel_case_types)]
pub struct kru_trust {
    _private: [u8; 0],
}
handle!(kru_trust => TrustPolicy, b"kru.trst");

/// A loaded, verified content pack. Immutable: it may be used from several threads at
/// once. Sessions keep their own reference to the pack, so the pack handle may be freed
/// while its sessions live on. Create with kru_pack_load(), free with kru_pack_free().
#[allow(non_camel_case_types)]
pub struct kru_pack {
    _private: [u8; 0],
}
handle!(kru_pack => LoadedPack, b"kru.pack");

/// What a pack handle holds: the pack, and the public key that signed it (None when
/// unsigned), for the catalogue.
pub(crate) struct LoadedPack {
    pack: Arc<Pack>,
    signer: Option<[u8; 32]>,
}

/// Creates an empty trust policy: no trusted keys, unsigned packs refused. Add keys with
/// kru_trust_add_key(). Free with kru_trust_free().
#[no_mangle]
pub unsafe extern "C" fn kru_trust_new(out_trust: *mut *mut kru_trust) -> kru_result {
    boundary("kru_trust_new", || {
        let o = out(out_trust, "out_trust")?;
        o.set(ffi::new_handle::<kru_trust>(TrustPolicy::default()));
        Ok(())
    })
}

/// Trusts packs signed by the Ed25519 public key `key`: 32 raw bytes (`key_len` must be 32).
/// `kru keygen` writes the public key in hex; pass that text to kru_trust_add_key_hex(), or
/// decode it to bytes first.
///
/// Errors: KRU_INVALID_ARGUMENT when `key_len` is not 32, KRU_INVALID_PUBLIC_KEY when the
/// bytes are not a valid Ed25519 key.
#[no_mangle]
pub unsafe extern "C" fn kru_trust_add_key(
    trust: *mut kru_trust,
    key: *const u8,
    key_len: usize,
) -> kru_result {
    boundary("kru_trust_add_key", || {
        // SAFETY: argument contracts of this function.
        let (trust, key) = unsafe {
            (
                ffi::borrow_mut(trust, "trust")?,
                ffi::slice(key, key_len, "key")?,
            )
        };
        let key: &[u8; 32] = key.try_into().map_err(|_| {
            Failure::new(
                KRU_INVALID_ARGUMENT,
                format!("argument `key` must be a 32-byte Ed25519 public key, not {key_len} bytes"),
            )
        })?;
        Ok(trust.add_key(key)?)
    })
}

/// Trusts packs signed by the Ed25519 public key written in hex (`hex`, `hex_len`: UTF-8, not
/// NUL-terminated): the 64 hex digits that `kru keygen` writes to its `.pub` file. Spaces
/// and line ends around the digits are ignored, so the file's contents can be passed as
/// they are. kru_trust_add_key() takes the same key as 32 raw bytes.
///
/// Errors: KRU_INVALID_UTF8, KRU_INVALID_ARGUMENT when the text is not 64 hex digits,
/// KRU_INVALID_PUBLIC_KEY when the key is not a valid Ed25519 key.
#[no_mangle]
pub unsafe extern "C" fn kru_trust_add_key_hex(
    trust: *mut kru_trust,
    hex: *const core::ffi::c_char,
    hex_len: usize,
) -> kru_result {
    boundary("kru_trust_add_key_hex", || {
        // SAFETY: argument contracts of this function.
        let (trust, hex) = unsafe {
            (
                ffi::borrow_mut(trust, "trust")?,
                ffi::utf8(hex, hex_len, "hex")?,
            )
        };
        let digits = hex.trim().as_bytes();
        let bad = || {
            Failure::new(
                KRU_INVALID_ARGUMENT,
                format!(
                    "argument `hex` must be 64 hex digits (a `kru keygen` .pub file), not {:?}",
                    hex.trim().chars().take(80).collect::<String>()
                ),
            )
        };
        if digits.len() != 64 {
            return Err(bad());
        }
        let mut key = [0u8; 32];
        for (byte, pair) in key.iter_mut().zip(digits.chunks_exact(2)) {
            let text = core::str::from_utf8(pair).map_err(|_| bad())?;
            *byte = u8::from_str_radix(text, 16).map_err(|_| bad())?;
        }
        trust
            .add_key(&key)
            .map_err(|e| Failure::new(KRU_INVALID_PUBLIC_KEY, e.to_string()))
    })
}

/// For development: also accept unsigned packs. A pack that *is* signed must still verify (a
/// broken signature means tampering), though its signer need not be trusted. Never do this
/// on a device in the field.
#[no_mangle]
pub unsafe extern "C" fn kru_trust_allow_unsigned(trust: *mut kru_trust) -> kru_result {
    boundary("kru_trust_allow_unsigned", || {
        // SAFETY: argument contract of this function.
        let trust = unsafe { ffi::borrow_mut(trust, "trust")? };
        *trust = core::mem::take(trust).allow_unsigned();
        Ok(())
    })
}

/// Frees a trust policy. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn kru_trust_free(trust: *mut kru_trust) {
    // SAFETY: argument contract of this function.
    boundary_void("kru_trust_free", || unsafe { ffi::free(trust, "trust") });
}

/// Loads a pack file from bytes: checks its header, checksum, signature against `trust`,
/// payload and invariants, as the core does. The bytes are copied; the caller may free them
/// afterwards. Free the pack with kru_pack_free().
///
/// Errors: one of the KRU_PACK_* codes, with a message that says what is wrong and where
/// (e.g. `invalid pack: items[3].options …`, `pack checksum mismatch at offset 5012 …`).
#[no_mangle]
pub unsafe extern "C" fn kru_pack_load(
    trust: *const kru_trust,
    bytes: *const u8,
    len: usize,
    out_pack: *mut *mut kru_pack,
) -> kru_result {
    boundary("kru_pack_load", || {
        // SAFETY: argument contracts of this function.
        let (trust, bytes) = unsafe {
            (
                ffi::borrow(trust, "trust")?,
                ffi::slice(bytes, len, "bytes")?,
            )
        };
        let o = out(out_pack, "out_pack")?;
        let (pack, signer) = signature::load_with_signer(bytes, trust)?;
        o.set(ffi::new_handle::<kru_pack>(LoadedPack {
            pack: Arc::new(pack),
            signer,
        }));
        Ok(())
    })
}

/// Frees a pack handle. NULL is a no-op. Sessions started from it stay valid.
#[no_mangle]
pub unsafe extern "C" fn kru_pack_free(pack: *mut kru_pack) {
    // SAFETY: argument contract of this function.
    boundary_void("kru_pack_free", || unsafe { ffi::free(pack, "pack") });
}

/// Borrows a pack handle's pack.
///
/// # Safety
/// As [`ffi::borrow`].
pub(crate) unsafe fn pack_ref<'a>(pack: *const kru_pack) -> FfiResult<&'a Arc<Pack>> {
    // SAFETY: forwarded contract.
    unsafe { loaded_ref(pack) }.map(|l| &l.pack)
}

/// Borrows a pack handle.
///
/// # Safety
/// As [`ffi::borrow`].
unsafe fn loaded_ref<'a>(pack: *const kru_pack) -> FfiResult<&'a LoadedPack> {
    // SAFETY: forwarded contract.
    unsafe { ffi::borrow(pack, "pack") }
}

fn language_chain(pack: &Pack, language: usize) -> FfiResult<[u8; 1]> {
    ffi::index(&pack.languages, language, "language")?;
    Ok([u8::try_from(language).unwrap_or(u8::MAX)])
}

/// The pack's id, e.g. `safe-migration`. Valid until the pack handle is freed.
#[no_mangle]
pub unsafe extern "C" fn kru_pack_id(pack: *const kru_pack, out_id: *mut kru_str) -> kru_result {
    boundary("kru_pack_id", || {
        // SAFETY: argument contract of this function.
        let pack = unsafe { pack_ref(pack)? };
        out(out_id, "out_id")?.set(kru_str::of(&pack.meta.id));
        Ok(())
    })
}

/// The pack's content version `major.minor.patch`.
#[no_mangle]
pub unsafe extern "C" fn kru_pack_version(
    pack: *const kru_pack,
    out_major: *mut u16,
    out_minor: *mut u16,
    out_patch: *mut u16,
) -> kru_result {
    boundary("kru_pack_version", || {
        // SAFETY: argument contract of this function.
        let pack = unsafe { pack_ref(pack)? };
        let (a, b, c) = (
            ffi::opt(out_major),
            ffi::opt(out_minor),
            ffi::opt(out_patch),
        );
        let v = pack.meta.version;
        a.set(v.major);
        b.set(v.minor);
        c.set(v.patch);
        Ok(())
    })
}

/// The pack's title in pack language `language` (an index, see kru_pack_language_count()),
/// falling back to another language when it is not translated. Valid until the pack handle
/// is freed.
#[no_mangle]
pub unsafe extern "C" fn kru_pack_title(
    pack: *const kru_pack,
    language: usize,
    out_title: *mut kru_label,
) -> kru_result {
    boundary("kru_pack_title", || {
        // SAFETY: argument contract of this function.
        let pack = unsafe { pack_ref(pack)? };
        let o = out(out_title, "out_title")?;
        let chain = language_chain(pack, language)?;
        o.set(label(Resolved::of(&pack.meta.title, &chain)));
        Ok(())
    })
}

/// The pack's description in pack language `language`, as kru_pack_title().
#[no_mangle]
pub unsafe extern "C" fn kru_pack_description(
    pack: *const kru_pack,
    language: usize,
    out_description: *mut kru_label,
) -> kru_result {
    boundary("kru_pack_description", || {
        // SAFETY: argument contract of this function.
        let pack = unsafe { pack_ref(pack)? };
        let o = out(out_description, "out_description")?;
        let chain = language_chain(pack, language)?;
        o.set(label(Resolved::of(&pack.meta.description, &chain)));
        Ok(())
    })
}

fn label(r: Resolved<'_>) -> kru_label {
    kru_label {
        text: kru_str::of(r.text),
        audio: kru_str::opt(r.audio),
    }
}

/// How many languages the pack has.
#[no_mangle]
pub unsafe extern "C" fn kru_pack_language_count(
    pack: *const kru_pack,
    out_count: *mut usize,
) -> kru_result {
    boundary("kru_pack_language_count", || {
        // SAFETY: argument contract of this function.
        let pack = unsafe { pack_ref(pack)? };
        out(out_count, "out_count")?.set(pack.languages.len());
        Ok(())
    })
}

/// Language `index` of the pack: its BCP 47 tag (e.g. `km`), its own name (e.g. `ខ្មែរ`)
/// and whether its translation was reviewed by a native speaker. Valid until the pack
/// handle is freed.
#[no_mangle]
pub unsafe extern "C" fn kru_pack_language(
    pack: *const kru_pack,
    index: usize,
    out_tag: *mut kru_str,
    out_name: *mut kru_str,
    out_reviewed: *mut bool,
) -> kru_result {
    boundary("kru_pack_language", || {
        // SAFETY: argument contract of this function.
        let pack = unsafe { pack_ref(pack)? };
        let (t, n, r) = (
            ffi::opt(out_tag),
            ffi::opt(out_name),
            ffi::opt(out_reviewed),
        );
        let l = catalogue::language(pack, index)
            .ok_or_else(|| Failure::out_of_range("language", index, pack.languages.len()))?;
        t.set(kru_str::of(l.tag));
        n.set(kru_str::of(l.name));
        r.set(l.status == TranslationStatus::Reviewed.name());
        Ok(())
    })
}

/// The index of the pack's default language (the last fallback).
#[no_mangle]
pub unsafe extern "C" fn kru_pack_default_language(
    pack: *const kru_pack,
    out_index: *mut usize,
) -> kru_result {
    boundary("kru_pack_default_language", || {
        // SAFETY: argument contract of this function.
        let pack = unsafe { pack_ref(pack)? };
        out(out_index, "out_index")?.set(usize::from(pack.meta.default_language));
        Ok(())
    })
}

/// How many journeys the pack has.
#[no_mangle]
pub unsafe extern "C" fn kru_pack_journey_count(
    pack: *const kru_pack,
    out_count: *mut usize,
) -> kru_result {
    boundary("kru_pack_journey_count", || {
        // SAFETY: argument contract of this function.
        let pack = unsafe { pack_ref(pack)? };
        out(out_count, "out_count")?.set(pack.journeys.len());
        Ok(())
    })
}

/// Journey `index` of the pack: its id (what kru_session_start() takes, e.g. `kiosk`) and
/// its title in pack language `language`. Valid until the pack handle is freed.
#[no_mangle]
pub unsafe extern "C" fn kru_pack_journey(
    pack: *const kru_pack,
    index: usize,
    language: usize,
    out_id: *mut kru_str,
    out_title: *mut kru_label,
) -> kru_result {
    boundary("kru_pack_journey", || {
        // SAFETY: argument contract of this function.
        let pack = unsafe { pack_ref(pack)? };
        let (i, t) = (ffi::opt(out_id), ffi::opt(out_title));
        let j = ffi::index(&pack.journeys, index, "journey")?;
        let chain = language_chain(pack, language)?;
        i.set(kru_str::of(&j.id));
        t.set(label(Resolved::of(&j.title, &chain)));
        Ok(())
    })
}

/// The pack's catalogue as JSON (UTF-8): everything the pack offers, for a host's menus and
/// labels, in one call: id, version, title, languages and their translation coverage,
/// journeys with their phases, intake questions with their options, objectives, items (id,
/// kind, prompt) and counts per kind, forms, help resources with the age of their
/// verification and a `stale` flag, the reference card and the signer's key id. The fields
/// are camelCase (`signerKeyId`, `ageDays`), as the JavaScript API returns them; the schema is
/// in docs/c-api.md.
///
/// - `languages`, `languages_count`: the host's preferred languages, best first, as for
///   kru_session_start(); texts are resolved in them. May be NULL when `languages_count` is 0
///   (the pack's default language).
/// - `today_ms`: the host's clock, milliseconds since the Unix epoch, for the age of each
///   resource's verification.
///
/// Free the bytes with kru_bytes_free().
#[no_mangle]
pub unsafe extern "C" fn kru_pack_catalogue_json(
    pack: *const kru_pack,
    languages: *const kru_str,
    languages_count: usize,
    today_ms: i64,
    out_json: *mut *mut kru_bytes,
) -> kru_result {
    boundary("kru_pack_catalogue_json", || {
        // SAFETY: argument contracts of this function.
        let (loaded, languages) = unsafe {
            (
                loaded_ref(pack)?,
                languages_arg(languages, languages_count)?,
            )
        };
        let o = out(out_json, "out_json")?;
        let pack = &*loaded.pack;
        let chain = pack.negotiate(&languages);
        let today = Date::from_unix_ms(today_ms);
        let catalogue = PackCatalogue::new(pack, &chain, today, loaded.signer.as_ref());
        let json = serde_json::to_vec(&catalogue).map_err(|e| {
            Failure::new(
                KRU_PACK_ERROR,
                format!("the catalogue does not serialise: {e}"),
            )
        })?;
        o.set(new_bytes(json));
        Ok(())
    })
}
