#!/usr/bin/env bash
# Fuzzes RampartWAF with libFuzzer and AddressSanitizer: the ruleset loader, the evaluator and the detectors.
# Usage: scripts/fuzz-waf.sh [SECONDS=600] [loader|evaluator|detectors ...] (default: all three, one after another)
# Builds RampartRegex and RampartWAF once as instrumented static libraries under .build-fuzz/waf, links each
# Fuzz/*Fuzzer.swift harness against them, seeds a corpus per target and runs each for SECONDS. Crashing inputs
# are written to .build-fuzz/waf/<target>-crash-*. Extra libFuzzer flags: LIBFUZZER_FLAGS="...".
# Leak detection is off: lazily initialised Swift globals (first use inside a run) are reported as leaks.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(loader evaluator detectors)
out=.build-fuzz/waf
flags=(-O -sanitize=fuzzer,address -parse-as-library -swift-version 6)
mkdir -p "$out/modules"

# Rebuilds a module's static library when any of its sources is newer than it.
build_module() {
    local module=$1 library="$out/lib$1.a"
    if [ -f "$library" ] && [ -z "$(find "Sources/$module" -name '*.swift' -newer "$library" | head -1)" ]; then
        return
    fi
    echo "building $module (instrumented)" >&2
    swiftc "${flags[@]}" -module-name "$module" -I "$out/modules" \
        -emit-module -emit-module-path "$out/modules/$module.swiftmodule" \
        -emit-library -static -o "$library" $(find "Sources/$module" -name '*.swift' | sort)
}
build_module RampartRegex
build_module RampartWAF

harness() {
    case $1 in
        loader) echo Fuzz/WAFLoaderFuzzer.swift ;;
        evaluator) echo Fuzz/WAFEvaluatorFuzzer.swift ;;
        detectors) echo Fuzz/DetectorFuzzer.swift ;;
        *) echo "unknown target $1 (loader, evaluator, detectors)" >&2; exit 2 ;;
    esac
}

seed_loader() {
    local corpus=$1
    # One small ruleset per default rule, the whole default ruleset, and snippets for the other sections.
    python3 - "$corpus" <<'PY'
import json, sys
corpus = sys.argv[1]
document = json.load(open("Rules/default-ruleset.json"))
def write(name, value):
    with open(f"{corpus}/seed-{name}", "w") as handle:
        json.dump(value, handle, separators=(",", ":"))
for index, rule in enumerate(document["rules"]):
    write(f"rule-{index}", {"version": "2.2", "rules": [rule]})
write("default", document)
probe = {"id": "r1", "name": "probe", "tags": {"type": "t", "category": "c"},
         "conditions": [{"operator": "match_regex", "parameters": {
             "inputs": [{"address": "server.request.query", "key_path": ["q"]}],
             "regex": "(?i)union\\s+select", "options": {"case_sensitive": False, "min_length": 3}}}],
         "transformers": ["urlDecodeUni", "lowercase"], "on_match": ["block"]}
write("exclusions", {"version": "2.2", "rules": [probe], "exclusions": [
    {"id": "e1", "rules_target": [{"tags": {"type": "t"}}], "inputs": [{"address": "server.request.query"}],
     "conditions": [{"operator": "exact_match", "parameters": {
         "inputs": [{"address": "server.request.uri.raw"}], "list": ["/health"]}}]}]})
write("rules-data", {"version": "2.2", "rules": [{"id": "ip", "name": "ip", "tags": {"type": "ip", "category": "c"},
    "conditions": [{"operator": "ip_match", "parameters": {"inputs": [{"address": "http.client_ip"}],
                                                          "data": "blocked"}}], "on_match": ["block"]}],
    "rules_data": [{"id": "blocked", "type": "ip_with_expiration",
                    "data": [{"value": "10.0.0.0/8", "expiration": 0}, {"value": "::1", "expiration": 99}]}]})
write("actions-override", {"version": "2.2", "rules": [probe],
    "actions": [{"id": "block", "type": "block_request",
                 "parameters": {"status_code": 418, "type": "json", "grpc_status_code": 10}},
                {"id": "go", "type": "redirect_request", "parameters": {"status_code": 302, "location": "/x"}}],
    "rules_override": [{"rules_target": [{"rule_id": "r1"}], "enabled": True, "on_match": ["go"]}]})
write("custom-negated", {"version": "2.2", "custom_rules": [{"id": "c1", "name": "n", "tags": {"type": "t"},
    "conditions": [{"operator": "!phrase_match", "parameters": {"inputs": [{"address": "usr.id"}],
                    "list": ["admin", "root"], "options": {"enforce_word_boundary": True}}},
                   {"operator": "equals", "parameters": {"inputs": [{"address": "server.response.status"}],
                    "type": "unsigned", "value": 404}},
                   {"operator": "exists", "parameters": {"inputs": [{"address": "server.request.body",
                    "key_path": ["a", 0, "b"]}]}}]}],
    "processors": [{"id": "p", "generator": "extract_schema"}], "scanners": [{"id": "s"}]})
write("rasp", {"version": "2.2", "rules": [{"id": "rasp", "name": "sqli", "tags": {"type": "sql_injection"},
    "conditions": [{"operator": "sqli_detector@v2", "parameters": {
        "resource": [{"address": "server.db.statement"}], "params": [{"address": "server.request.query"}],
        "db_type": [{"address": "server.db.system"}]}}], "on_match": ["stack_trace"]}]})
PY
}

