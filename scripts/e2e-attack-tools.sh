#!/usr/bin/env bash
# End-to-end proof with attack tools nobody here wrote (issue 8), loopback only and time-bounded:
#   monitor mode: sqlmap finds the SQL injection in DemoShop's /search?q=, and the platform stores the events;
#                 a wapiti scan produces attack events on the platform;
#   block mode:   sqlmap finds nothing injectable, and the platform stores blocked events.
# Each `rampart demo` run must stop cleanly on SIGINT. Needs sqlmap and wapiti (Debian packages; .ci/run installs them).
# Usage: scripts/e2e-attack-tools.sh [path/to/rampart]   (default: builds and uses .build/debug/rampart)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in sqlmap wapiti python3 curl; do
    command -v "$tool" >/dev/null || { echo "e2e: $tool is not installed" >&2; exit 1; }
done
rampart="${1:-}"
if [ -z "$rampart" ]; then
    swift build --product rampart >/dev/null
    rampart="$(swift build --show-bin-path)/rampart"
fi
work=$(mktemp -d)
demo_pid=""
cleanup() {
    if [ -n "$demo_pid" ] && kill -0 "$demo_pid" 2>/dev/null; then kill -INT "$demo_pid"; wait "$demo_pid" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "e2e FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "e2e ok: $*"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# Prints "category blocked count" lines of the events the platform stored.
stored_events() {
    python3 - "$work/data/platform.sqlite" <<'PY'
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT category, blocked, COUNT(*) FROM events GROUP BY category, blocked ORDER BY category").fetchall()
for category, blocked, count in rows:
    print(category, blocked, count)
PY
}
count_events() { # category blocked
    stored_events | awk -v c="$1" -v b="$2" '$1 == c && $2 == b { n += $3 } END { print n + 0 }'
}

start_demo() { # mode
    shop_port=$(free_port)
    platform_port=$(free_port)
    rm -rf "$work/data"
    "$rampart" demo --mode "$1" --shop-port "$shop_port" --platform-port "$platform_port" \
        --data-directory "$work/data" --heartbeat-interval 1 >"$work/demo-$1.log" 2>&1 &
    demo_pid=$!
    for _ in $(seq 180); do
        if curl -sf -o /dev/null "http://127.0.0.1:$shop_port/" && curl -sf -o /dev/null "http://127.0.0.1:$platform_port/health"; then
            pass "$1 mode: shop on $shop_port and platform on $platform_port answer"
            return 0
        fi
        kill -0 "$demo_pid" 2>/dev/null || break
        sleep 1
    done
    cat "$work/demo-$1.log" >&2
    echo "e2e: rampart demo --mode $1 did not start" >&2
    exit 1
}

stop_demo() { # mode
    kill -INT "$demo_pid"
    for _ in $(seq 30); do kill -0 "$demo_pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$demo_pid" 2>/dev/null; then
        fail "$1 mode: rampart demo still running 30 s after SIGINT"
        kill -KILL "$demo_pid"
    fi
    status=0
    wait "$demo_pid" || status=$?
    demo_pid=""
    if [ "$status" -eq 0 ] && grep -q "Demo stopped." "$work/demo-$1.log"; then
        pass "$1 mode: stopped cleanly on SIGINT"
    else
        fail "$1 mode: exit status $status after SIGINT"
    fi
}

run_sqlmap() { # output file
    timeout 300 sqlmap -u "http://127.0.0.1:$shop_port/search?q=mug" -p q --batch --level 1 --risk 1 --technique=U \
        --flush-session --dbms=SQLite --output-dir "$work/sqlmap" --disable-coloring >"$1" 2>&1 || true
}

# Monitor mode: the endpoint really is vulnerable, and the attacks are recorded.
start_demo monitor
run_sqlmap "$work/sqlmap-monitor.txt"
if grep -q "Parameter: q (GET)" "$work/sqlmap-monitor.txt" && grep -q "back-end DBMS: SQLite" "$work/sqlmap-monitor.txt"; then
    pass "monitor mode: sqlmap found the UNION injection in /search?q="
else
    tail -20 "$work/sqlmap-monitor.txt" >&2
    fail "monitor mode: sqlmap did not find the injection"
fi
sleep 3
monitored_sqli=$(count_events sql_injection 0)
[ "$monitored_sqli" -gt 0 ] && pass "monitor mode: platform stored $monitored_sqli sql_injection events (not blocked)" \
    || fail "monitor mode: no sql_injection events on the platform"
scanner_events=$(count_events security_scanner 0)
[ "$scanner_events" -gt 0 ] && pass "monitor mode: platform stored $scanner_events security_scanner events (sqlmap's user agent)" \
    || fail "monitor mode: no security_scanner events for sqlmap"

before=$(stored_events | awk '{ n += $3 } END { print n + 0 }')
timeout 240 wapiti -u "http://127.0.0.1:$shop_port/" --flush-session -m exec,file,sql,xss --max-scan-time 90 \
    -f txt -o "$work/wapiti-report" >"$work/wapiti.txt" 2>&1 || true
sleep 3
after=$(stored_events | awk '{ n += $3 } END { print n + 0 }')
for category in sql_injection xss command_injection lfi; do
    [ "$(count_events "$category" 0)" -gt 0 ] || fail "wapiti: no $category events on the platform"
done
if [ "$after" -gt "$before" ]; then
    pass "monitor mode: wapiti's scan added $((after - before)) events on the platform:"
    stored_events | sed 's/^/    /'
else
    tail -20 "$work/wapiti.txt" >&2
    fail "monitor mode: wapiti's scan produced no events"
fi
stop_demo monitor

# Block mode: nothing injectable any more, and the blocks are recorded.
start_demo block
run_sqlmap "$work/sqlmap-block.txt"
if grep -q "Parameter: q (GET)" "$work/sqlmap-block.txt"; then
    fail "block mode: sqlmap still found an injection"
elif grep -q "do not appear to be injectable" "$work/sqlmap-block.txt"; then
    pass "block mode: sqlmap found nothing injectable"
else
    tail -20 "$work/sqlmap-block.txt" >&2
    fail "block mode: sqlmap's run did not finish with a verdict"
fi
sleep 3
blocked_sqli=$(count_events sql_injection 1)
[ "$blocked_sqli" -gt 0 ] && pass "block mode: platform stored $blocked_sqli blocked sql_injection events" \
    || fail "block mode: no blocked sql_injection events on the platform"
stop_demo block

if [ "$failures" -gt 0 ]; then
    echo "e2e: $failures check(s) failed" >&2
    exit 1
fi
echo "e2e: all checks passed"
