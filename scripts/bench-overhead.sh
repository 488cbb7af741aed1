#!/usr/bin/env bash
# Rampart's overhead on a Vapor app (OverheadBenchVapor) and a Hummingbird app (OverheadBenchHummingbird), measured with
# wrk on 127.0.0.1: for each framework, the same app without Rampart ("plain") and with it ("protected": block mode,
# embedded default ruleset, RASP on) run side by side, interleaved A/B/B/A over several rounds, medians compared.
# Endpoints (identical in both apps, OverheadBenchCore): GET with a query string (small text), POST of a 2 KB JSON
# order (decoded), and a realistic one (an SQLite query through SQLKit — RampartSQLKit's RASP hook in the protected
# app — rendered as JSON). Every request carries ordinary browser headers (scripts/bench/overhead.lua).
#
# Latency: wrk -t1 -c1 (one request at a time: p50 is per-request latency). Throughput: wrk -t2 -c16.
# Targets (issue 6): GET ≤ 25 µs added at p50, POST 2 KB JSON ≤ 60 µs added at p50, realistic ≤ 5% throughput loss.
#
# Besides wall-clock figures, each run records the server's CPU time per request (utime + stime from /proc), which
# a loaded machine disturbs much less than latency: "CPU added" is Rampart's own work per request.
#
# Usage: scripts/bench-overhead.sh [--framework vapor|hummingbird|both]   (default both, one after the other)
#        environment: ROUNDS=5 RUN_SECONDS=5 SKIP_BUILD=0 (1: use the release binaries already built),
#                     PORT_PLAIN=18471 PORT_PROTECTED=18472
# Exits 1 when a protected app does not block an attack or a benign request got an error answer; missed targets
# are printed, not fatal (compare the CPU column: wall-clock figures from a loaded machine are noisy).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${ROUNDS:-5}"
run_seconds="${RUN_SECONDS:-5}"
framework_choice=both
while [ $# -gt 0 ]; do
    case "$1" in
        --framework) framework_choice="${2:-}"; shift 2 || { echo "--framework needs a value" >&2; exit 2; } ;;
        --framework=*) framework_choice="${1#--framework=}"; shift ;;
        *) echo "usage: $0 [--framework vapor|hummingbird|both]" >&2; exit 2 ;;
    esac
done
case "$framework_choice" in
    vapor | hummingbird) frameworks="$framework_choice" ;;
    both) frameworks="vapor hummingbird" ;;
    *) echo "unknown framework '$framework_choice' (vapor, hummingbird or both)" >&2; exit 2 ;;
esac
lua="$PWD/scripts/bench/overhead.lua"
order_json="$PWD/scripts/bench/overhead-order.json"
# Two benchmarks at once on one machine must not share ports (each would measure the other's servers).
port_plain="${PORT_PLAIN:-18471}"
port_protected="${PORT_PROTECTED:-18472}"

command -v wrk >/dev/null || { echo "installing wrk" >&2; apt-get install -y -qq wrk >/dev/null; }
app_product() { case "$1" in vapor) echo OverheadBenchVapor ;; hummingbird) echo OverheadBenchHummingbird ;; esac; }
for framework in $frameworks; do
    [ "${SKIP_BUILD:-0}" = 1 ] || swift build -c release -j 2 --product "$(app_product "$framework")" >&2
done
bin_dir="$(swift build -c release --show-bin-path)"

