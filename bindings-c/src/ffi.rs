//! The argument helpers every `extern "C"` function goes through: handle checks, argument
//! conversion and out-pointers. Null checks, UTF-8 checks and handle checks live here once,
//! not repeated by hand in each function. (The panic boundary is in `panic.rs`.)

use core::ffi::c_char;

use crate::error::{Failure, FfiResult};
use crate::kru_result::*;

// ---------------------------------------------------------------------------------------------
// Handles

/// The heap object behind every handle: a type tag first, so that a handle of the wrong type
/// (or a pointer that is not a handle) is refused with KRU_INVALID_HANDLE.
#[repr(C)]
pub(crate) struct Tagged<T> {
    magic: u64,
    value: T,
}

/// The magic of a freed handle.
const FREED: u64 = u64::from_le_bytes(*b"kru.free");

/// An opaque C handle type and what it holds.
pub(crate) trait Handle {
    /// What the handle owns.
    type Inner;
    /// Its type tag.
    const MAGIC: u64;
    /// Its C type name, for messages.
    const NAME: &'static str;
}

/// Boxes `inner` as a new handle. The caller frees it with [`free`].
pub(crate) fn new_handle<H: Handle>(inner: H::Inner) -> *mut H {
    Box::into_raw(Box::new(Tagged {
        magic: H::MAGIC,
        value: inner,
    }))
    .cast::<H>()
}

fn check<H: Handle>(ptr: *const H, arg: &str) -> FfiResult<*mut Tagged<H::Inner>> {
    if ptr.is_null() {
        return Err(Failure::null(arg));
    }
    let tagged = ptr.cast::<Tagged<H::Inner>>().cast_mut();
    let wrong = || {
        Failure::new(
            KRU_INVALID_HANDLE,
            format!("argument `{arg}` is not a live {} handle", H::NAME),
        )
    };
    if (tagged as usize) % core::mem::align_of::<Tagged<H::Inner>>() != 0 {
        return Err(wrong());
    }
    // SAFETY: every kru handle starts with an initialised u64 tag; the caller promises the
    // pointer is a live kru handle (of some type) or other readable memory of at least 8
    // bytes. Reading it unaligned-safe avoids assuming more.
    let magic = unsafe { ptr.cast::<u64>().read_unaligned() };
    if magic != H::MAGIC {
        return Err(wrong());
    }
    Ok(tagged)
}

/// Borrows a handle's contents after checking it is not NULL and has the right type.
///
/// # Safety
/// `ptr` must be NULL or point to readable memory of at least 8 bytes; when it is a handle of
/// type `H`, it must be live and not mutated for `'a`.
pub(crate) unsafe fn borrow<'a, H: Handle>(ptr: *const H, arg: &str) -> FfiResult<&'a H::Inner> {
    let tagged = check(ptr, arg)?;
    // SAFETY: checked above to be a live handle of type H (caller contract).
    Ok(unsafe { &(*tagged).value })
}

/// Borrows a handle's contents mutably after checking it.
///
/// # Safety
/// As [`borrow`], and no other reference to the handle may exist for `'a`.
pub(crate) unsafe fn borrow_mut<'a, H: Handle>(
    ptr: *mut H,
    arg: &str,
) -> FfiResult<&'a mut H::Inner> {
    let tagged = check(ptr.cast_const(), arg)?;
    // SAFETY: checked above; exclusivity is the caller's contract (documented per handle).
    Ok(unsafe { &mut (*tagged).value })
}

/// Frees a handle; NULL is a no-op, a pointer of the wrong type is left alone (and reported
/// as the thread's last error).
///
/// # Safety
/// `ptr` must be NULL or a pointer that [`borrow`] accepts; it must not be used afterwards.
pub(crate) unsafe fn free<H: Handle>(ptr: *mut H, arg: &str) -> FfiResult {
    if ptr.is_null() {
        return Ok(());
    }
    let tagged = check(ptr.cast_const(), arg)?;
    // SAFETY: a live handle of type H, created by `new_handle` with Box::into_raw.
    unsafe {
        (*tagged).magic = FREED;
        drop(Box::from_raw(tagged));
    }
    Ok(())
}

/// Makes an opaque C handle type (declared by hand, so that cbindgen sees it) a handle of
/// `inner` with a type tag.
macro_rules! handle {
    ($name:ident => $inner:ty, $magic:literal) => {
        impl $crate::ffi::Handle for $name {
            type Inner = $inner;
            const MAGIC: u64 = u64::from_le_bytes(*$magic);
            const NAME: &'static str = stringify!($name);
        }
    };
}
pub(crate) use handle;

