#!/usr/bin/env python3
"""Writes the regex benchmark cases (issue 2 item 5) into a directory: cases.tsv plus one input file per size.

(a) WAF-style patterns (case-insensitive keyword alternations, class runs, bounded repeats) over 1 KB, 100 KB and
1 MB of benign text; (b) pathological patterns over 10 KB, 100 KB and 1 MB inputs built to make backtracking
engines explode. The same cases are timed by `rampart regex bench` and by RE2 (scripts/bench/re2_cases.cc).
Usage: regex_cases.py OUTDIR
"""
import os
import random
import sys

WAF_PATTERNS = [
    ("sql-keywords", 1, r"\b(?:union\s+(?:all\s+)?select|insert\s+into|drop\s+table|information_schema|sleep\s*\()"),
    ("sql-functions", 1, r"(?:select|union|insert|update|delete|drop|exec|declare|cast|convert|concat|benchmark|waitfor)\s*[(\s]+[\w@]"),
    ("xss-tags", 1, r"<(?:script|iframe|object|embed|svg)[^>]*>|javascript:|\bon(?:error|load|click|mouseover|focus)\s*="),
    ("path-traversal", 1, r"(?:\.\./|\.\.\\|%2e%2e%2f|%2e%2e/){2,}"),
    ("control-chars", 0, r"[\x00-\x08\x0b\x0c\x0e-\x1f]"),
    ("long-token", 0, r"[a-zA-Z0-9_\-]{80,}"),
    ("shell-commands", 1, r"(?:^|[;&|`]\s*)(?:cat|wget|curl|nc|bash|sh|powershell)\b[^\n]{0,40}(?:/etc/passwd|\|\s*sh|-e\s)"),
    ("bounded-repeats", 0, r"\b\d{3}-\d{2}-\d{4}\b|\b(?:\d{4}[ -]?){3}\d{4}\b"),
]
PATHOLOGICAL = [
    ("nested-plus", 0, r"(a+)+$", "a", "b"),
    ("alternation-star", 0, r"(a|aa)*b", "a", ""),
    ("double-plus", 0, r"(x+x+)+y", "x", ""),
    ("dot-star-12", 0, r"(.*a){12}", "a", ""),
]
WORDS = ("the of and to in is that for it as with was on be by this are from at or an have not they which one "
         "you had her all were there when can said use each she how their will other about out many then them "
         "these some would make like him into time has look two more write go see number way could people my "
         "than first water been call who oil its now find long down day did get come made may part order user "
         "account settings profile search results page shipping address city country email phone value item").split()


def benign_text(size, rng):
    parts = []
    length = 0
    while length < size:
        roll = rng.random()
        if roll < 0.85:
            word = rng.choice(WORDS)
        elif roll < 0.92:
            word = str(rng.randint(0, 99999))
        elif roll < 0.96:
            word = rng.choice(["id=42&sort=asc", "{\"name\": \"Ann\", \"age\": 31}", "/api/v1/items/17", "e-mail:"])
        else:
            word = rng.choice([".", ",", "!", "?", ";", "\n"])
        parts.append(word)
        length += len(word) + 1
    return " ".join(parts)[:size]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(5)
    rows = []
    for size, label in ((1 << 10, "1KB"), (100 << 10, "100KB"), (1 << 20, "1MB")):
        path = os.path.join(out, f"benign-{label}.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(benign_text(size, rng))
        for name, ci, pattern in WAF_PATTERNS:
            rows.append((f"waf/{name}/{label}", ci, pattern, path))
    for size, label in ((10 << 10, "10KB"), (100 << 10, "100KB"), (1 << 20, "1MB")):
        for name, ci, pattern, fill, tail in PATHOLOGICAL:
            path = os.path.join(out, f"{name}-{label}.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(fill * (size - len(tail)) + tail)
            rows.append((f"pathological/{name}/{label}", ci, pattern, path))
    with open(os.path.join(out, "cases.tsv"), "w", encoding="utf-8") as f:
        for name, ci, pattern, path in rows:
            f.write(f"{name}\t{ci}\t{pattern}\t{path}\n")
    print(f"wrote {len(rows)} cases to {out}/cases.tsv")


if __name__ == "__main__":
    main()