work="$(mktemp -d)"
server_pids=()
stop_servers() {
    for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${server_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    server_pids=()
}
trap 'stop_servers; rm -rf "$work"' EXIT

wait_until_serving() {
    for _ in $(seq 1 200); do
        curl -fs -o /dev/null "http://127.0.0.1:$1/search?q=ready" && return 0
        sleep 0.1
    done
    echo "server on port $1 did not start" >&2
    return 1
}

# The same attack must be blocked by the protected app and answered by the plain one, or the benchmark would be
# measuring a disabled agent.
check_blocking() {
    local attack="/search?q=1%27%20UNION%20SELECT%20password%20FROM%20users--"
    local plain protected
    plain=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port_plain$attack")
    protected=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port_protected$attack")
    echo "$1: attack request answered $plain without Rampart, $protected with Rampart" >&2
    if [ "$plain" != 200 ] || [ "$protected" != 403 ]; then
        echo "$1: the protected app does not block the attack (or the plain app fails it); stopping" >&2
        exit 1
    fi
}

# User + system CPU time of a process so far, in clock ticks (0 where /proc is missing, e.g. macOS).
cpu_ticks() {
    if [ -r "/proc/$1/stat" ]; then
        awk '{ print $14 + $15 }' "/proc/$1/stat"
    else
        echo 0
    fi
}

endpoint_path() {
    case "$1" in
        get) echo "/search?q=blue+coffee+mug&category=kitchen&page=2&sort=price_asc" ;;
        post) echo "/orders" ;;
        realistic) echo "/products?category=mugs&page=1" ;;
    esac
}

# run_wrk <framework> <endpoint> <variant> <latency|throughput> <round> <seconds>: appends one row to results.tsv.
run_wrk() {
    local port=$port_plain pid=$plain_pid body=""
    [ "$3" = protected ] && port=$port_protected pid=$protected_pid
    [ "$2" = post ] && body="$order_json"
    local shape=(-t1 -c1)
    [ "$4" = throughput ] && shape=(-t2 -c16)
    local line cpu_before cpu_after
    cpu_before=$(cpu_ticks "$pid")
    line=$(OVERHEAD_BODY_FILE="$body" wrk "${shape[@]}" -d"${6}s" -s "$lua" "http://127.0.0.1:$port$(endpoint_path "$2")" \
        | grep '^RESULT') || { echo "wrk failed: $*" >&2; exit 1; }
    cpu_after=$(cpu_ticks "$pid")
    [ "$5" = warmup ] && return 0
    echo -e "$1\t$2\t$3\t$4\t$5\t${line#RESULT } $((cpu_after - cpu_before))" | tr ' ' '\t' >> "$work/results.tsv"
}

echo "load before: $(uptime)" >&2
load_before="$(uptime | sed 's/.*load average: //')"
: > "$work/results.tsv"
: > "$work/events.tsv"
for framework in $frameworks; do
    bin="$bin_dir/$(app_product "$framework")"
    "$bin" plain "$port_plain" 2> "$work/$framework-plain.log" &
    plain_pid=$!
    server_pids+=($!)
    "$bin" protected "$port_protected" 2> "$work/$framework-protected.log" &
    protected_pid=$!
    server_pids+=($!)
    wait_until_serving "$port_plain"
    wait_until_serving "$port_protected"
    # An answer on the port is not enough: when another job holds it, ours exit at startup and wrk measures theirs.
    for pid in "$plain_pid" "$protected_pid"; do
        kill -0 "$pid" 2>/dev/null || { echo "$framework: a server exited at startup (port taken? set PORT_PLAIN/PORT_PROTECTED)" >&2; exit 1; }
    done
    check_blocking "$framework"
    for endpoint in get post realistic; do
        for variant in plain protected; do run_wrk "$framework" "$endpoint" "$variant" throughput warmup 2; done
    done
    for round in $(seq 1 "$rounds"); do
        # A/B in odd rounds, B/A in even ones, so a drift in machine load falls on both sides alike.
        order="plain protected"
        [ $((round % 2)) = 0 ] && order="protected plain"
        for endpoint in get post realistic; do
            for measure in latency throughput; do
                for variant in $order; do
                    run_wrk "$framework" "$endpoint" "$variant" "$measure" "$round" "$run_seconds"
                done
            done
        done
        echo "$framework: round $round of $rounds done" >&2
    done
    stop_servers
    # The attack check logs one security event; more means benign benchmark traffic was flagged.
    events=$(grep -c 'Rampart security event' "$work/$framework-protected.log" || true)
    echo -e "$framework\t$events" >> "$work/events.tsv"
