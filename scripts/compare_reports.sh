#!/usr/bin/env bash
# Checks that two builds of the `kru` tool give byte-identical outputs on the same inputs:
# simulated cohorts, reports (JSON, CSV, HTML, by group, by journey, in Khmer), exports, and
# logs with damage and duplicates. Used to show that a refactoring changed no behaviour:
#
#   scripts/compare_reports.sh OLD_KRU NEW_KRU
#
# Prints one line per output compared and "N outputs identical"; exits 1 on any difference.
set -euo pipefail
old="$1"
new="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
n=0
same() { # name, then a command using $KRU that writes to stdout
  local name="$1"
  shift
  KRU="$old" bash -c "$*" >"$work/old.out" 2>"$work/old.err" || echo "exit $?" >>"$work/old.out"
  KRU="$new" bash -c "$*" >"$work/new.out" 2>"$work/new.err" || echo "exit $?" >>"$work/new.out"
  if cmp -s "$work/old.out" "$work/new.out" && cmp -s "$work/old.err" "$work/new.err"; then
    n=$((n + 1))
    printf 'identical  %-48s %8d bytes\n' "$name" "$(wc -c <"$work/new.out")"
  else
    echo "DIFFERENT  $name" >&2
    diff <(head -c 2000 "$work/old.out") <(head -c 2000 "$work/new.out") >&2 || true
    diff "$work/old.err" "$work/new.err" >&2 || true
    exit 1
  fi
}
export work
# Inputs, made by the old build.
"$old" simulate --learners 3000 --seed 7 -o "$work/a.log" 2>/dev/null
"$old" simulate --learners 500 --seed 11 -o "$work/b.log" 2>/dev/null
"$old" simulate --learners 5 --seed 3 -o "$work/tiny.log" 2>/dev/null
cat "$work/a.log" "$work/b.log" "$work/a.log" >"$work/dup.log"
python3 - "$work/a.log" "$work/damaged.log" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
for at in (5, 4000, len(b) // 3, len(b) // 2):
    b[at] ^= 0x5A
b = b[: len(b) - 37]  # a torn last write
open(sys.argv[2], "wb").write(b)
PY
for seed in 7 11; do
    same "simulate seed $seed" 'f="$(mktemp -u -p "$work")"; $KRU simulate --learners 800 --seed '"$seed"' -o "$f" >/dev/null 2>&1; cat "$f"; rm -f "$f"'
done
for log in a b tiny dup damaged; do
  same "report $log json" '$KRU report "$work/'"$log"'.log" --format json'
  same "report $log html" '$KRU report "$work/'"$log"'.log" --format html'
  same "report $log csv" '$KRU report "$work/'"$log"'.log" --format csv'
  same "export $log csv" '$KRU export "$work/'"$log"'.log" --format csv'
done
for by in sex age-band province; do
  same "report a by $by json" '$KRU report "$work/a.log" --by '"$by"' --format json'
  same "report a by $by html km" '$KRU report "$work/a.log" --by '"$by"' --lang km --format html'
done
same "report a+b journey school" '$KRU report "$work/a.log" "$work/b.log" --journey school --format json'
same "report a+b merged" '$KRU report "$work/a.log" "$work/b.log" --assume-merged --format json'
echo "$n outputs identical"