// ---------------------------------------------------------------------------------------------
// Out-pointers

/// A checked out-pointer: non-NULL ([`out`]), or NULL when the caller does not want that
/// output ([`opt`]). Write it last, once the call has succeeded.
pub(crate) struct Out<T>(*mut T);

impl<T> Out<T> {
    /// Writes the output (unaligned-safe); nothing when the caller passed NULL to [`opt`].
    pub(crate) fn set(self, value: T) {
        if !self.0.is_null() {
            // SAFETY: non-NULL; the caller promises it is writable.
            unsafe { self.0.write_unaligned(value) }
        }
    }
}

/// An out-pointer of a function with several outputs: NULL means the caller does not want
/// that one.
pub(crate) fn opt<T>(ptr: *mut T) -> Out<T> {
    Out(ptr)
}

/// Checks an out-pointer is not NULL.
pub(crate) fn out<T>(ptr: *mut T, arg: &str) -> FfiResult<Out<T>> {
    if ptr.is_null() {
        Err(Failure::null(arg))
    } else {
        Ok(Out(ptr))
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs

/// Checks a (pointer, length) pair and makes a slice. A zero length gives an empty slice
/// whatever the pointer (so NULL + 0 is fine).
///
/// # Safety
/// When `len > 0`, `ptr` must point to `len` readable elements that stay unchanged for `'a`.
pub(crate) unsafe fn slice<'a, T>(ptr: *const T, len: usize, arg: &str) -> FfiResult<&'a [T]> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Failure::null(arg));
    }
    if len > isize::MAX as usize / core::mem::size_of::<T>().max(1) {
        return Err(Failure::new(
            KRU_OUT_OF_RANGE,
            format!("argument `{arg}`: length {len} is larger than any object can be"),
        ));
    }
    if (ptr as usize) % core::mem::align_of::<T>() != 0 {
        return Err(Failure::new(
            KRU_INVALID_ARGUMENT,
            format!("argument `{arg}` is not aligned for its element type"),
        ));
    }
    // SAFETY: non-NULL, aligned, size within isize::MAX; readability is the caller's contract.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// Checks a (pointer, length) pair holding UTF-8 and makes a `&str`.
