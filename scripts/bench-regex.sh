#!/usr/bin/env bash
# Times the regex benchmark cases with RampartRegex and with RE2 (C++, libre2-dev) in one run and prints the
# ratios side by side: WAF-style patterns over 1 KB / 100 KB / 1 MB of benign text, pathological patterns over
# 10 KB / 100 KB / 1 MB, and (when ddtrace and the corpus are there) every regex of ddtrace's ruleset over every
# corpus value, rule by rule and as one set, with the time to compile them all. Builds only RegexMeasure (release).
# Usage: scripts/bench-regex.sh [MIN_MS_PER_CASE=200]
set -euo pipefail
cd "$(dirname "$0")/.."
min_ms="${1:-200}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if ! [ -e /usr/include/re2/re2.h ]; then
    echo "installing libre2-dev" >&2
    apt-get install -y -qq libre2-dev >/dev/null
fi
g++ -O2 -std=c++17 scripts/bench/re2_cases.cc -lre2 -o "$work/re2_cases"
swift build -c release --product RegexMeasure -j 2 >&2
measure="$(swift build -c release --show-bin-path)/RegexMeasure"
python3 scripts/bench/regex_cases.py "$work/cases" >&2

"$measure" cases "$work/cases/cases.tsv" "$min_ms" > "$work/rampart.tsv"
"$work/re2_cases" "$work/cases/cases.tsv" "$min_ms" > "$work/re2.tsv"

python3 - "$work/cases/cases.tsv" "$work/rampart.tsv" "$work/re2.tsv" <<'PY'
import os, sys
sizes = {line.split("\t")[0]: os.path.getsize(line.rstrip("\n").split("\t")[3]) for line in open(sys.argv[1])}
def load(path):
    return {f[0]: (int(f[1]), f[2]) for f in (l.rstrip("\n").split("\t") for l in open(path)) if len(f) == 3}
ours, re2 = load(sys.argv[2]), load(sys.argv[3])
print(f"{'case':40} {'bytes':>9} {'Rampart ns':>12} {'RE2 ns':>12} {'RE2/Rampart':>11} {'Rampart MB/s':>12}  span")
groups = {}
totals = {}
for name in sizes:
    (t_ours, span_ours), (t_re2, span_re2) = ours[name], re2[name]
    ratio = t_re2 / max(t_ours, 1)
    groups.setdefault(name.split("/")[0], []).append(ratio)
    total = totals.setdefault(name.split("/")[0], [0, 0])
    total[0] += t_re2
    total[1] += t_ours
    mbps = sizes[name] / max(t_ours, 1) * 1e3
    agree = "same" if span_ours == span_re2 else f"DIFFERENT ({span_ours} vs {span_re2})"
    print(f"{name:40} {sizes[name]:>9} {t_ours:>12} {t_re2:>12} {ratio:>11.2f} {mbps:>12.1f}  {agree}")
for group, ratios in groups.items():
    product = 1.0
    for r in ratios:
        product *= r
    print(f"geometric mean RE2/Rampart ({group}): {product ** (1 / len(ratios)):.2f}  (> 1: Rampart faster); "
          f"total time RE2/Rampart: {totals[group][0] / max(totals[group][1], 1):.2f}")
PY

# ../shared beside a clone, or two levels up from a git worktree.
corpus=../shared/corpus/requests-dev.jsonl
[ -e "$corpus" ] || corpus=../../shared/corpus/requests-dev.jsonl
if [ -e "$corpus" ] && python3 -c "import ddtrace.appsec, re2" 2>/dev/null; then
    python3 scripts/ddtrace_regexes.py --corpus "$corpus" --write-set "$work/set" >&2
    echo
    echo "ddtrace ruleset regexes: compile_ms is every regex alone plus the two sets (RE2 first, then RampartRegex):"
    "$work/re2_cases" --set "$work/set/patterns.tsv" /dev/null | sed -n 1p
    "$measure" compile "$work/set/patterns.tsv" 5
    echo
    echo "the same regexes over every corpus value (RE2 first, then RampartRegex):"
    "$work/re2_cases" --set "$work/set/patterns.tsv" "$work/set/values.txt"
    SKIP_LARGE=1 "$measure" "$work/set/patterns.tsv" "$work/set/values.txt"
fi
