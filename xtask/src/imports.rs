//! Short import names for the shipped WebAssembly modules (`cargo xtask wasm`).
//!
//! wasm-bindgen names every import of the module after the JS function it binds plus a hash
//! (`__wbg___wbindgen_is_null_c22311b1cc228e3a`), all from the module `./kru_wasm_bg.js`. Each
//! name is written twice, in the `.wasm`'s import section and as a key of the glue's import
//! object, and the hashes do not compress. [`rename_imports`] gives every import a short
//! name (`a`, `b`, …, `Z`, `aa`, …; the module name becomes [`MODULE`]) in the `.wasm`, and
//! [`rename_glue_keys`] renames the same keys in the glue; a name that the glue does not have
//! exactly once fails the build. Only the import section changes: function indices, code and
//! exports stay as they are (the exports are the glue's and `InitOutput`'s names, kept).
//!
//! binaryen's `--minify-imports` only renames imports from `env`, and its
//! `--minify-imports-and-exports-and-modules` renames the exports too; hence this rewrite of
//! the import section: wasmparser reads the module, wasm-encoder writes the new import
//! section, and every other section is copied byte for byte.

use std::collections::BTreeMap;

use crate::bail;
use crate::util::Result;

/// The import module name of the rewritten module (wasm-bindgen's is `./STEM_bg.js`).
pub const MODULE: &str = "k";

/// What [`rename_imports`] did: the module name it replaced and each old field name with its
/// new name, in the order of the import section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    /// The import module name every import had (e.g. `./kru_wasm_bg.js`).
    pub module: String,
    /// `(old, new)` field names, one per distinct old name, in the import section's order.
    pub names: Vec<(String, String)>,
}

/// The `n`-th short name: `a`…`z`, `A`…`Z`, then two letters (`aa`, `ba`, …). Plain
/// identifiers, so they are valid unquoted keys of a JS object literal, and never `__proto__`.
pub fn short_name(mut n: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut out = String::new();
    loop {
        out.push(char::from(LETTERS[n % LETTERS.len()]));
        n /= LETTERS.len();
        if n == 0 {
            return out;
        }
        n -= 1;
    }
}

/// Rewrites the import section of `wasm` (a binary module): every import gets the module name
/// [`MODULE`] and a [`short_name`] (the same old name, the same new name). Every import must
/// come from one module. Returns the new module and what was renamed; a module without
/// imports comes back unchanged.
pub fn rename_imports(wasm: &[u8]) -> Result<(Vec<u8>, Renamed)> {
    use wasm_encoder::{EntityType, ImportSection, RawSection};
    use wasmparser::{Parser, Payload};

    let mut out = wasm_encoder::Module::new();
    let mut renamed = Renamed {
        module: String::new(),
        names: Vec::new(),
    };
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let bad = |e: wasmparser::BinaryReaderError| format!("not a valid WebAssembly module: {e}");
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(bad)?;
        match &payload {
            Payload::Version { num, .. } if *num != 1 => {
                bail!("a WebAssembly module of version {num}: only version 1 is expected")
            }
            Payload::ImportSection(reader) => {
                let mut section = ImportSection::new();
                for import in reader.clone().into_imports() {
                    let import = import.map_err(bad)?;
                    if renamed.module.is_empty() {
                        renamed.module = import.module.to_owned();
                    } else if import.module != renamed.module {
                        bail!(
                            "imports from two modules (`{}` and `{}`): only one is expected",
                            renamed.module,
                            import.module
                        );
                    }
                    let next = names.len();
                    let short = names
                        .entry(import.name.to_owned())
                        .or_insert_with(|| {
                            let short = short_name(next);
                            renamed.names.push((import.name.to_owned(), short.clone()));
                            short
                        })
                        .clone();
                    let ty = EntityType::try_from(import.ty)
                        .map_err(|e| format!("import `{}`: {e}", import.name))?;
                    section.import(MODULE, &short, ty);
                }
                out.section(&section);
            }
            _ => {
                if let Some((id, range)) = payload.as_section() {
                    out.section(&RawSection {
                        id,
                        data: &wasm[range],
                    });
                }
            }
        }
    }
    Ok((out.finish(), renamed))
}

