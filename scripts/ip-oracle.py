#!/usr/bin/env python3
"""Records which addresses Datadog's libddwaf (PyPI `ddtrace`) finds in `ip_match` lists, for random lists
(valid and malformed entries, IPv4 and IPv6) and probes in several spellings, so that Rampart's `IPSet` can be
compared with it.

  python3 scripts/ip-oracle.py --out ips.tsv [--lists 150] [--probes 60]

One rule per list (own address and `type` tag); each probe is one evaluation with every list's address set to it.
Output, tab-separated:
  list <TAB> <index> <TAB> entry,entry,...
  probe <TAB> <probe text> <TAB> indices of the lists that matched, comma-separated (may be empty)
Exit status 3 when ddtrace (libddwaf) is not importable.
"""
import argparse
import importlib.util
import ipaddress
import os
import random
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("transformer_oracle", os.path.join(here, "transformer-oracle.py"))
oracle = importlib.util.module_from_spec(spec)
spec.loader.exec_module(oracle)


def v4(rng):
    return ipaddress.IPv4Address(0x0A000000 | rng.getrandbits(12) << 4 | rng.getrandbits(4))


def v6(rng):
    return ipaddress.IPv6Address((0x20010DB8 << 96) | rng.getrandbits(10) << 70 | rng.getrandbits(8))


def entry(rng):
    kind = rng.random()
    if kind < 0.35:
        return f"{v4(rng)}/{rng.randint(18, 32)}"
    if kind < 0.5:
        return str(v4(rng))
    if kind < 0.75:
        return f"{v6(rng)}/{rng.randint(72, 128)}"
    if kind < 0.82:
        return str(v6(rng))
    if kind < 0.86:
        return f"::ffff:{v4(rng)}/{rng.randint(100, 128)}"
    return rng.choice([f"{v4(rng)}/ {rng.randint(8, 32)}", f"{v4(rng)}/{rng.randint(8, 32)}x", f"{v4(rng)}/-1",
                       f"{v4(rng)}/33", f"{v4(rng)}/", "10.0.0.01", "10.0.0.0/08", f"{v6(rng)}%eth0", "garbage",
                       f"{v6(rng)}/129", f"{v4(rng)}/+24", f"[{v6(rng)}]", ""])


def probe(rng):
    kind = rng.random()
    if kind < 0.4:
        return str(v4(rng))
    if kind < 0.5:
        return f"::ffff:{v4(rng)}"
    if kind < 0.6:
        return "::FFFF:" + format(int(v4(rng)) >> 16, "x") + ":" + format(int(v4(rng)) & 0xFFFF, "X")
    if kind < 0.85:
        return str(v6(rng))
    if kind < 0.92:
        return v6(rng).exploded.upper()
    return rng.choice([" 10.0.0.1", "10.0.0.1 ", "010.0.0.1", f"{v6(rng)}%1", "10.0.0.1:80", "::1", "1.2.3.4",
                       f"[{v6(rng)}]"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--lists", type=int, default=150)
    ap.add_argument("--probes", type=int, default=60)
    ap.add_argument("--seed", type=int, default=20261203)
    args = ap.parse_args()
    T, W = oracle.load_libddwaf()
    rng = random.Random(args.seed)
    lists = [[entry(rng) for _ in range(rng.randint(1, 12))] for _ in range(args.lists)]
    lists += [["0.0.0.0/0"], ["::/0"], ["::ffff:0:0/96"], ["10.0.0.0/8", "2001:db8::/32"]]
    rules = [{
        "id": f"l{i}", "name": "ip", "tags": {"type": f"ip{i}", "category": "oracle"},
        "conditions": [{"operator": "ip_match", "parameters": {"inputs": [{"address": f"oracle.l{i}"}], "list": entries}}],
    } for i, entries in enumerate(lists)]
    builder = W.py_ddwaf_builder_init()
    diagnostics = T.ddwaf_object()
    W.py_add_or_update_config(builder, "oracle/ips", T.ddwaf_object.create_without_limits(
        {"version": "2.1", "rules": rules}), diagnostics)
    failed = oracle.raw_value(T, diagnostics).get("rules", {}).get("failed", [])
    if failed:
        raise SystemExit(f"ip-oracle: libddwaf rejected rules {failed}")
    handle = W.py_ddwaf_builder_build_instance(builder)
    with open(args.out, "w", encoding="ascii") as out:
        for i, entries in enumerate(lists):
            out.write(f"list\t{i}\t{','.join(entries)}\n")
        for _ in range(args.probes):
            text = probe(rng)
            context = W.py_ddwaf_context_init(handle)
            result = T.ddwaf_object()
            data = T.ddwaf_object.create_without_limits({f"oracle.l{i}": text for i in range(len(lists))})
            if T.ddwaf_context_eval(context.ctx, data, T.DEFAULT_ALLOCATOR, result, 100_000_000) < 0:
                raise SystemExit("ip-oracle: ddwaf_context_eval failed")
            events = oracle.map_get(T, result, b"events")
            matched = sorted(int(oracle.raw_value(T, oracle.map_get(T, oracle.map_get(T, e, b"rule"), b"id"))[1:])
                             for e in (oracle.array_items(events) if events is not None else []))
            out.write(f"probe\t{text}\t{','.join(map(str, matched))}\n")
    print(f"ip-oracle: {len(lists)} lists x {args.probes} probes -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
