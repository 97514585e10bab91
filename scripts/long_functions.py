#!/usr/bin/env python3
"""List Rust functions longer than a limit, and Rust files longer than a limit.

Usage: scripts/long_functions.py [--max-fn 120] [--max-file 800] [PATH ...]

PATH defaults to core/src. A function's length counts the lines from its `fn`
line to its closing brace, both included. Functions inside `#[cfg(test)]`
modules and files named `tests.rs` are reported too, but marked "(test)" and
not counted as offenders. Exit status is 1 when an offender is found.
"""

import argparse
import os
import re
import sys

FN_RE = re.compile(r"\bfn\s+([A-Za-z_][A-Za-z0-9_]*)")


def strip_code(text):
    """Return `text` with comments, strings and char literals blanked out.

    Newlines are kept so that line numbers stay right; everything else inside
    a comment or literal becomes a space, so braces in them are not counted.
    """
    out = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if c == "/" and nxt == "/":
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c == "/" and nxt == "*":
            depth = 0
            j = i
            while j < n:
                if text.startswith("/*", j):
                    depth += 1
                    j += 2
                elif text.startswith("*/", j):
                    depth -= 1
                    j += 2
                    if depth == 0:
                        break
                else:
                    j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:i + 10]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'r(#*)"', text[i:])
            close = '"' + m.group(1)
            j = text.find(close, i + len(m.group(0)))
            j = n if j < 0 else j + len(close)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "'":
            # A char literal ('x', '\n', '\u{..}') or a lifetime ('a).
            m = re.match(r"'(\\u\{[0-9a-fA-F]+\}|\\.|[^\\'])'", text[i:])
            if m:
                out.append(" " * len(m.group(0)))
                i += len(m.group(0))
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(text):
    """Yield (name, first_line, last_line, in_test) for each fn with a body."""
    code = strip_code(text)
    line_starts = [0]
    for idx, ch in enumerate(code):
        if ch == "\n":
            line_starts.append(idx + 1)

    def line_of(pos):
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    # Spans of `#[cfg(test)] mod name { ... }`.
    test_spans = []
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s+\w+\s*\{", code):
        end = match_brace(code, m.end() - 1)
        test_spans.append((m.start(), end))

    for m in FN_RE.finditer(code):
        # Find the body: the first `{` before a `;` at nesting depth 0 of
        # parentheses/angle brackets is good enough for signatures.
        j = m.end()
        paren = 0
        body = None
        while j < len(code):
            ch = code[j]
            if ch in "([":
                paren += 1
            elif ch in ")]":
                paren -= 1
            elif ch == ";" and paren == 0:
                break
            elif ch == "{" and paren == 0:
                body = j
                break
            j += 1
        if body is None:
            continue
        end = match_brace(code, body)
        in_test = any(s <= m.start() < e for s, e in test_spans)
        yield m.group(1), line_of(m.start()), line_of(end), in_test


def match_brace(code, open_pos):
    depth = 0
    for j in range(open_pos, len(code)):
        if code[j] == "{":
            depth += 1
        elif code[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return len(code) - 1


def rust_files(paths):
    for path in paths:
        if os.path.isfile(path):
            yield path
            continue
        for root, _dirs, files in os.walk(path):
            for name in sorted(files):
                if name.endswith(".rs"):
                    yield os.path.join(root, name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-fn", type=int, default=120)
    parser.add_argument("--max-file", type=int, default=800)
    parser.add_argument("paths", nargs="*", default=["core/src"])
    args = parser.parse_args()

    offenders = 0
    for path in sorted(rust_files(args.paths)):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        lines = text.count("\n")
        if lines > args.max_file:
            print(f"{path}: file has {lines} lines (limit {args.max_file})")
            offenders += 1
        is_test_file = os.path.basename(path) == "tests.rs"
        for name, first, last, in_test in functions(text):
            length = last - first + 1
            if length > args.max_fn:
                if in_test or is_test_file:
                    print(f"{path}:{first}: fn {name} has {length} lines (test)")
                else:
                    print(f"{path}:{first}: fn {name} has {length} lines (limit {args.max_fn})")
                    offenders += 1
    print(f"{offenders} offender(s)")
    return 1 if offenders else 0


if __name__ == "__main__":
    sys.exit(main())
