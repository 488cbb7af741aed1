#!/usr/bin/env python3
"""Rampart's WAF vs libddwaf on the same ruleset and corpus, in one run.

Runs ../shared/tools/ddwaf_oracle.py (libddwaf, from the `ddtrace` PyPI package) and `rampart waf eval` on
ddtrace's bundled rules.json (found in the installed package; never copied into this repository) and the request
corpus, then prints: agreement on matched rule ids (% of requests), engine time side by side (total and p99, and
their ratios) and the memory taken by loading the ruleset (RSS delta) in each engine.

  scripts/waf-compat.py [--rampart .build/release/rampart] [--requests CORPUS] [--repeat 3] [--json]
Exit status: 0 when the comparison ran (thresholds are checked by the caller), 2 when ddtrace is missing.
"""
import argparse, json, os, resource, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def shared_dir():
    for candidate in (os.path.join(ROOT, "..", "shared"), "/work/shared"):
        if os.path.isdir(os.path.join(candidate, "corpus")):
            return os.path.abspath(candidate)
    sys.exit("cannot find the shared directory (../shared)")


def ddtrace_rules():
    try:
        import ddtrace.appsec as appsec
    except ImportError:
        print("ddtrace is not installed (pip install ddtrace)", file=sys.stderr)
        sys.exit(2)
    return os.path.join(os.path.dirname(appsec.__file__), "rules.json")


def rss_kb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def libddwaf_load_rss(rules):
    from ddtrace.appsec._ddwaf.waf import DDWaf
    data = open(rules, "rb").read()
    before = rss_kb()
    waf = DDWaf(data, b"", b"")
    after = rss_kb()
    del waf
    return after - before


def run_lines(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    lines = [json.loads(l) for l in proc.stdout.splitlines() if l.strip()]
    return {o["id"]: o for o in lines}, proc.stderr


def p99(times):
    times = sorted(times)
    return times[max(0, int(len(times) * 0.99) - 1)] if times else 0.0


def main():
    shared = shared_dir()
    ap = argparse.ArgumentParser()
    ap.add_argument("--rampart", default=os.path.join(ROOT, ".build", "release", "rampart"))
    ap.add_argument("--requests", default=os.path.join(shared, "corpus", "requests-dev.jsonl"))
    ap.add_argument("--rules", help="ruleset (default: ddtrace's bundled rules.json)")
    ap.add_argument("--repeat", type=int, default=3, help="passes over the corpus; the last one is reported")
    ap.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    ap.add_argument("--no-value-cache", action="store_true",
                    help="run Rampart without its clean-value cache (libddwaf has none)")
    args = ap.parse_args()
    rules = args.rules or ddtrace_rules()

    oracle, oracle_err = run_lines([sys.executable, os.path.join(shared, "tools", "ddwaf_oracle.py"),
                                    "--requests", args.requests, "--rules", rules, "--repeat", str(args.repeat)])
    ours, ours_err = run_lines([args.rampart, "waf", "eval", "--rules", rules, "--requests", args.requests,
                                "--repeat", str(args.repeat)] + (["--no-value-cache"] if args.no_value_cache else []))
    bench = subprocess.run([args.rampart, "waf", "bench", "--rules", rules, "--requests", args.requests, "-n", "1"],
                           capture_output=True, text=True)
    ours_rss = next((f.split("=", 1)[1] for f in bench.stdout.split() if f.startswith("load_rss_kb=")), "n/a")

    differences = []
    for rid, expected in oracle.items():
        got = ours.get(rid, {"rules": None})
        if got["rules"] != expected["rules"]:
            differences.append({"id": rid, "libddwaf": expected["rules"], "rampart": got["rules"]})
    agreement = 100.0 * (len(oracle) - len(differences)) / max(1, len(oracle))
    o_times = [o["us"] for o in oracle.values()]
    r_times = [o["us"] for o in ours.values()]
    summary = {
        "requests": len(oracle),
        "agreement_pct": round(agreement, 2),
        "differences": differences,
        "libddwaf_total_us": round(sum(o_times)), "rampart_total_us": round(sum(r_times)),
        "total_ratio": round(sum(r_times) / max(1e-9, sum(o_times)), 3),
        "libddwaf_p99_us": round(p99(o_times), 1), "rampart_p99_us": round(p99(r_times), 1),
        "p99_ratio": round(p99(r_times) / max(1e-9, p99(o_times)), 3),
        "libddwaf_load_rss_kb": libddwaf_load_rss(rules), "rampart_load_rss_kb": ours_rss,
        "libddwaf_rules": oracle_err.strip().splitlines()[0] if oracle_err.strip() else "",
        "rampart_rules": ours_err.strip().splitlines()[0] if ours_err.strip() else "",
    }
    if args.json:
        print(json.dumps(summary))
        return
    for d in differences:
        print(f"  {d['id']}: libddwaf={d['libddwaf']} rampart={d['rampart']}")
    print(f"{summary['libddwaf_rules']}\n{summary['rampart_rules']}")
    print(f"agreement: {summary['agreement_pct']}% of {summary['requests']} requests "
          f"({len(differences)} differ)")
    print(f"{'':10}{'libddwaf':>14}{'rampart':>14}{'ratio':>8}")
    print(f"{'total µs':10}{summary['libddwaf_total_us']:>14}{summary['rampart_total_us']:>14}{summary['total_ratio']:>8}")
    print(f"{'p99 µs':10}{summary['libddwaf_p99_us']:>14}{summary['rampart_p99_us']:>14}{summary['p99_ratio']:>8}")
    print(f"{'load RSS':10}{str(summary['libddwaf_load_rss_kb']) + ' KB':>14}{str(ours_rss) + ' KB':>14}")


main()
