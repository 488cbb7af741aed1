#!/usr/bin/env bash
# End-to-end proof with attack tools nobody here wrote (issue 8), loopback only and time-bounded (~2 min on 2 cores):
#   monitor mode: scripted exploits of the traversal, command-injection and SSRF endpoints succeed (they leak
#                 /etc/passwd and the internal metadata service's secret) and are reported; sqlmap finds the SQL
#                 injection in /search?q=; wapiti's attack modules produce attack events, and its content discovery
#                 (buster module, which sends a browser user agent) produces security_scanner events: signature
#                 hits on probed secrets and the agent's 404-burst signal;
#   block mode:   the same exploits get 403 and leak nothing, sqlmap finds nothing injectable, and the platform
#                 stores the blocked events;
#   both modes:   the dashboard, logged in over HTTP with the printed one-time admin password, lists on its overview
#                 and signals pages exactly what the platform stored; logout needs the page's CSRF token.
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

# Prints "category blocked count" lines of the events the platform stored (after event id $1, default all).
stored_events() {
    python3 - "$work/data/platform.sqlite" "${1:-0}" <<'PY'
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT category, blocked, COUNT(*) FROM events WHERE rowid > ? GROUP BY category, blocked ORDER BY category",
    (int(sys.argv[2]),)).fetchall()
for category, blocked, count in rows:
    print(category, blocked, count)
PY
}
count_events() { # category blocked [after event id]
    stored_events "${3:-0}" | awk -v c="$1" -v b="$2" '$1 == c && $2 == b { n += $3 } END { print n + 0 }'
}
last_event_id() {
    python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COALESCE(MAX(rowid), 0) FROM events").fetchone()[0])' \
        "$work/data/platform.sqlite"
}
# Prints "rule_id count" lines of the security_scanner events stored after event id $1.
scanner_rules_after() {
    python3 - "$work/data/platform.sqlite" "$1" <<'PY'
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT rule_id, COUNT(*) FROM events WHERE rowid > ? AND category = 'security_scanner' GROUP BY rule_id ORDER BY rule_id",
    (int(sys.argv[2]),)).fetchall()
for rule, count in rows:
    print(rule, count)
PY
}
# Prints the distinct user agents of the 404-burst events stored after event id $1.
burst_user_agents() {
    python3 - "$work/data/platform.sqlite" "$1" <<'PY'
import json, sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT document FROM events WHERE rowid > ? AND rule_id = 'rpt-behaviour-404-burst'", (int(sys.argv[2]),)).fetchall()
print("; ".join(sorted({json.loads(document).get("userAgent") or "none" for (document,) in rows})))
PY
}

