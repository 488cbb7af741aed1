#!/usr/bin/env bash
# Fuzzes RampartRegex (parser, compiler, engines) with libFuzzer and AddressSanitizer.
# Usage: scripts/fuzz-regex.sh [SECONDS=600] [extra libFuzzer flags...]
# Builds .build-fuzz/regex-fuzzer from the RampartRegex sources plus Fuzz/RegexFuzzer.swift, seeds a corpus with
# a few patterns, and runs for SECONDS. Crashes are written to .build-fuzz/crash-*. The per-input timeout is
# wall-clock time, generous so that a loaded machine does not report slow-but-linear inputs as hangs.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
out=.build-fuzz
mkdir -p "$out/corpus"
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name RampartRegex \
    $(find Sources/RampartRegex -name '*.swift' | sort) Fuzz/RegexFuzzer.swift -o "$out/regex-fuzzer"
seed() { printf '%b' "$1" > "$out/corpus/seed-$2"; }
seed '\x00(a+)+$\x00aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab' 1
seed '\x01(?i)\\bunion\\s+select\\b\x00x UNION  SELECT y' 2
seed '\x04[\\p{Greek}\\d]{2,5}|\\x{1F600}\x00\xce\xb1\xce\xb2 12' 3
seed '\x02^(?:a|b)*?c$\x00ab\nabc' 4
seed '\x00[^a-z[:digit:]]\\Q.*\\E\x00\xff\xfe.*' 5
exec "$out/regex-fuzzer" "$out/corpus" -max_total_time="$seconds" -max_len=512 -timeout=60 \
    -artifact_prefix="$out/" -print_final_stats=1 "$@"
