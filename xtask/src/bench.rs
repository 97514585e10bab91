//! `cargo xtask bench [-- ARGS…]`: the criterion benchmarks of kru-core (`cargo bench -p kru-core`)
//! and of kru-workbook (`cargo bench -p kru-workbook`).
//!
//! Arguments after `--` go to criterion, e.g. `cargo xtask bench -- session` to run only the
//! benchmarks whose name contains `session`.
//!
//! `cargo xtask bench --peer [ROUNDS]`: the peer benchmark instead, `bindings-wasm/bench/peer.mjs`
//! (kru's Node.js package against SurveyJS `survey-core` from `tools/js`, same process,
//! interleaved; see `docs/performance.md`). Builds the packages first (`cargo xtask wasm`).
//!
//! `cargo xtask bench --boundary [ROUNDS]`: the cost of each call through kru's Node.js
//! package (`bindings-wasm/bench/boundary.mjs`: `Pack.load`, `step()`, `answer()`/`advance()`
//! on the demo pack's school journey). Builds the packages first too.

use crate::cmd::Cmd;
use crate::util::{banner, require, Result};

/// `cargo xtask bench [-- ARGS…]`.
pub fn main(args: &[String]) -> Result {
    match args.first().map(String::as_str) {
        Some("--peer") => return node_bench("peer.mjs", &args[1..]),
        Some("--boundary") => return node_bench("boundary.mjs", &args[1..]),
        _ => {}
    }
    require("core/Cargo.toml")?;
    banner("benchmarks (kru-core)");
    let passthrough = match args.first().map(String::as_str) {
        Some("--") => &args[1..],
        _ => args,
    };
    let mut cmd = Cmd::cargo().args(["bench", "-p", "kru-core"]);
    if !passthrough.is_empty() {
        cmd = cmd.arg("--").args(passthrough);
    }
    cmd.run()?;
    banner("benchmarks (kru-workbook: a 500-item workbook, budget < 1 s)");
    let mut cmd = Cmd::cargo().args(["bench", "-p", "kru-workbook"]);
    if !passthrough.is_empty() {
        cmd = cmd.arg("--").args(passthrough);
    }
    cmd.run()
}

/// `cargo xtask bench --peer|--boundary [ROUNDS]`: builds the packages, then runs `script`
/// of `bindings-wasm/bench/` with Node.js.
fn node_bench(script: &str, args: &[String]) -> Result {
    crate::wasm::main(&[])?;
    crate::setup::node_tools()?;
    banner(&format!("Node.js benchmark bindings-wasm/bench/{script}"));
    let script = require(&format!("bindings-wasm/bench/{script}"))?;
    Cmd::new("node").arg(script).args(args).run()
}