///
/// # Safety
/// As [`slice`].
pub(crate) unsafe fn utf8<'a>(ptr: *const c_char, len: usize, arg: &str) -> FfiResult<&'a str> {
    // SAFETY: forwarded contract.
    let bytes = unsafe { slice(ptr.cast::<u8>(), len, arg)? };
    core::str::from_utf8(bytes).map_err(|e| {
        Failure::new(
            KRU_INVALID_UTF8,
            format!(
                "argument `{arg}` is not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Strings and byte views handed to C

/// A UTF-8 string borrowed from the library: a pointer and a length in bytes. It is **not**
/// NUL-terminated. An absent optional string has `data == NULL` and `len == 0`; an empty
/// string has a non-NULL `data` and `len == 0`. How long it stays valid is said by the
/// function that gave it.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct kru_str {
    /// The first byte (not NUL-terminated), or NULL when absent.
    pub data: *const c_char,
    /// Length in bytes.
    pub len: usize,
}

/// A string in the caller's preferred language with the path of its audio reading.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct kru_label {
    /// The text.
    pub text: kru_str,
    /// Path of the audio file reading the text, inside the pack's media folder; absent
    /// (`data == NULL`) when the pack has none.
    pub audio: kru_str,
}

/// A byte view: a pointer and a length. Used for inputs (kru_log_merge) and for bytes the
/// library hands out (kru_bytes_data).
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct kru_slice {
    /// The first byte (NULL allowed when `len` is 0).
    pub data: *const u8,
    /// Length in bytes.
    pub len: usize,
}

const EMPTY: &str = "\0";

impl kru_str {
    /// An absent string.
    pub(crate) const NONE: kru_str = kru_str {
        data: core::ptr::null(),
        len: 0,
    };

    /// A view of `s` (a valid, non-NULL pointer even when empty).
    pub(crate) fn of(s: &str) -> Self {
        if s.is_empty() {
            kru_str {
                data: EMPTY.as_ptr().cast(),
                len: 0,
            }
        } else {
            kru_str {
                data: s.as_ptr().cast(),
                len: s.len(),
            }
        }
    }

    /// A view of `s`, absent when None.
    pub(crate) fn opt(s: Option<&str>) -> Self {
        s.map_or(Self::NONE, Self::of)
    }
}

impl kru_label {
    /// An absent label.
    pub(crate) const NONE: kru_label = kru_label {
        text: kru_str::NONE,
        audio: kru_str::NONE,
    };

    /// A view of a core label.
    pub(crate) fn of(l: &kru_core::session::step::Label<'_>) -> Self {
        kru_label {
            text: kru_str::of(l.text),
            audio: kru_str::opt(l.audio),
        }
    }
}

impl kru_slice {
    /// A view of `b` (non-NULL even when empty).
    pub(crate) fn of(b: &[u8]) -> Self {
        kru_slice {
            data: if b.is_empty() {
                EMPTY.as_ptr()
            } else {
                b.as_ptr()
            },
            len: b.len(),
        }
    }
}

/// Makes a `&str` from a `kru_str` given by the caller (languages lists).
///
/// # Safety
/// As [`utf8`].
pub(crate) unsafe fn str_of<'a>(s: &kru_str, arg: &str) -> FfiResult<&'a str> {
    // SAFETY: forwarded contract.
    unsafe { utf8(s.data, s.len, arg) }
}

/// Makes a byte slice from a `kru_slice` given by the caller.
///
/// # Safety
/// As [`slice`].
pub(crate) unsafe fn bytes_of<'a>(s: &kru_slice, arg: &str) -> FfiResult<&'a [u8]> {
    // SAFETY: forwarded contract.
    unsafe { slice(s.data, s.len, arg) }
}

/// Checks `index < len`.
pub(crate) fn index<'a, T>(list: &'a [T], index: usize, what: &str) -> FfiResult<&'a T> {
    list.get(index)
        .ok_or_else(|| Failure::out_of_range(what, index, list.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct A;
    struct B;
    impl Handle for A {
        type Inner = String;
        const MAGIC: u64 = u64::from_le_bytes(*b"test.aaa");
        const NAME: &'static str = "A";
    }
    impl Handle for B {
        type Inner = u64;
        const MAGIC: u64 = u64::from_le_bytes(*b"test.bbb");
        const NAME: &'static str = "B";
    }

    #[test]
    fn handles_are_type_checked() {
        let a = new_handle::<A>("hello".to_owned());
        // SAFETY: `a` is a live handle of type A for the whole test.
        unsafe {
            assert_eq!(borrow(a.cast_const(), "a").unwrap(), "hello");
            let wrong = borrow::<B>(a.cast::<B>().cast_const(), "b").unwrap_err();
            assert_eq!(wrong.code, KRU_INVALID_HANDLE);
            assert_eq!(wrong.message, "argument `b` is not a live B handle");
            assert_eq!(
                free::<B>(a.cast::<B>(), "b").unwrap_err().code,
                KRU_INVALID_HANDLE
            );
            let misaligned = a.cast::<u8>().add(1).cast::<A>();
            assert_eq!(
                borrow(misaligned.cast_const(), "a").unwrap_err().code,
                KRU_INVALID_HANDLE
            );
            assert_eq!(
                borrow::<A>(core::ptr::null(), "a").unwrap_err().code,
                KRU_NULL_ARGUMENT
            );
            free(a, "a").unwrap();
            free::<A>(core::ptr::null_mut(), "a").unwrap();
        }
    }

    #[test]
    fn inputs_are_checked() {
        // SAFETY: the pointers are valid for the lengths given, or the lengths are refused
        // before any read.
        unsafe {
            assert_eq!(utf8(core::ptr::null(), 0, "s").unwrap(), "");
            assert_eq!(
                utf8(core::ptr::null(), 1, "s").unwrap_err().code,
                KRU_NULL_ARGUMENT
            );
            let bad = [b'a', 0xFF];
            let e = utf8(bad.as_ptr().cast(), 2, "s").unwrap_err();
            assert_eq!(e.code, KRU_INVALID_UTF8);
            assert!(e.message.contains("offset 1"));
            let x = [1u16, 2];
            assert_eq!(
                slice(x.as_ptr(), usize::MAX, "x").unwrap_err().code,
                KRU_OUT_OF_RANGE
            );
            assert_eq!(slice(x.as_ptr(), 2, "x").unwrap(), &[1, 2]);
        }
        assert_eq!(kru_str::of("").len, 0);
        assert!(!kru_str::of("").data.is_null());
        assert!(kru_str::opt(None).data.is_null());
    }
}
