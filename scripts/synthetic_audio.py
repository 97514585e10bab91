#!/usr/bin/env python3
"""Makes the safe-migration pack's English audio with a synthetic voice (espeak-ng).

    python3 scripts/synthetic_audio.py            # write the files and the [audio] table
    python3 scripts/synthetic_audio.py --check    # exit 1 if the table is not what it would write

Not a human recording, and labelled so everywhere: the files live under
`audio/en/synthetic/` (the folder name is what `kru info` and the web app read as "synthetic
voice"), each file's Ogg comment says so, and the pack's README credits espeak-ng. Khmer is
never synthesised: a Khmer text gets audio only from a person's recording.

Which texts: every English text of the kiosk journey that a listen button can play — the
prompts, options and explanations of forms K1 and K2, the micro-lesson's words and its six key
messages (the objectives' titles and summaries), and the hotline's name and purpose.

Needs `espeak-ng` and `opusenc` (Debian: `apt-get install espeak-ng opus-tools`). Output: Ogg
Opus, mono, 12 kbit/s (Chromium, Firefox and Android's WebView play it), with a fixed stream
serial so that the same text and tools give the same bytes.
"""

import os
import re
import subprocess
import sys
import tempfile
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACK = os.path.join(ROOT, "content-packs", "safe-migration")
EN = os.path.join(PACK, "i18n", "en.toml")
FOLDER = "audio/en/synthetic"
BEGIN = "# ---------------------------------------------------------------- audio (generated)"
NOTE = (
    "# Made by scripts/synthetic_audio.py: a synthetic voice (espeak-ng), not a human recording.\n"
    "# Do not edit by hand; run the script again after changing an English text above.\n"
)
VOICE = ["-v", "en-us", "-s", "150"]
COMMENT = "COMMENT=synthetic voice (espeak-ng), not a human recording"


def texts():
    """`[(key, text)]` of the kiosk journey's English texts, in a stable order."""
    with open(os.path.join(PACK, "pack.toml"), "rb") as f:
        pack = tomllib.load(f)
    with open(EN, "rb") as f:
        en = tomllib.load(f)
    forms = {f["id"]: f["items"] for f in pack["form"]}
    out = []
    for item in forms["K1"] + forms["K2"]:
        strings = en["item"][item]
        out.append((f"item.{item}.prompt", strings["prompt"]))
        for option, text in strings.get("options", {}).items():
            out.append((f"item.{item}.options.{option}", text))
        if "explanation" in strings:
            out.append((f"item.{item}.explanation", strings["explanation"]))
    lesson = en["lesson"]["micro-lesson"]
    for key in ["title", "intro", "help-heading", "share"]:
        out.append((f"lesson.micro-lesson.{key}", lesson[key]))
    for objective, strings in en["objective"].items():
        out.append((f"objective.{objective}.title", strings["title"]))
        out.append((f"objective.{objective}.summary", strings["summary"]))
    hotline = en["resource"]["hotline-1288"]
    for key in ["name", "purpose"]:
        out.append((f"resource.hotline-1288.{key}", hotline[key]))
    return out


def file_name(key):
    """`item.kiosk-check.options.commune` → `kiosk-check.options.commune.ogg`."""
    return re.sub(r"^(item|lesson|objective|resource)\.", "", key) + ".ogg"


def table(entries):
    lines = [BEGIN, NOTE.rstrip("\n"), "", "[audio]"]
    lines += [f'"{key}" = "{FOLDER}/{file_name(key)}"' for key, _ in entries]
    return "\n".join(lines) + "\n"


def with_table(source, entries):
    head = source.split(BEGIN)[0].rstrip("\n")
    return head + "\n\n" + table(entries)


def speak(text, out):
    # A typographic apostrophe reads as a pause in espeak-ng; the voice reads the plain one.
    spoken = text.replace("\u2019", "'")
    with tempfile.TemporaryDirectory() as tmp:
        wav = os.path.join(tmp, "t.wav")
        subprocess.run(["espeak-ng", *VOICE, "-w", wav, spoken], check=True)
        subprocess.run(["opusenc", "--quiet", "--bitrate", "12", "--serial", "1", "--comment", COMMENT, wav, out],
                       check=True)


def main():
    entries = texts()
    with open(EN, encoding="utf-8") as f:
        source = f.read()
    wanted = with_table(source, entries)
    if "--check" in sys.argv:
        missing = [k for k, _ in entries if not os.path.exists(os.path.join(PACK, FOLDER, file_name(k)))]
        if wanted != source or missing:
            print("the [audio] table or its files are out of date: run scripts/synthetic_audio.py", file=sys.stderr)
            sys.exit(1)
        return
    folder = os.path.join(PACK, FOLDER)
    os.makedirs(folder, exist_ok=True)
    keep = set()
    for key, text in entries:
        name = file_name(key)
        keep.add(name)
        speak(text, os.path.join(folder, name))
    for stale in set(os.listdir(folder)) - keep:
        os.remove(os.path.join(folder, stale))
    with open(EN, "w", encoding="utf-8") as f:
        f.write(wanted)
    total = sum(os.path.getsize(os.path.join(folder, n)) for n in keep)
    print(f"{len(keep)} files, {total} bytes in {os.path.relpath(folder, ROOT)}")


if __name__ == "__main__":
    main()
