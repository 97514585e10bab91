//! The committed header `include/kru.h` must equal a fresh generation by cbindgen (build.rs).

#[test]
fn committed_header_is_up_to_date() {
    let fresh = include_str!(concat!(env!("OUT_DIR"), "/kru.h"));
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/include/kru.h");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == fresh,
        "bindings-c/include/kru.h is out of date: regenerate it with \
         `bash bindings-c/tests/run.sh --bless` (fresh copy: {}/kru.h)",
        env!("OUT_DIR")
    );
}
