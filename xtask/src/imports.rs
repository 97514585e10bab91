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
//! `--minify-imports-and-exports-and-modules` renames the exports too; hence this small
//! rewrite of the import section.

use std::collections::BTreeMap;

use crate::bail;
use crate::util::Result;

/// The import module name of the rewritten module (wasm-bindgen's is `./STEM_bg.js`).
pub const MODULE: &str = "k";

/// The first bytes of every WebAssembly binary module, version 1.
const HEADER: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
/// The id of the import section.
const IMPORT_SECTION: u8 = 2;

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

/// A reader over the bytes of a module, failing with the byte offset.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8> {
        let Some(&b) = self.bytes.get(self.at) else {
            bail!("the module ends early (at byte {})", self.at)
        };
        self.at += 1;
        Ok(b)
    }

    /// An unsigned LEB128 number of at most 32 bits.
    fn u32(&mut self) -> Result<u32> {
        let start = self.at;
        let mut value: u64 = 0;
        for shift in (0..35).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return u32::try_from(value)
                    .map_err(|_| format!("a number too large at byte {start}").into());
            }
        }
        bail!("a number longer than 5 bytes at byte {start}")
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(len).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            bail!(
                "{len} bytes at byte {} run past the end of the module",
                self.at
            )
        };
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn name(&mut self) -> Result<String> {
        let at = self.at;
        let len = self.u32()? as usize;
        let bytes = self.take(len)?;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| format!("a name that is not UTF-8 at byte {at}").into())
    }

    /// Skips limits (of a table or a memory): a flags byte, the minimum, the maximum if the
    /// flags say so (memory64's 64-bit numbers too).
    fn limits(&mut self) -> Result {
        let flags = self.byte()?;
        if flags > 0x07 {
            bail!("unknown limits flags {flags:#04x} at byte {}", self.at - 1);
        }
        self.leb()?;
        if flags & 1 == 1 {
            self.leb()?;
        }
        Ok(())
    }

    /// Skips a LEB128 number of any width.
    fn leb(&mut self) -> Result {
        let start = self.at;
        for _ in 0..10 {
            if self.byte()? & 0x80 == 0 {
                return Ok(());
            }
        }
        bail!("a number longer than 10 bytes at byte {start}")
    }

    /// Skips a value or reference type: one byte, or `ref`/`ref null` with a heap type.
    fn value_type(&mut self) -> Result {
        match self.byte()? {
            0x63 | 0x64 => self.leb(),
            _ => Ok(()),
        }
    }
}

