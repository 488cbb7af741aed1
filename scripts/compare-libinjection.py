#!/usr/bin/env python3
"""Compare Rampart's is_sqli / is_xss detectors with libinjection (PyPI `libinjection-python`, module `libinjection`)
on the values of a request corpus (format: ../shared/corpus/CORPUS.md).

  pip install libinjection-python
  swift build --product rampart
  python3 scripts/compare-libinjection.py --requests ../shared/corpus/requests-dev.jsonl --rampart .build/debug/rampart

Values checked per request: query and form/JSON body leaves, path parameters, cookie values and header values, as
the WAF addresses them (CORPUS.md). A request counts as caught by a detector when any of its values is flagged.
Prints a report on stderr and, with --json, a summary object on stdout:
  {"sqli": {"libinjection": {"attacks_caught": N, "benign_flagged": N}, "rampart": {...},
            "missed_vs_libinjection": [ids], "attack_requests": N, "benign_requests": N}, "xss": {...}}
"""
import argparse, json, subprocess, sys, urllib.parse


def parse_pairs(s):
    out = {}
    for k, v in urllib.parse.parse_qsl(s, keep_blank_values=True):
        out.setdefault(k, []).append(v)
    return out


def leaves(value, out):
    if isinstance(value, dict):
        for child in value.values():
            leaves(child, out)
    elif isinstance(value, list):
        for child in value:
            leaves(child, out)
    elif isinstance(value, str):
        out.append(value)
    elif value is not None and not isinstance(value, bool):
        out.append(str(value))


def request_values(r):
    out = []
    leaves(parse_pairs(r.get("query", "")), out)
    leaves(r.get("path_params") or {}, out)
    for name, value in r.get("headers", []):
        if name.lower() == "cookie":
            for part in value.split(";"):
                if "=" in part:
                    out.append(urllib.parse.unquote(part.split("=", 1)[1].strip()))
        else:
            out.append(value)
    body = r.get("body")
    if body is not None:
        ctype = next((v for n, v in r.get("headers", []) if n.lower() == "content-type"), "")
        if "json" in ctype:
            try:
                leaves(json.loads(body), out)
            except ValueError:
                out.append(body)
        elif "x-www-form-urlencoded" in ctype:
            leaves(parse_pairs(body), out)
        else:
            out.append(body)
    return [v for v in out if v]


def rampart_verdicts(binary, detector, values):
    stdin = "".join(json.dumps(v) + "\n" for v in values)
    result = subprocess.run([binary, "detect", detector], input=stdin, capture_output=True, text=True, check=True)
    lines = result.stdout.splitlines()
    if len(lines) != len(values):
        sys.exit(f"rampart detect {detector}: {len(lines)} verdicts for {len(values)} values")
    return {v: json.loads(line) for v, line in zip(values, lines)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", required=True)
    ap.add_argument("--rampart", required=True, help="path to the rampart executable")
    ap.add_argument("--json", action="store_true", help="print a summary object on stdout")
    ap.add_argument("--verbose", action="store_true", help="list every disagreement")
    args = ap.parse_args()
    import libinjection

    requests = [json.loads(line) for line in open(args.requests, encoding="utf-8") if line.strip()]
    per_request = [(r, request_values(r)) for r in requests]
    unique = sorted({v for _, vs in per_request for v in vs})
    libinjection_check = {
        "sqli": lambda v: bool(libinjection.is_sql_injection(v)["is_sqli"]),
        "xss": lambda v: bool(libinjection.is_xss(v)["is_xss"]),
    }
    summary = {}
    for detector in ("sqli", "xss"):
        ours = rampart_verdicts(args.rampart, detector, unique)
        theirs = {v: libinjection_check[detector](v) for v in unique}
        stats = {"libinjection": {"attacks_caught": 0, "benign_flagged": 0},
                 "rampart": {"attacks_caught": 0, "benign_flagged": 0},
                 "attack_requests": 0, "benign_requests": 0, "missed_vs_libinjection": [],
                 "benign_flagged_ids": {"libinjection": [], "rampart": []}, "by_category": {}}
        for r, values in per_request:
            attack = r["label"] == "attack"
            lib_hit = any(theirs[v] for v in values)
            our_hit = any(ours[v]["detected"] for v in values)
            stats["attack_requests" if attack else "benign_requests"] += 1
            category = stats["by_category"].setdefault(r["category"], {"requests": 0, "libinjection": 0, "rampart": 0})
            category["requests"] += 1
            category["libinjection"] += lib_hit
            category["rampart"] += our_hit
            key = "attacks_caught" if attack else "benign_flagged"
            stats["libinjection"][key] += lib_hit
            stats["rampart"][key] += our_hit
            if attack and lib_hit and not our_hit:
                stats["missed_vs_libinjection"].append(r["id"])
            if not attack:
                if lib_hit:
                    stats["benign_flagged_ids"]["libinjection"].append(r["id"])
                if our_hit:
                    stats["benign_flagged_ids"]["rampart"].append(r["id"])
                    if args.verbose:
                        for v in values:
                            if ours[v]["detected"]:
                                print(f"  rampart FP {r['id']}: {v[:120]!r}: {ours[v].get('reason')}", file=sys.stderr)
            if args.verbose and attack and lib_hit and not our_hit:
                print(f"  missed {r['id']}: {[v[:120] for v in values if theirs[v]]}", file=sys.stderr)
        summary[detector] = stats
        print(f"{detector}: {stats['attack_requests']} attack / {stats['benign_requests']} benign requests", file=sys.stderr)
        for engine in ("libinjection", "rampart"):
            s = stats[engine]
            print(f"  {engine:12} attacks caught {s['attacks_caught']:4}   benign flagged {s['benign_flagged']:4}",
                  file=sys.stderr)
        print(f"  attacks libinjection catches that rampart misses: {len(stats['missed_vs_libinjection'])}",
              file=sys.stderr)
        for name, c in sorted(stats["by_category"].items()):
            print(f"    {name:10} {c['requests']:5} requests  libinjection {c['libinjection']:4}  rampart {c['rampart']:4}",
                  file=sys.stderr)
    if args.json:
        print(json.dumps(summary))


main()