done
load_after="$(uptime | sed 's/.*load average: //')"

python3 - "$work/results.tsv" "$work/events.tsv" "$(getconf CLK_TCK)" "$rounds" "$run_seconds" "$load_before" "$load_after" <<'PY'
import statistics, sys
path, events_path, clock_ticks, rounds, seconds, load_before, load_after = sys.argv[1:]
rows = [line.rstrip("\n").split("\t") for line in open(path) if line.strip()]
# framework endpoint variant measure round p50 rps requests status_errors socket_errors cpu_ticks
data, bad = {}, []
for fw, ep, variant, measure, rnd, p50, rps, requests, status_errors, socket_errors, ticks in rows:
    cpu_us = int(ticks) / int(clock_ticks) * 1e6 / max(int(requests), 1)
    data.setdefault((fw, ep, variant, measure), []).append((float(p50), float(rps), cpu_us))
    if int(status_errors) or int(socket_errors):
        bad.append(f"{fw} {ep} {variant} {measure} round {rnd}: {status_errors} error answers, {socket_errors} socket errors")
targets = {"get": ("added p50", 25.0), "post": ("added p50", 60.0), "realistic": ("throughput loss", 5.0)}
names = {"get": "GET query string", "post": "POST 2 KB JSON", "realistic": "SQLite + JSON"}
print(f"wrk on 127.0.0.1, {rounds} interleaved rounds of {seconds} s per run, medians; latency -t1 -c1, throughput -t2 -c16")
print(f"load average before: {load_before}; after: {load_after} (2 cores)")
print(f"{'framework':12} {'endpoint':17} {'p50 plain':>10} {'p50 Rampart':>12} {'added':>9} "
      f"{'req/s plain':>12} {'req/s Rampart':>14} {'loss':>7} {'CPU/req plain':>14} {'CPU added':>10}  target")
missed = 0
for fw in dict.fromkeys(r[0] for r in rows):
    for ep in ("get", "post", "realistic"):
        if (fw, ep, "plain", "latency") not in data:
            continue
        med = lambda variant, measure, i: statistics.median(x[i] for x in data[(fw, ep, variant, measure)])
        p50_plain, p50_protected = med("plain", "latency", 0), med("protected", "latency", 0)
        rps_plain, rps_protected = med("plain", "throughput", 1), med("protected", "throughput", 1)
        # CPU per request from the throughput runs (more requests, so finer than the 10 ms clock tick).
        cpu_plain, cpu_protected = med("plain", "throughput", 2), med("protected", "throughput", 2)
        added = p50_protected - p50_plain
        loss = (1 - rps_protected / rps_plain) * 100 if rps_plain else 0.0
        kind, limit = targets[ep]
        value, unit = (added, "µs") if kind == "added p50" else (loss, "%")
        holds = value <= limit
        missed += not holds
        verdict = f"{kind} ≤ {limit:g} {unit}: {'holds' if holds else 'MISSED'}"
        print(f"{fw:12} {names[ep]:17} {p50_plain:>8.0f}µs {p50_protected:>10.0f}µs {added:>7.0f}µs "
              f"{rps_plain:>12.0f} {rps_protected:>14.0f} {loss:>6.1f}% {cpu_plain:>12.0f}µs {cpu_protected - cpu_plain:>8.0f}µs"
              f"  {verdict}")
for fw, events in (line.split() for line in open(events_path) if line.strip()):
    if int(events) != 1:
        bad.append(f"{fw}: {events} security events logged by the protected app (expected 1: the attack check)")
if bad:
    print("errors in benign traffic:")
    for line in bad:
        print("  " + line)
    sys.exit(1)
print(f"{missed} target(s) missed" if missed else "all targets hold")
PY
