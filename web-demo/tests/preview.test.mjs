// `kru preview`: an author edits a pack source file and sees the page update, and sees the
// validator's message on the page. The kru binary is copied to an empty folder and run from
// there (as an installed kru: no repository, no cargo, no keys), on a copy of the real pack.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as k from "./helpers.mjs";

const KRU = process.env.KRU_BIN ?? path.join(k.ROOT, "target/debug/kru");
let work;
let kru;
let url;
let output = "";

before(async () => {
  if (!existsSync(KRU)) throw new Error(`no kru binary at ${KRU} (cargo build -p kru-cli after the wasm-build step)`);
  work = mkdtempSync(path.join(tmpdir(), "kru-preview-"));
  // An "installed" kru: the binary alone, in a folder of its own.
  const bin = path.join(work, "bin", "kru");
  mkdirSync(path.dirname(bin));
  copyFileSync(KRU, bin);
  chmodSync(bin, 0o755);
  cpSync(path.join(k.ROOT, "content-packs/safe-migration"), path.join(work, "pack"), { recursive: true });
  kru = spawn(bin, ["preview", "pack", "--port", "0"], { cwd: work, env: { PATH: process.env.PATH }, stdio: ["ignore", "pipe", "pipe"] });
  kru.stderr.on("data", (d) => { output += d; });
  url = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`kru preview printed no address:\n${out}\n${output}`)), 30_000);
    kru.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/(http:\/\/127\.0\.0\.1:\d+\/\S*)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    kru.on("exit", (code) => reject(new Error(`kru preview exited (${code}):\n${out}\n${output}`)));
  });
});

after(() => {
  kru?.kill();
  if (work) rmSync(work, { recursive: true, force: true });
});

function edit(file, from, to) {
  const p = path.join(work, "pack", file);
  const t = readFileSync(p, "utf8");
  assert.ok(t.includes(from), `${file} has ${from}`);
  writeFileSync(p, t.replace(from, to));
}

test("kru preview: the page follows the saved files, shows the validator's messages, and saves nothing", async () => {
  assert.match(url, /\?preview=1#\/kiosk$/);
  const profile = await k.freshProfile();
  try {
    const page = await profile.context.newPage();
    page.setDefaultTimeout(k.TIMEOUT);
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.booted === "1");
    // Marked PREVIEW, with the validator's verdict.
    const banner = page.locator("[data-preview=banner]");
    await banner.waitFor();
    assert.match(await banner.textContent(), /PREVIEW/);
    await page.waitForFunction(() => /0 error\(s\), 0 warning\(s\) · build 1/.test(document.querySelector("[data-preview=summary]")?.textContent ?? ""));
    assert.match(await page.title(), /^PREVIEW · /);
    const title = page.locator(".attract-title [lang=en]");
    assert.equal(await title.textContent(), "Safe migration: six key messages");
    await k.shot(page, "preview-1-start");

    // The author saves a new title: the page reloads on the new build and shows it.
    const t0 = Date.now();
    edit("i18n/en.toml", 'title = "Safe migration: six key messages"', 'title = "Safe migration: the six key messages"');
    await page.waitForFunction(() => document.querySelector(".attract-title [lang=en]")?.textContent === "Safe migration: the six key messages");
    const seconds = (Date.now() - t0) / 1000;
    assert.ok(seconds < 10, `the page updated ${seconds} s after the save`);
    console.log(`# the page showed the edit ${seconds.toFixed(1)} s after the file was saved`);
    await page.waitForFunction(() => /build 2/.test(document.querySelector("[data-preview=summary]")?.textContent ?? ""));

    // A mistake: a prompt written in items.toml. The message is on the page, with its place
    // and the lines to write; the last good build stays playable.
    edit("items.toml", 'id = "broker-promise"\n', 'id = "broker-promise"\nprompt = "What do you do?"\n');
    const message = page.locator("[data-preview=messages] li[data-code=unknown-field]");
    await message.waitFor();
    const text = await message.textContent();
    assert.match(text, /items\.toml:\d+/);
    assert.match(text, /\[item\.broker-promise\]\s+prompt = "What do you do\?"/);
    assert.match(await page.textContent("[data-preview=summary]"), /1 error\(s\).*last build that compiled/);
    assert.equal(await title.textContent(), "Safe migration: the six key messages");
    await k.shot(page, "preview-2-error");

    // Fixed: the message goes away and a new build is shown.
    edit("items.toml", 'prompt = "What do you do?"\n', "");
    // The page reloads on build 3 (and runs it).
    await page.waitForFunction(() => document.body.dataset.previewBuild === "3" && document.body.dataset.booted === "1");
    assert.match(await page.textContent("[data-preview=summary]"), /0 error\(s\), 0 warning\(s\) · build 3/);
    assert.equal(await page.locator("[data-preview=messages] li").count(), 0);

    // Nothing is saved on the device: a kiosk visit left idle is abandoned (normally its
    // partial record goes into the kiosk's results log and the outbox), and a running visit
    // keeps no snapshot.
    await page.goto(url.replace("?preview=1", "?preview=1&idle=3&warn=1"));
    await page.waitForFunction(() => document.body.dataset.booted === "1");
    await page.click("[data-start=en]");
    await page.waitForFunction(() => document.body.dataset.running === "1");
    await page.click("main button >> nth=-1").catch(() => {});
    await page.waitForFunction(() => document.body.dataset.screen === "attract" && document.body.dataset.running !== "1", null, { timeout: 30_000 });
    const stored = await page.evaluate(async () => {
      const db = await new Promise((res, rej) => {
        const r = indexedDB.open("kru-demo");
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      const count = (name) => new Promise((res) => {
        if (!db.objectStoreNames.contains(name)) return res(0);
        const q = db.transaction(name).objectStore(name).count();
        q.onsuccess = () => res(q.result);
        q.onerror = () => res(-1);
      });
      return { logs: await count("logs"), snapshots: await count("snapshots"), outbox: await count("outbox") };
    });
    assert.deepEqual(stored, { logs: 0, snapshots: 0, outbox: 0 });
    assert.deepEqual(profile.errors, []);
  } finally {
    await profile.close();
  }
  assert.match(output, /kru preview: check 1: 0 error\(s\), 0 warning\(s\), build 1 served/);
});
