#!/usr/bin/env python3
"""Scores a `rampart waf eval` (or ddwaf_oracle.py) output against the corpus labels.

  scripts/score-eval.py EVAL.jsonl [--corpus ../shared/corpus/requests-dev.jsonl] [--show-fp] [--json]

Prints, per corpus category, how many requests matched at least one rule, then the attack detection rate and the
false-positive rate on benign requests (categories `benign` and `heavy`). Exit status 0 always; use --json for a
machine-readable summary (tests assert the targets from it).
"""
import argparse, collections, json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("eval")
ap.add_argument("--corpus", default=os.path.join(here, "..", "..", "shared", "corpus", "requests-dev.jsonl"))
ap.add_argument("--show-fp", action="store_true")
ap.add_argument("--json", action="store_true")
args = ap.parse_args()

labels = {}
for line in open(args.corpus, encoding="utf-8"):
    r = json.loads(line)
    labels[r["id"]] = (r["label"], r["category"])

total, hit, fps = collections.Counter(), collections.Counter(), []
for line in open(args.eval, encoding="utf-8"):
    o = json.loads(line)
    label, category = labels[o["id"]]
    total[category] += 1
    if o["rules"]:
        hit[category] += 1
        if label == "benign":
            fps.append((o["id"], o["rules"]))

benign_categories = {"benign", "heavy"}
attacks = sum(v for k, v in total.items() if k not in benign_categories)
caught = sum(v for k, v in hit.items() if k not in benign_categories)
benign = sum(total[k] for k in benign_categories)
flagged = sum(hit[k] for k in benign_categories)
summary = {
    "categories": {k: {"matched": hit[k], "total": total[k]} for k in sorted(total)},
    "attack_detection": caught / attacks if attacks else 0.0,
    "benign_false_positive": flagged / benign if benign else 0.0,
    "false_positives": fps,
}
if args.json:
    print(json.dumps(summary))
    sys.exit(0)
print(f"{'category':<12}{'matched':>9}{'total':>7}{'rate':>8}")
for k in sorted(total):
    print(f"{k:<12}{hit[k]:>9}{total[k]:>7}{100 * hit[k] / total[k]:>7.1f}%")
print(f"attack detection: {caught}/{attacks} = {100 * summary['attack_detection']:.1f}%")
print(f"benign false positives: {flagged}/{benign} = {100 * summary['benign_false_positive']:.2f}%")
if args.show_fp:
    for request_id, rules in fps:
        print("false positive:", request_id, " ".join(rules))
