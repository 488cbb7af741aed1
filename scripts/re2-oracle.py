#!/usr/bin/env python3
"""Answers regex questions with RE2 (PyPI google-re2), for the Swift tests to compare against.

Reads JSON Lines {"pattern": "...", "input_hex": "..."} (or {"patterns": [...], "input_hex": "..."} for sets)
on stdin; writes one JSON line per case: {"start": s, "end": e} (UTF-8 byte offsets), {"start": null} when there
is no match, {"indices": [...]} for sets, or {"error": "..."}.
"""
import json
import sys

import re2

for line in sys.stdin:
    case = json.loads(line)
    data = bytes.fromhex(case["input_hex"])
    try:
        if "patterns" in case:
            indices = [i for i, p in enumerate(case["patterns"]) if re2.compile(p.encode("utf-8")).search(data)]
            print(json.dumps({"indices": indices}))
            continue
        match = re2.compile(case["pattern"].encode("utf-8")).search(data)
        if match is None:
            print(json.dumps({"start": None}))
        else:
            start, end = match.span()
            print(json.dumps({"start": start, "end": end}))
    except Exception as error:  # RE2 rejected the pattern
        print(json.dumps({"error": str(error)}))
    sys.stdout.flush()
