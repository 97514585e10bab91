//! Workbook benchmarks: a pack of 500 items in two languages, converted from an .xlsx (and an
//! .ods) workbook to sources and validated, the way `kru convert book.xlsx -o DIR` does; and
//! the other way, folder to .xlsx. The budget is under 1 s for the first.
//!
//! Run: `cargo xtask bench` (or `cargo bench -p kru-workbook`). Prints the workbook sizes and
//! one timed run of each before criterion's numbers.

use std::hint::black_box;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use kru_core::authoring::{compile, SourceFile};
use kru_workbook::{from_book, read_book, to_book, write_ods, write_xlsx};

/// The `kru new` pack with `n` more single-choice items (texts in en and km).
fn pack_with_items(n: usize) -> Vec<SourceFile> {
    let mut files = kru_workbook::template::new_pack("bench", &["en", "km"], "2026-12-01").unwrap();
    let mut items = String::new();
    let mut en = String::new();
    let mut km = String::new();
    for i in 0..n {
        items.push_str(&format!(
            "\n[[item]]\nid = \"q{i}\"\nobjectives = [\"{}\"]\ntype = \"single\"\noptions = [\"a\", \"b\", \"c\", \"d\"]\nanswer = \"b\"\n",
            if i % 2 == 0 { "plan" } else { "help" }
        ));
        for (out, word) in [(&mut en, "Question"), (&mut km, "សំណួរ")] {
            out.push_str(&format!(
                "\n[item.q{i}]\nprompt = \"{word} {i}: what is the safest thing to do when someone offers you a job abroad?\"\nexplanation = \"Check the offer with your commune first, and keep your documents yourself.\"\n\n[item.q{i}.options]\na = \"Go at once\"\nb = \"Check first\"\nc = \"Pay the fee\"\nd = \"Give your passport\"\n"
            ));
        }
    }
    for f in &mut files {
        match f.path.as_str() {
            "items.toml" => f.text.push_str(&items),
            "i18n/en.toml" => f.text.push_str(&en),
            "i18n/km.toml" => f.text.push_str(&km),
            _ => {}
        }
    }
    files
}

/// What `kru convert book.xlsx -o DIR` computes: read, map to sources, validate.
fn convert_and_validate(bytes: &[u8]) -> usize {
    let book = read_book(bytes).unwrap();
    let converted = from_book(&book).unwrap();
    let compiled = compile(&converted.files, None);
    assert!(!compiled.has_errors());
    compiled.diagnostics.len()
}

fn benches(c: &mut Criterion) {
    let files = pack_with_items(500);
    let book = to_book(&files).unwrap();
    let xlsx = write_xlsx(&book).unwrap();
    let ods = write_ods(&book).unwrap();
    let items = book
        .sheets
        .iter()
        .find(|s| s.name == "items")
        .unwrap()
        .rows
        .len()
        - 1;
    println!(
        "workbook of {items} items in 2 languages: xlsx {} bytes, ods {} bytes",
        xlsx.len(),
        ods.len()
    );
    for (name, bytes) in [("xlsx", &xlsx), ("ods", &ods)] {
        let t = Instant::now();
        convert_and_validate(bytes);
        println!(
            "one run: {name} → sources → validated in {:.1} ms",
            t.elapsed().as_secs_f64() * 1e3
        );
    }
    let t = Instant::now();
    write_xlsx(&to_book(&files).unwrap()).unwrap();
    println!(
        "one run: sources → xlsx in {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );

    let mut g = c.benchmark_group("workbook");
    g.sample_size(10);
    g.bench_function("xlsx_500_items_convert_and_validate", |b| {
        b.iter(|| convert_and_validate(black_box(&xlsx)))
    });
    g.bench_function("ods_500_items_convert_and_validate", |b| {
        b.iter(|| convert_and_validate(black_box(&ods)))
    });
    g.bench_function("sources_500_items_to_xlsx", |b| {
        b.iter(|| write_xlsx(&to_book(black_box(&files)).unwrap()).unwrap())
    });
    g.finish();
}

criterion_group!(workbook, benches);
criterion_main!(workbook);
