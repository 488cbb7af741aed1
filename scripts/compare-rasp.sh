#!/usr/bin/env bash
# Rampart's RASP detectors next to two existing RASP engines — Datadog's libddwaf exploit-prevention rules
# (PyPI ddtrace) and Aikido Zen (PyPI aikido-zen) — on the same RASP case file (format: shared/corpus/RASP.md).
#
#   scripts/compare-rasp.sh [CASES]     (default: the shared corpus's rasp-dev.jsonl)
#
# Prints one table row per operation type: attacks detected and benign cases flagged by each engine, and
# Rampart's per-call time (p50/p99, release build, measured in this run).
set -euo pipefail
cd "$(dirname "$0")/.."

shared=""
for candidate in ../shared ../../shared; do
    if [ -d "$candidate/corpus" ]; then shared="$candidate"; break; fi
done
[ -n "$shared" ] || { echo "compare-rasp: no shared/ folder beside the package" >&2; exit 1; }
cases="${1:-$shared/corpus/rasp-dev.jsonl}"

if ! python3 -c "import ddtrace, aikido_zen" 2>/dev/null; then
    python3 -m pip install -q --disable-pip-version-check ddtrace aikido-zen
fi
swift build -c release -j 2 --product rampart >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
.build/release/rampart rasp eval --cases "$cases" > "$work/rampart.jsonl" 2> "$work/rampart.txt"
python3 "$shared/tools/rasp_oracle.py" --cases "$cases" > "$work/oracle.jsonl" 2> "$work/oracle.txt"

python3 - "$work" <<'PY'
import json, re, sys
work = sys.argv[1]
ours = {}
for line in open(f"{work}/rampart.jsonl"):
    case = json.loads(line)
    ours[case["id"]] = case
oracle = [json.loads(line) for line in open(f"{work}/oracle.jsonl")]
timing = {}
for line in open(f"{work}/rampart.txt"):
    match = re.match(r"(\w+): .*p50 ([\d.]+) p99 ([\d.]+)", line)
    if match:
        timing[match.group(1)] = (match.group(2), match.group(3))

def score(rows, verdict):
    tp = sum(1 for r in rows if r["label"] == "attack" and verdict(r) is True)
    fp = sum(1 for r in rows if r["label"] == "benign" and verdict(r) is True)
    known = [r for r in rows if verdict(r) is not None]
    attacks = sum(1 for r in known if r["label"] == "attack")
    benign = sum(1 for r in known if r["label"] == "benign")
    return f"{tp}/{attacks} caught, {fp}/{benign} FP" if known else "n/a"

types = sorted({r["type"] for r in oracle})
print(f"{'type':6} | {'Rampart':22} | {'µs p50/p99':12} | {'libddwaf (ddtrace)':22} | {'Aikido Zen':22}")
print("-" * 96)
for kind in types + ["all"]:
    rows = [r for r in oracle if kind == "all" or r["type"] == kind]
    rampart = score(rows, lambda r: ours.get(r["id"], {}).get("detected"))
    ddwaf = score(rows, lambda r: r["ddwaf"])
    zen = score(rows, lambda r: r["zen"])
    p50, p99 = timing.get(kind, ("", ""))
    print(f"{kind:6} | {rampart:22} | {(p50 + '/' + p99) if p50 else '':12} | {ddwaf:22} | {zen:22}")
missed = [r["id"] for r in oracle if r["label"] == "attack" and not ours.get(r["id"], {}).get("detected")]
flagged = [r["id"] for r in oracle if r["label"] == "benign" and ours.get(r["id"], {}).get("detected")]
print(f"\nRampart missed: {missed or 'none'}; flagged benign: {flagged or 'none'}")
PY