fn write_u32(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let b = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn write_name(out: &mut Vec<u8>, name: &str) {
    write_u32(out, name.len() as u32);
    out.extend_from_slice(name.as_bytes());
}

/// Rewrites the import section of `wasm` (a binary module): every import gets the module name
/// [`MODULE`] and a [`short_name`] (the same old name, the same new name). Every import must
/// come from one module. Returns the new module and what was renamed; a module without
/// imports comes back unchanged.
pub fn rename_imports(wasm: &[u8]) -> Result<(Vec<u8>, Renamed)> {
    if wasm.get(..8) != Some(&HEADER[..]) {
        bail!("not a WebAssembly module (version 1): the first 8 bytes differ");
    }
    let mut r = Reader { bytes: wasm, at: 8 };
    let mut out = HEADER.to_vec();
    let mut renamed = Renamed {
        module: String::new(),
        names: Vec::new(),
    };
    while r.at < wasm.len() {
        let id = r.byte()?;
        let len = r.u32()? as usize;
        let body = r.take(len)?;
        if id != IMPORT_SECTION {
            out.push(id);
            write_u32(&mut out, len as u32);
            out.extend_from_slice(body);
            continue;
        }
        let section_at = r.at - len;
        let mut s = Reader {
            bytes: wasm,
            at: section_at,
        };
        let count = s.u32()?;
        let mut new = Vec::with_capacity(len);
        write_u32(&mut new, count);
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for _ in 0..count {
            let module = s.name()?;
            if renamed.module.is_empty() {
                renamed.module = module.clone();
            } else if module != renamed.module {
                bail!(
                    "imports from two modules (`{}` and `{module}`): only one is expected",
                    renamed.module
                );
            }
            let field = s.name()?;
            let desc_at = s.at;
            match s.byte()? {
                0x00 => {
                    s.u32()?;
                }
                0x01 => {
                    s.value_type()?;
                    s.limits()?;
                }
                0x02 => s.limits()?,
                0x03 => {
                    s.value_type()?;
                    s.byte()?;
                }
                0x04 => {
                    s.byte()?;
                    s.u32()?;
                }
                kind => bail!("import `{field}`: unknown kind {kind:#04x} at byte {desc_at}"),
            }
            let next = names.len();
            let short = names
                .entry(field.clone())
                .or_insert_with(|| {
                    let short = short_name(next);
                    renamed.names.push((field, short.clone()));
                    short
                })
                .clone();
            write_name(&mut new, MODULE);
            write_name(&mut new, &short);
            new.extend_from_slice(&wasm[desc_at..s.at]);
        }
        if s.at != section_at + len {
            bail!(
                "the import section ends at byte {}, its size says {}",
                s.at,
                section_at + len
            );
        }
        out.push(id);
        write_u32(&mut out, new.len() as u32);
        out.extend_from_slice(&new);
    }
    Ok((out, renamed))
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

    /// A module with a type section, four imports (two functions with the same name once
    /// repeated, a memory with a maximum, a table, a global) and a custom section.
    fn module(imports: &[(&str, &str, &[u8])]) -> Vec<u8> {
        let mut wasm = HEADER.to_vec();
        // Type section: one type, () -> ().
        wasm.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]);
        let mut body = Vec::new();
        write_u32(&mut body, imports.len() as u32);
        for (module, field, desc) in imports {
            write_name(&mut body, module);
            write_name(&mut body, field);
            body.extend_from_slice(desc);
        }
        wasm.push(IMPORT_SECTION);
        write_u32(&mut wasm, body.len() as u32);
        wasm.extend_from_slice(&body);
        // A custom section named "x" holding 3 bytes.
        wasm.extend_from_slice(&[0, 5, 1, b'x', 7, 8, 9]);
        wasm
    }

    const M: &str = "./kru_wasm_bg.js";

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
            (M, long, &[0x00, 0x00]),
            (M, "__wbg_memory", &[0x02, 0x01, 0x11, 0x80, 0x01]),
            (M, &longer, &[0x00, 0x00]),
            (M, "__wbg_table", &[0x01, 0x6f, 0x00, 0x04]),
            (M, "__wbg_global", &[0x03, 0x7f, 0x00]),
            (M, long, &[0x00, 0x00]),
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
            (MODULE, "a", &[0x00, 0x00]),
            (MODULE, "b", &[0x02, 0x01, 0x11, 0x80, 0x01]),
            (MODULE, "c", &[0x00, 0x00]),
            (MODULE, "d", &[0x01, 0x6f, 0x00, 0x04]),
            (MODULE, "e", &[0x03, 0x7f, 0x00]),
            (MODULE, "a", &[0x00, 0x00]),
        ]);
        assert_eq!(out, expected);
        // Renaming again finds the short names and keeps them.
        let (again, _) = rename_imports(&out).unwrap();
        assert_eq!(again, expected);
    }

    #[test]
    fn bad_modules_are_refused_with_a_reason() {
        let err = |wasm: &[u8]| rename_imports(wasm).unwrap_err().0;
        assert!(err(b"\0asm\x02\0\0\0").contains("not a WebAssembly module"));
        let two = module(&[(M, "a", &[0x00, 0x00]), ("env", "b", &[0x00, 0x00])]);
        assert!(err(&two).contains("two modules"), "{}", err(&two));
        let kind = module(&[(M, "a", &[0x09, 0x00])]);
        assert!(err(&kind).contains("unknown kind 0x09"), "{}", err(&kind));
        let good = module(&[(M, "a", &[0x00, 0x00])]);
        // Cut anywhere but between sections, the module is refused.
        let boundaries = [8, 14, good.len() - 7];
        for cut in (9..good.len()).filter(|c| !boundaries.contains(c)) {
            assert!(rename_imports(&good[..cut]).is_err(), "cut at {cut}");
        }
        // A section size that does not match its imports.
        let short = module(&[(M, "a", &[0x00, 0x00, 0x00])]);
        assert!(
            err(&short).contains("import section ends"),
            "{}",
            err(&short)
        );
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