start_demo() { # mode
    shop_port=$(free_port)
    platform_port=$(free_port)
    metadata_port=$(free_port)
    rm -rf "$work/data"
    "$rampart" demo --mode "$1" --shop-port "$shop_port" --platform-port "$platform_port" --metadata-port "$metadata_port" \
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

# Scripted exploits of the traversal, command-injection and SSRF endpoints: in monitor mode they must work (the
# endpoints really are vulnerable) and be reported; in block mode they must get 403 and leak nothing.
exploit() { # mode name path parameter payload leak-marker
    local mode=$1 name=$2 path=$3 parameter=$4 payload=$5 marker=$6 status
    # Percent-encoded by hand: curl's --data-urlencode writes spaces as '+', which the shop does not decode.
    local encoded
    encoded=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$payload")
    status=$(curl -s -o "$work/exploit-$name.txt" -w '%{http_code}' "http://127.0.0.1:$shop_port$path?$parameter=$encoded")
    if [ "$mode" = monitor ]; then
        if [ "$status" = 200 ] && grep -q -- "$marker" "$work/exploit-$name.txt"; then
            pass "monitor mode: $name exploit works (status 200, response leaks '$marker')"
        else
            fail "monitor mode: $name exploit did not work (status $status)"
        fi
    elif [ "$status" = 403 ] && ! grep -q -- "$marker" "$work/exploit-$name.txt"; then
        pass "block mode: $name exploit blocked (status 403, nothing leaked)"
    else
        fail "block mode: $name exploit not blocked (status $status)"
    fi
}
run_exploits() { # mode
    exploit "$1" traversal /download file "../../../../../../etc/passwd" "root:"
    exploit "$1" command-injection /ping host "127.0.0.1; cat /etc/passwd" "root:"
    exploit "$1" ssrf /preview url "http://127.0.0.1:$metadata_port/latest/meta-data/iam/security-credentials/demoshop-role" \
        "demo-internal-secret"
}
check_exploit_events() { # mode blocked(0|1)
    local category count
    sleep 3  # a heartbeat carries the events to the platform
    for category in lfi command_injection ssrf; do
        count=$(count_events "$category" "$2")
        if [ "$count" -gt 0 ]; then
            pass "$1 mode: platform stored $count $category events (blocked=$2)"
        else
            fail "$1 mode: no $category events with blocked=$2 on the platform"
        fi
    done
}

# Logs in to the dashboard over HTTP with the one-time admin password the demo printed, and checks that the
# overview and signals pages list exactly what the platform stored; then logs out, which needs the CSRF token.
check_dashboard() { # mode
    local password
    password=$(sed -n 's/^Created dashboard user admin with one-time password: //p' "$work/demo-$1.log" | head -1)
    if [ -z "$password" ]; then
        fail "$1 mode: the demo printed no one-time admin password"
        return
    fi
    if python3 - "$platform_port" "$password" "$work/data/platform.sqlite" "$1" <<'PY'; then
import html, http.client, re, sqlite3, sys, urllib.parse
port, password, database, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
problems = []

def request(method, path, body=None, cookie=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
    if cookie:
        headers["Cookie"] = cookie
    connection.request(method, path, body=urllib.parse.urlencode(body) if body is not None else None, headers=headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    connection.close()
    return response, text

response, _ = request("POST", "/login", {"username": "admin", "password": "wrong-" + password})
if response.status != 401:
    problems.append(f"a wrong password got status {response.status}, not 401")
response, _ = request("POST", "/login", {"username": "admin", "password": password})
set_cookie = response.getheader("Set-Cookie") or ""
if response.status not in (302, 303) or not set_cookie:
    sys.exit(f"login with the printed password failed (status {response.status})")
cookie = set_cookie.split(";", 1)[0]

stored = sqlite3.connect(database).execute(
    "SELECT client_ip, category, COUNT(*), SUM(blocked) FROM events GROUP BY client_ip, category").fetchall()
total = sum(row[2] for row in stored)
blocked = sum(row[3] for row in stored)

response, overview = request("GET", "/", cookie=cookie)
if response.status != 200:
    sys.exit(f"overview page: status {response.status}")
numbers = {name: int(value) for name, value in re.findall(r'id="(total|blocked|monitored)-attacks">(\d+)<', overview)}
if numbers.get("total") != total or numbers.get("blocked") != blocked:
    problems.append(f"overview shows {numbers}, the platform stored total={total} blocked={blocked}")
top_categories = set(re.findall(r'category=([a-z_]+)">', html.unescape(overview)))
expected_top = {row[1] for row in sorted(stored, key=lambda row: -row[2])[:3]}
if not expected_top <= top_categories:
    problems.append(f"overview's top categories {sorted(top_categories)} miss {sorted(expected_top - top_categories)}")

response, signals = request("GET", "/signals", cookie=cookie)
if response.status != 200:
    sys.exit(f"signals page: status {response.status}")
listed = {(ip, category): (int(count), int(blocked_count)) for ip, category, count, blocked_count in re.findall(
    r'<td><code>([^<]+)</code></td><td>([^<]+)</td><td class="n">(\d+)</td><td class="n">(\d+)</td>', signals)}
for ip, category, count, blocked_count in stored:
    if listed.get((ip, category)) != (count, blocked_count):
        problems.append(f"signals page shows {listed.get((ip, category))} for {ip} {category}, stored ({count}, {blocked_count})")
if len(listed) != len(stored):
    problems.append(f"signals page lists {len(listed)} groups, the platform stored {len(stored)}")

csrf = re.search(r'name="csrf" value="([^"]+)"', signals)
response, _ = request("POST", "/logout", {"csrf": "forged"}, cookie=cookie)
if response.status != 403:
    problems.append(f"logout with a forged CSRF token got status {response.status}, not 403")
if not csrf:
    problems.append("the signals page carries no CSRF token")
else:
    response, _ = request("POST", "/logout", {"csrf": csrf.group(1)}, cookie=cookie)
    if response.status not in (302, 303):
        problems.append(f"logout with the page's CSRF token got status {response.status}")
    response, _ = request("GET", "/signals", cookie=cookie)
    if response.status not in (302, 303):
        problems.append(f"the session still works after logout (status {response.status})")

for problem in problems:
    print("   ", problem, file=sys.stderr)
if problems:
    sys.exit(1)
print(f"    dashboard: {total} attacks ({blocked} blocked) on the overview, {len(listed)} signal groups: "
      + ", ".join(f"{category}={count}" for (_, category), (count, _) in sorted(listed.items())))
PY
        pass "$1 mode: the dashboard (logged in with the one-time password) lists what the platform stored"
    else
        fail "$1 mode: dashboard check failed"
    fi
}

run_sqlmap() { # output file
    timeout 300 sqlmap -u "http://127.0.0.1:$shop_port/search?q=mug" -p q --batch --level 1 --risk 1 --technique=U \
        --flush-session --dbms=SQLite --output-dir "$work/sqlmap" --disable-coloring >"$1" 2>&1 || true
}

# Monitor mode: the endpoints really are vulnerable, and the attacks are recorded.
start_demo monitor
run_exploits monitor
check_exploit_events monitor 0
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

# A scanner that does not say it is one: wapiti's content discovery sends a browser user agent. Rampart must
# still see scanning, from the probed paths (secrets, admin tools) and from the burst of 404s it gets. wapiti's
# buster module works through ~31 500 names in one go, so it is cut off after a fixed time.
before_scan=$(last_event_id)
timeout 30 wapiti -u "http://127.0.0.1:$shop_port/" --flush-session -m buster --max-scan-time 25 \
    -f txt -o "$work/wapiti-buster-report" >"$work/wapiti-buster.txt" 2>&1 || true
sleep 3
scan_rules=$(scanner_rules_after "$before_scan")
burst_events=$(echo "$scan_rules" | awk '$1 == "rpt-behaviour-404-burst" { print $2 }')
signature_events=$(echo "$scan_rules" | awk '$1 ~ /^rpt-scanner-/ { n += $2 } END { print n + 0 }')
if [ "${burst_events:-0}" -gt 0 ]; then
    pass "monitor mode: wapiti's content discovery produced ${burst_events} 404-burst security_scanner events (user agent: $(burst_user_agents "$before_scan"))"
else
    tail -20 "$work/wapiti-buster.txt" >&2
    fail "monitor mode: no 404-burst security_scanner events from wapiti's content discovery"
fi
if [ "$signature_events" -gt 0 ]; then
    pass "monitor mode: wapiti's probes for secrets and admin tools matched scanner rules $signature_events times"
else
    fail "monitor mode: wapiti's probes matched no scanner rule"
fi
check_dashboard monitor
stop_demo monitor

# Block mode: nothing injectable or exploitable any more, and the blocks are recorded.
start_demo block
run_exploits block
check_exploit_events block 1
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
check_dashboard block
stop_demo block

if [ "$failures" -gt 0 ]; then
    echo "e2e: $failures check(s) failed" >&2
    exit 1
fi
echo "e2e: all checks passed"