/// Renames, in wasm-bindgen's glue `js`, the import module key (`"./STEM_bg.js": import0`)
/// to [`MODULE`] and every key `old:` of the import object to its new name. Works on the glue
/// as wasm-bindgen writes it (one key per line, before any minification). Fails, naming it,
/// when an old name is not a key of exactly one line.
pub fn rename_glue_keys(js: &str, renamed: &Renamed) -> Result<String> {
    let mut lines: Vec<String> = js.split_inclusive('\n').map(str::to_owned).collect();
    let mut rename = |old: &str, new: &str| -> Result {
        let mut found = 0;
        for line in &mut lines {
            let body = line.trim_start();
            let indent = line.len() - body.len();
            if body
                .strip_prefix(old)
                .is_some_and(|rest| rest.starts_with(':'))
            {
                found += 1;
                line.replace_range(indent..indent + old.len(), new);
            }
        }
        match found {
            1 => Ok(()),
            0 => bail!(
                "the glue has no import key `{old}` that the module imports: is it wasm-bindgen's glue for this module?"
            ),
            n => bail!("the glue has {n} lines with the import key `{old}` (one expected)"),
        }
    };
    rename(&format!("\"{}\"", renamed.module), &format!("\"{MODULE}\""))?;
    for (old, new) in &renamed.names {
        rename(old, new)?;
    }
    Ok(lines.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    use wasm_encoder::{
        CustomSection, EntityType, GlobalType, ImportSection, MemoryType, RefType, TableType,
        TypeSection, ValType,
    };

    /// A module with a type section (one function type), the given imports and a custom
    /// section, written by wasm-encoder.
    fn module(imports: &[(&str, &str, EntityType)]) -> Vec<u8> {
        let mut m = wasm_encoder::Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        m.section(&types);
        let mut section = ImportSection::new();
        for (module, field, ty) in imports {
            section.import(module, field, *ty);
        }
        m.section(&section);
        m.section(&CustomSection {
            name: "x".into(),
            data: [7u8, 8, 9].as_slice().into(),
        });
        m.finish()
    }

    const M: &str = "./kru_wasm_bg.js";
    const F: EntityType = EntityType::Function(0);

    fn memory() -> EntityType {
        EntityType::Memory(MemoryType {
            minimum: 17,
            maximum: Some(128),
            memory64: false,
            shared: false,
            page_size_log2: None,
        })
    }

    fn table() -> EntityType {
        EntityType::Table(TableType {
            element_type: RefType::EXTERNREF,
            table64: false,
            minimum: 4,
            maximum: None,
            shared: false,
        })
    }

    fn global() -> EntityType {
        EntityType::Global(GlobalType {
            val_type: ValType::I32,
            mutable: false,
            shared: false,
        })
    }

    #[test]
    fn short_names_are_distinct_identifiers() {
        let names: Vec<String> = (0..3000).map(short_name).collect();
        assert_eq!(names[0], "a");
        assert_eq!(names[25], "z");
        assert_eq!(names[26], "A");
        assert_eq!(names[51], "Z");
        assert_eq!(names[52], "aa");
        let set: std::collections::BTreeSet<&String> = names.iter().collect();
        assert_eq!(set.len(), names.len());
        assert!(names
            .iter()
            .all(|n| n.bytes().all(|b| b.is_ascii_alphabetic())));
    }

    #[test]
    fn imports_are_renamed_and_everything_else_kept() {
        let long = "__wbg___wbindgen_is_null_c22311b1cc228e3a";
        // An import name longer than 127 bytes: its length takes two LEB128 bytes.
        let longer = format!("__wbg_{}", "x".repeat(200));
        let wasm = module(&[
            (M, long, F),
            (M, "__wbg_memory", memory()),
            (M, &longer, F),
            (M, "__wbg_table", table()),
            (M, "__wbg_global", global()),
            (M, long, F),
        ]);
        let (out, renamed) = rename_imports(&wasm).unwrap();
        assert_eq!(renamed.module, M);
        let names: Vec<(&str, &str)> = renamed
            .names
            .iter()
            .map(|(o, n)| (o.as_str(), n.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                (long, "a"),
                ("__wbg_memory", "b"),
                (longer.as_str(), "c"),
                ("__wbg_table", "d"),
                ("__wbg_global", "e")
            ]
        );
        let expected = module(&[
            (MODULE, "a", F),
            (MODULE, "b", memory()),
            (MODULE, "c", F),
            (MODULE, "d", table()),
            (MODULE, "e", global()),
            (MODULE, "a", F),
        ]);
        assert_eq!(out, expected);
        wasmparser::Validator::new()
            .validate_all(&out)
            .expect("the rewritten module is valid");
        // Renaming again finds the short names and keeps them.
        let (again, _) = rename_imports(&out).unwrap();
        assert_eq!(again, expected);
    }

    #[test]
    fn bad_modules_are_refused_with_a_reason() {
        let err = |wasm: &[u8]| rename_imports(wasm).unwrap_err().0;
        assert!(err(b"\0asm\x02\0\0\0").contains("WebAssembly"));
        let two = module(&[(M, "a", F), ("env", "b", F)]);
        assert!(err(&two).contains("two modules"), "{}", err(&two));
        // An import whose kind byte (0x09) is not one of WebAssembly's.
        let mut kind = module(&[(M, "a", F)]);
        let at = kind
            .windows(2)
            .position(|w| w == [b'a', 0x00])
            .expect("the import's name");
        kind[at + 1] = 0x09;
        assert!(
            err(&kind).contains("not a valid WebAssembly module"),
            "{}",
            err(&kind)
        );
        let good = module(&[(M, "a", F)]);
        // Cut anywhere but between sections, the module is refused.
        let boundaries = [8, 14, good.len() - 7];
        for cut in (9..good.len()).filter(|c| !boundaries.contains(c)) {
            assert!(rename_imports(&good[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn the_glue_keys_follow_the_module() {
        let glue = "function __wbg_get_imports() {\n    const import0 = {\n        __proto__: null,\n        __wbg_new_787b9fb330d55d78: function(arg0, arg1) {\n            const ret = new Error(getStringFromWasm0(arg0, arg1));\n            return ret;\n        },\n        __wbg_get_2080c49015e35254: function() { return handleError(function (arg0, arg1) {\n            return Reflect.get(arg0, arg1);\n        }, arguments); },\n        __wbg_new_787b9fb330d55d78_unused: function() {},\n    };\n    return {\n        __proto__: null,\n        \"./kru_wasm_bg.js\": import0,\n    };\n}\n";
        let renamed = Renamed {
            module: M.to_owned(),
            names: vec![
                ("__wbg_get_2080c49015e35254".to_owned(), "a".to_owned()),
                ("__wbg_new_787b9fb330d55d78".to_owned(), "b".to_owned()),
            ],
        };
        let out = rename_glue_keys(glue, &renamed).unwrap();
        assert_eq!(
            out,
            glue.replace("__wbg_new_787b9fb330d55d78:", "b:")
                .replace("__wbg_get_2080c49015e35254:", "a:")
                .replace("\"./kru_wasm_bg.js\":", "\"k\":")
        );
        // A name the glue lacks fails the build, naming it.
        let mut missing = renamed.clone();
        missing
            .names
            .push(("__wbg_gone_0123".to_owned(), "c".to_owned()));
        let err = rename_glue_keys(glue, &missing).unwrap_err().0;
        assert!(err.contains("`__wbg_gone_0123`"), "{err}");
        // So does another module's glue.
        let mut other = renamed.clone();
        other.module = "./kru_wasm_full_bg.js".to_owned();
        assert!(rename_glue_keys(glue, &other).is_err());
        // And a key on two lines.
        let twice = glue.replace(
            "__wbg_new_787b9fb330d55d78_unused",
            "__wbg_new_787b9fb330d55d78",
        );
        let err = rename_glue_keys(&twice, &renamed).unwrap_err().0;
        assert!(err.contains("2 lines"), "{err}");
    }
}