seed_evaluator() {
    local corpus=$1
    # Tag bytes (see EvaluatorInput.value): 0 string, 2 repeated string, 3-5 numbers, 6 bool/null, 7 array, 8 map.
    printf '\x05\x01\x00\x08\x02\x01q\x00\x12'"1' OR '1'='1"'\x01f\x00\x10../../etc/passwd' > "$corpus/seed-query"
    printf '\x01\x01\x01\x02\x07<a \x40' > "$corpus/seed-long-body"
    printf '\x3f\x02\x09\x00\x20SELECT * FROM t WHERE a=1 OR 1=1\x8a\x00\x02postgresql\x00\x01\x00\x05id=1 ' \
        > "$corpus/seed-ephemeral"
    printf '\x02\x01\x07\x07\x03\x03\x00\x00\x00\x00\x00\x00\x00\x01\x05\xff\xf0\x00\x00\x00\x00\x00\x00\x16\x01\x00\x00' \
        > "$corpus/seed-numbers"
}

seed_detectors() {
    local corpus=$1
    printf "\x01SELECT * FROM users WHERE name = '' OR 1=1 --'\x00' OR 1=1 --\x00users" > "$corpus/seed-sql"
    printf "\x00SELECT \$\$a\$\$ || E'\\\\x' /* /* */ */ FROM t\x00a\$\$ || E" > "$corpus/seed-sql-pg"
    printf "\x06ls -la /tmp; cat /etc/passwd\x00/tmp; cat /etc/passwd" > "$corpus/seed-shell"
    printf "\x0bsh\x01-c\x01echo \$(id)\x00\$(id)" > "$corpus/seed-argv"
    printf "\x0c/var/www/files/../../../etc/passwd\x00../../../etc/passwd" > "$corpus/seed-path"
    printf "\x0dhttp://user@169.254.169.254:80/latest/meta-data\x00169.254.169.254" > "$corpus/seed-url"
    printf "\x0a<img src=x onerror=alert(1)>" > "$corpus/seed-xss"
    printf "\x09x' UNION SELECT password FROM users--" > "$corpus/seed-sqli-string"
}

for target in "${targets[@]}"; do
    source=$(harness "$target")
    binary="$out/$target-fuzzer"
    swiftc "${flags[@]}" -I "$out/modules" Fuzz/FuzzInput.swift "$source" \
        "$out/libRampartWAF.a" "$out/libRampartRegex.a" -o "$binary"
    corpus="$out/corpus-$target"
    mkdir -p "$corpus"
    "seed_$target" "$corpus"
    max_len=4096
    [ "$target" = loader ] && max_len=65536
    echo "fuzzing $target for ${seconds}s" >&2
    # A crash in one target does not stop the others; the last failing status is the exit status.
    ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" "$binary" "$corpus" -dict=Fuzz/waf.dict -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
        -rss_limit_mb=4096 -detect_leaks=0 -artifact_prefix="$out/$target-" -print_final_stats=1 ${LIBFUZZER_FLAGS:-} \
        || status=$?
done
exit "${status:-0}"
