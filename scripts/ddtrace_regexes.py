#!/usr/bin/env python3
"""Compares RampartRegex with RE2 on every regex of Datadog's bundled WAF ruleset, over real request values.

Loads rules.json from the installed `ddtrace` package (never copied into the repository), collects every object
holding a "regex" (rules, rules_compat, scanners ...) with its "options" (libddwaf's default is case-insensitive),
and every string (keys and values) of the WAF addresses of each request of the corpus (format: CORPUS.md). Then it
runs all patterns over all distinct values with RE2 and with `rampart regex scan`, and compares: the pattern
compiles in both, and each pattern/value pair has the same match/no-match and span.

Usage: ddtrace_regexes.py --rampart PATH [--corpus ../shared/corpus/requests-dev.jsonl] [--show K]
Exit status 0 on full agreement, 1 on any disagreement, 2 when ddtrace or google-re2 is missing, 3 when the corpus
is missing.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse

try:
    import re2
    import ddtrace.appsec
except ImportError as error:  # pragma: no cover - reported to the caller
    print(f"missing Python package: {error} (pip install google-re2 ddtrace)", file=sys.stderr)
    sys.exit(2)

MAX_VALUE_LENGTH = 4096  # the WAF truncates longer strings


def ruleset_regexes():
    path = os.path.join(os.path.dirname(ddtrace.appsec.__file__), "rules.json")
    with open(path, encoding="utf-8") as f:
        document = json.load(f)
    found = []

    def walk(node, where):
        if isinstance(node, dict):
            if isinstance(node.get("regex"), str):
                options = node.get("options") or {}
                found.append({"where": where, "regex": node["regex"],
                              "case_insensitive": not options.get("case_sensitive", False)})
            for key, value in node.items():
                walk(value, f"{where}.{key}" if where else key)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}[{index}]")

    walk(document, "")
    return document.get("metadata", {}).get("rules_version", "?"), found


def form_pairs(text):
    pairs = {}
    for key, value in urllib.parse.parse_qsl(text, keep_blank_values=True):
        pairs.setdefault(key, []).append(value)
    return pairs


def request_addresses(request):
    """The WAF addresses of one corpus request, as CORPUS.md maps them."""
    headers, cookies = {}, {}
    for name, value in request.get("headers", []):
        lowered = name.lower()
        if lowered == "cookie":
            for part in value.split(";"):
                if "=" in part:
                    key, cookie = part.split("=", 1)
                    cookies.setdefault(key.strip(), []).append(urllib.parse.unquote(cookie.strip()))
        else:
            headers.setdefault(lowered, []).append(value)
    query = request.get("query", "")
    addresses = {
        "server.request.method": request.get("method", "GET"),
        "server.request.uri.raw": request.get("path", "") + ("?" + query if query else ""),
        "server.request.query": form_pairs(query),
        "server.request.headers.no_cookies": headers,
        "server.request.cookies": cookies,
        "http.client_ip": request.get("client_ip", ""),
    }
    if request.get("path_params"):
        addresses["server.request.path_params"] = request["path_params"]
    if request.get("user_id"):
        addresses["usr.id"] = request["user_id"]
    body = request.get("body")
    if body is not None:
        content_type = next((v for n, v in request.get("headers", []) if n.lower() == "content-type"), "")
        if "json" in content_type:
            try:
                addresses["server.request.body"] = json.loads(body)
            except ValueError:
                addresses["server.request.body"] = body
        elif "x-www-form-urlencoded" in content_type:
            addresses["server.request.body"] = form_pairs(body)
        else:
            addresses["server.request.body"] = body
    return addresses


def string_leaves(node, out):
    if isinstance(node, dict):
        for key, value in node.items():
            out.append(str(key))
            string_leaves(value, out)
    elif isinstance(node, list):
        for value in node:
            string_leaves(value, out)
    elif isinstance(node, str):
        out.append(node)
    elif node is not None and not isinstance(node, bool):
        out.append(str(node))


def corpus_values(path):
    values = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            leaves = []
            string_leaves(request_addresses(json.loads(line)), leaves)
            for leaf in leaves:
                values.add(leaf[:MAX_VALUE_LENGTH].replace("\r", ""))
    return sorted(values)


def escape_value(value):
    return value.replace("\\", "\\\\").replace("\n", "\\n")


def write_inputs(regexes, values, patterns_path, values_path):
    with open(patterns_path, "w", encoding="utf-8") as f:
        for item in regexes:
            f.write(("1" if item["case_insensitive"] else "0") + "\t" + item["regex"].replace("\n", "") + "\n")
    with open(values_path, "w", encoding="utf-8", errors="surrogatepass") as f:
        f.write("\n".join(escape_value(value) for value in values))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rampart", help="path to the rampart executable (not needed with --write-set)")
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--corpus", default=os.path.join(here, "..", "..", "shared", "corpus", "requests-dev.jsonl"))
    parser.add_argument("--show", type=int, default=20)
    parser.add_argument("--write-set", metavar="DIR",
                        help="only write DIR/patterns.tsv and DIR/values.txt (for benchmarks) and exit")
    args = parser.parse_args()
    if not os.path.exists(args.corpus):
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 3

    if not args.write_set and not args.rampart:
        parser.error("--rampart is required unless --write-set is given")
    rules_version, regexes = ruleset_regexes()
    values = corpus_values(args.corpus)
    if args.write_set:
        os.makedirs(args.write_set, exist_ok=True)
        write_inputs(regexes, values, os.path.join(args.write_set, "patterns.tsv"),
                     os.path.join(args.write_set, "values.txt"))
        print(f"wrote {len(regexes)} patterns and {len(values)} values to {args.write_set}")
        return 0
    encoded = [value.encode("utf-8", "surrogatepass") for value in values]

    expected = {}  # (pattern index, value index) -> (start, end)
    re2_errors = {}
    options_by_case = {}
    for ci in (False, True):
        options = re2.Options()
        options.log_errors = False
        options.case_sensitive = not ci
        options_by_case[ci] = options
    for index, item in enumerate(regexes):
        try:
            regex = re2.compile(item["regex"].encode("utf-8"), options=options_by_case[item["case_insensitive"]])
        except Exception as error:  # RE2 rejected the pattern
            re2_errors[index] = str(error)
            continue
        for value_index, data in enumerate(encoded):
            match = regex.search(data)
            if match is not None:
                expected[(index, value_index)] = match.span()

    with tempfile.TemporaryDirectory() as directory:
        patterns_path = os.path.join(directory, "patterns.tsv")
        values_path = os.path.join(directory, "values.txt")
        write_inputs(regexes, values, patterns_path, values_path)
        result = subprocess.run([args.rampart, "regex", "scan", patterns_path, values_path], capture_output=True,
                                text=True, encoding="utf-8", check=False)
    if result.returncode != 0:
        print(f"rampart regex scan failed ({result.returncode}): {result.stderr[-2000:]}", file=sys.stderr)
        return 1
    actual = {}
    rampart_errors = {}
    for line in result.stdout.splitlines():
        fields = line.split("\t")
        if len(fields) >= 3 and fields[1] == "error":
            rampart_errors[int(fields[0])] = fields[2]
        elif len(fields) == 4:
            actual[(int(fields[0]), int(fields[1]))] = (int(fields[2]), int(fields[3]))

    problems = []
    for index in sorted(set(re2_errors) | set(rampart_errors)):
        if (index in re2_errors) != (index in rampart_errors):
            problems.append({"regex": regexes[index]["regex"], "where": regexes[index]["where"],
                             "re2_error": re2_errors.get(index), "rampart_error": rampart_errors.get(index)})
    for key in sorted(set(expected) | set(actual)):
        if key[0] in re2_errors or key[0] in rampart_errors:
            continue
        if expected.get(key) != actual.get(key):
            problems.append({"regex": regexes[key[0]]["regex"], "case_insensitive": regexes[key[0]]["case_insensitive"],
                             "value": values[key[1]][:200], "re2": expected.get(key), "rampart": actual.get(key)})
    stats = {"rules_version": rules_version, "regexes": len(regexes), "values": len(values),
             "pairs": len(regexes) * len(values), "matches": len(expected), "re2_rejected": len(re2_errors),
             "rampart_rejected": len(rampart_errors), "disagreements": len(problems)}
    print(json.dumps(stats))
    for problem in problems[:args.show]:
        print(json.dumps(problem, ensure_ascii=False))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
