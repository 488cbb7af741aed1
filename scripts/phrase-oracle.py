#!/usr/bin/env python3
"""Records what Datadog's libddwaf (PyPI `ddtrace`) reports for `phrase_match` on random phrase lists and inputs,
with and without `enforce_word_boundary`, so that Rampart's `PhraseMatcher` can be compared with it.

  python3 scripts/phrase-oracle.py --out phrases.tsv [--cases 3000]

One rule per case (its own address and `type` tag); a single evaluation runs them all and each event's highlight
is the matched text. Output, tab-separated, one line per case:
  case <TAB> 0|1 (word boundary) <TAB> phrase hex,phrase hex,... <TAB> input hex <TAB> highlight hex or "-"
Exit status 3 when ddtrace (libddwaf) is not importable.
"""
import argparse
import importlib.util
import os
import random
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("transformer_oracle", os.path.join(here, "transformer-oracle.py"))
oracle = importlib.util.module_from_spec(spec)
spec.loader.exec_module(oracle)


def cases(seed, count):
    rng = random.Random(seed)
    fixed = [
        ([b"a"], b"xax"), ([b"abcd", b"bc"], b"abc"), ([b"abcd", b"bc"], b"abcx"), ([b"abcd", b"b"], b"abz"),
        ([b"ab", b"abcdef", b"cd"], b"xx cd abcdef ab"), ([b"ab", b"abcdef", b"cd"], b"abcdefg cd"),
        ([b"ab", b"abcdef", b"cd"], b"zab cd"), ([b"union", b"select"], b"1 UNION select_x"),
        ([b"\xc3\xa9", b"\x00"], b"caf\xc3\xa9\x00"), ([b"/etc/passwd", b"passwd"], b"cat /etc/passwd;"),
    ]
    out = [(wb, phrases, text) for wb in (False, True) for phrases, text in fixed]
    for i in range(count):
        alphabet = rng.choice([b"ab", b"abc _", b"abcdefgh", b"ab.-_ 1"])
        phrases = [bytes(rng.choice(alphabet) for _ in range(rng.randint(1, 5))) for _ in range(rng.randint(1, 8))]
        text = bytes(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        out.append((i % 2 == 1, phrases, text))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--cases", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=20261203)
    args = ap.parse_args()
    T, W = oracle.load_libddwaf()
    all_cases = cases(args.seed, args.cases)
    rules = [{
        "id": f"p{i}", "name": "phrase", "tags": {"type": f"phrase{i}", "category": "oracle"},
        "conditions": [{"operator": "phrase_match", "parameters": {
            "inputs": [{"address": f"oracle.p{i}"}], "list": phrases,  # bytes: passed to libddwaf as they are
            "options": {"enforce_word_boundary": wb}}}],
    } for i, (wb, phrases, _) in enumerate(all_cases)]
    builder = W.py_ddwaf_builder_init()
    diagnostics = T.ddwaf_object()
    W.py_add_or_update_config(builder, "oracle/phrases", T.ddwaf_object.create_without_limits(
        {"version": "2.1", "rules": rules}), diagnostics)
    failed = oracle.raw_value(T, diagnostics).get("rules", {}).get("failed", [])
    if failed:
        raise SystemExit(f"phrase-oracle: libddwaf rejected {len(failed)} rules")
    never = "^\x01rampart-never\x01$"
    W.py_add_or_update_config(builder, "oracle/obfuscator", T.ddwaf_object.create_without_limits(
        {"obfuscator": {"key_regex": never, "value_regex": never}}), T.ddwaf_object())
    handle = W.py_ddwaf_builder_build_instance(builder)
    context = W.py_ddwaf_context_init(handle)
    data = T.ddwaf_object.create_without_limits({f"oracle.p{i}": text for i, (_, _, text) in enumerate(all_cases)})
    result = T.ddwaf_object()
    if T.ddwaf_context_eval(context.ctx, data, T.DEFAULT_ALLOCATOR, result, 100_000_000) < 0:
        raise SystemExit("phrase-oracle: ddwaf_context_eval failed")
    highlights = {}
    events = oracle.map_get(T, result, b"events")
    for event in oracle.array_items(events) if events is not None else []:
        index = int(oracle.raw_value(T, oracle.map_get(T, oracle.map_get(T, event, b"rule"), b"id"))[1:])
        match = oracle.array_items(oracle.map_get(T, event, b"rule_matches"))[0]
        parameter = oracle.array_items(oracle.map_get(T, match, b"parameters"))[0]
        highlights[index] = oracle.array_items(oracle.map_get(T, parameter, b"highlight"))[0]
    with open(args.out, "w", encoding="ascii") as out:
        for i, (wb, phrases, text) in enumerate(all_cases):
            found = highlights.get(i)
            highlight = oracle.raw_value(T, found).hex() if found is not None else "-"
            out.write(f"case\t{int(wb)}\t{','.join(p.hex() for p in phrases)}\t{text.hex()}\t{highlight}\n")
    print(f"phrase-oracle: {len(all_cases)} cases, {len(highlights)} matches -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
