#!/usr/bin/env python3
"""Learns what Datadog's libddwaf (shipped in the PyPI package `ddtrace`) makes of byte strings under each of its
transformers, so that Rampart's `Transformer` can be compared with it byte for byte.

  pip install ddtrace
  python3 scripts/transformer-oracle.py --out cases.jsonl [--corpus ../shared/corpus/requests-dev.jsonl]

How: one ruleset holds one rule per transformer (and per transformer chain used by real rulesets), each reading its
own address with `match_regex` and an empty pattern, which matches every non-empty value. libddwaf reports the value
it matched in the event, i.e. the value after its transformers; the event's string is read as raw bytes, so invalid
UTF-8 survives. Each rule carries its own `type` tag because libddwaf stops a rule collection (same type) at its first
match.

Writes tab-separated lines (cheap to read from Swift without a JSON parser):
  name <TAB> <spelling> <TAB> accepted|rejected        one per candidate transformer spelling
  chain <TAB> <index> <TAB> <name,name,...>            one per transformer chain
  case <TAB> <chain index> <TAB> <input hex> <TAB> <output hex>   one per (chain, input)
Inputs: generated tricky values per transformer family (fixed seed) plus every string of the request corpus.
Exit status 3 when ddtrace (libddwaf) is not importable.
"""
import argparse
import ctypes
import json
import os
import random
import sys
import urllib.parse

# libddwaf's canonical transformer names (its aliases map onto these).
TRANSFORMERS = [
    "lowercase", "remove_nulls", "compress_whitespace", "normalize_path", "normalize_path_win", "unicode_normalize",
    "url_decode", "url_decode_iis", "url_path", "url_basename", "url_querystring", "html_entity_decode", "js_decode",
    "css_decode", "base64_decode", "base64url_decode", "base64_encode", "shell_unescape", "remove_comments",
]
# Chains as they appear in Datadog's rulesets: each step sees the previous step's output.
CHAINS = [
    ["removeNulls", "urlDecodeUni", "lowercase"],
    ["urlDecodeUni", "unicode_normalize"],
    ["lowercase", "removeNulls", "compressWhiteSpace"],
    ["normalizePath", "removeNulls"],
    ["htmlEntityDecode", "jsDecode", "cssDecode", "lowercase"],
    ["base64Decode", "removeComments"],
    ["cmdLine", "urlDecode"],
]
# Spellings whose acceptance by libddwaf is recorded, so the Swift side can accept exactly the same set.
CANDIDATE_NAMES = TRANSFORMERS + [
    "removeNulls", "compressWhiteSpace", "normalizePath", "normalizePathWin", "urlDecode", "urlDecodeUni", "cssDecode",
    "jsDecode", "htmlEntityDecode", "base64Decode", "base64Encode", "cmdLine", "_sqr_basename", "_sqr_filename",
    "_sqr_querystring", "removeComments",
    # plausible spellings libddwaf does not take
    "compressWhitespace", "urlPath", "urlBasename", "urlQuerystring", "base64DecodeExt", "shellUnescape",
    "unicodeNormalize", "base64UrlDecode", "url_decode_uni", "Lowercase", "trim", "hexDecode", "none",
]
MAX_STRING = 4096  # libddwaf's default string limit: longer inputs are truncated before any transformer runs


def load_libddwaf():
    try:
        from ddtrace.appsec._ddwaf import ddwaf_types as T
        from ddtrace.appsec._ddwaf import waf as W
    except Exception as error:  # noqa: BLE001 - any import failure means "no oracle here"
        print(f"transformer-oracle: ddtrace/libddwaf unavailable: {error}", file=sys.stderr)
        sys.exit(3)
    return T, W


def raw_value(T, obj):
    """A ddwaf_object as Python data, with strings as raw bytes (ddtrace's own `.struct` drops invalid UTF-8)."""
    t = obj.type
    if t == T.DDWAF_OBJ_TYPE.DDWAF_OBJ_SMALL_STRING:
        s = obj.value.sstr
        return ctypes.string_at(ctypes.addressof(s) + T._SMALL_STRING_DATA_OFFSET, s.size)
    if t in (T.DDWAF_OBJ_TYPE.DDWAF_OBJ_STRING, T.DDWAF_OBJ_TYPE.DDWAF_OBJ_LITERAL_STRING):
        s = obj.value.str
        return ctypes.string_at(s.ptr, s.size) if s.ptr and s.size else b""
    if t == T.DDWAF_OBJ_TYPE.DDWAF_OBJ_MAP:
        m = obj.value.map
        return {raw_value(T, m.ptr[i].key).decode("utf-8", "replace"): raw_value(T, m.ptr[i].val) for i in range(m.size)}
    if t == T.DDWAF_OBJ_TYPE.DDWAF_OBJ_ARRAY:
        a = obj.value.array
        return [raw_value(T, a.ptr[i]) for i in range(a.size)]
    return None


def map_get(T, obj, key):
    """The value under `key` (bytes) in a ddwaf_object map, without converting the rest of the map."""
    m = obj.value.map
    for i in range(m.size):
        if raw_value(T, m.ptr[i].key) == key:
            return m.ptr[i].val
    return None


def array_items(obj):
    a = obj.value.array
    return [a.ptr[i] for i in range(a.size)]


class Oracle:
    def __init__(self, chains):
        self.T, W = load_libddwaf()
        T = self.T
        self.chains = chains
        rules = [{
            "id": f"t{i}", "name": "+".join(chain), "tags": {"type": f"oracle{i}", "category": "oracle"},
            "conditions": [{"operator": "match_regex",
                            "parameters": {"inputs": [{"address": f"oracle.t{i}"}], "regex": ""}}],
            "transformers": chain,
        } for i, chain in enumerate(chains)]
        builder = W.py_ddwaf_builder_init()
        diagnostics = T.ddwaf_object()
        W.py_add_or_update_config(builder, "oracle/rules", T.ddwaf_object.create_without_limits(
            {"version": "2.1", "rules": rules}), diagnostics)
        info = raw_value(T, diagnostics)
        failed = info.get("rules", {}).get("failed", [])
        if failed:
            raise SystemExit(f"transformer-oracle: libddwaf rejected rules {failed}: {info}")
        # Obfuscation off: values must come back verbatim.
        never = "^\x01rampart-never\x01$"
        W.py_add_or_update_config(builder, "oracle/obfuscator", T.ddwaf_object.create_without_limits(
            {"obfuscator": {"key_regex": never, "value_regex": never}}), T.ddwaf_object())
        self.handle = W.py_ddwaf_builder_build_instance(builder)
        self.W = W

    def run(self, value):
        """Output of every chain for one input (bytes), as {chain index: bytes}."""
        T, W = self.T, self.W
        context = W.py_ddwaf_context_init(self.handle)
        data = T.ddwaf_object.create_without_limits({f"oracle.t{i}": value for i in range(len(self.chains))})
        result = T.ddwaf_object()
        code = T.ddwaf_context_eval(context.ctx, data, T.DEFAULT_ALLOCATOR, result, 10_000_000)
        if code < 0:
            raise SystemExit(f"transformer-oracle: ddwaf_context_eval failed with {code}")
        outputs = {}
        events = map_get(T, result, b"events")
        for event in array_items(events) if events is not None else []:
            index = int(raw_value(T, map_get(T, map_get(T, event, b"rule"), b"id"))[1:])
            match = array_items(map_get(T, event, b"rule_matches"))[0]
            parameter = array_items(map_get(T, match, b"parameters"))[0]
            outputs[index] = raw_value(T, map_get(T, parameter, b"value"))
        T.ddwaf_object_free(result)
        return outputs


def accepted_names(T, W, names):
    """Which transformer spellings libddwaf loads (a rule using a rejected one fails to load)."""
    rules = [{"id": name, "name": name, "tags": {"type": f"n{i}", "category": "oracle"},
              "conditions": [{"operator": "match_regex",
                              "parameters": {"inputs": [{"address": "oracle.name"}], "regex": "x"}}],
              "transformers": [name]} for i, name in enumerate(names)]
    builder = W.py_ddwaf_builder_init()
    diagnostics = T.ddwaf_object()
    W.py_add_or_update_config(builder, "oracle/names", T.ddwaf_object.create_without_limits(
        {"version": "2.1", "rules": rules}), diagnostics)
    loaded = {x.decode() for x in raw_value(T, diagnostics).get("rules", {}).get("loaded", [])}
    return {name: name in loaded for name in names}


def generated_inputs(seed, count):
    rng = random.Random(seed)
    fixed = [
        # url decoding: truncated, invalid and IIS escapes, plus signs
        b"%41%4", b"%4", b"%", b"%%41", b"%zz%41", b"a+b%20c", b"%u0041%U00e9%u12", b"%uD800%uDC00", b"%u0000",
        b"%25%34%31", b"%2525%2541", b"%%u0041", b"%u", b"%u004", b"%ff%fe", b"%C0%AE%C0%AE%2F", b"+",
        # html entities
        b"&#x41;&#X42&#67;&#68", b"&lt;&GT;&amp;&quot;&nbsp;&apos;", b"&#0;", b"&#x110000;", b"&#99999999999;",
        b"&#x;", b"&#;", b"&", b"&&", b"&#", b"&#x", b"a&b", b"&lt", b"&LT;", b"&#xD800;", b"&#65&#66;x", b"&#x1F600;",
        # js / css escapes
        b"\\x41\\x4", b"\\u0041\\u00e9\\uD83D\\uDE00", b"\\uD83D", b"\\uD83Dx", b"\\uD83D\\u0041", b"\\uDE00",
        b"\\n\\t\\r\\b\\f\\v\\a\\0\\\\\\'\\\"", b"\\", b"a\\", b"\\u004", b"\\x", b"\\u0000",
        b"\\41 \\000041x\\110000 \\D800\\\n", b"\\0", b"\\g\\", b"\\41\t\\42\n\\43",
        # base64
        b"SGVsbG8=", b"SGVsbG8", b"SGVsbA==", b"SGVsbA=", b"SGVsbA===", b"SGV=sbA", b"SGVsbG8gV29ybGQh", b"YQ", b"Y",
        b"YWJj-_", b"YWJj+/", b"====", b"A", b"AA", b"AAA", b"AAAA", b"AAAAA", b"QUJD\n", b"eyJhbGciOiJIUzI1NiJ9",
        # paths and URLs
        b"/a/b/../c/./d", b"../../etc/passwd", b"./x", b"/./", b"/..", b"/../..", b"a/..", b"..", b".", b"./", b"/.",
        b"a\\b\\..\\c", b"C:\\Windows\\..\\system32\\.\\x", b"/a//b///c", b"/a/b/.", b"/a/b/..", b"/.../x", b"/a./b",
        b"/path/file.php?x=1#frag", b"file?", b"?q", b"#f", b"/", b"/a/", b"a/b", b"noslash", b"a?b?c#d#e", b"?",
        b"http://h/p/q.js?x=/y#z/", b"a#b?c",
        # whitespace, comments, shell
        b"a  b   c", b"  ", b" a ", b"a\t\tb", b"a \t b", b"a /* c */ b", b"a /* unterminated", b"<!-- x --> y",
        b"<!-- x", b"a -- b", b"a # b", b"a // b", b"/**/x/**/", b"/*/", b"<!--->", b"--", b"-", b"/",
        b"c\\a\"t' /e^t^c/p\"a\"s\"s\"w\"d", b"ls ;  id", b"a , b", b"a  (b)", b"A B\tC\nD", b"x ;", b" ;",
        b"\x00a\x00b\x00", b"\x00", b"ABCdef\xc3\x89",
        # unicode normalisation
        "é É ﬁ ß ẞ ı İ Å ℌ ① ｆｕｌｌ ﹤script﹥ ‐ – — … ‘’ “” ́".encode(), "Ǆ ǅ ǆ Ω K Å ﬀ ﬃ ſ ẛ".encode(),
        "\u200d\u200b\u00ad\u2060\ufeff\u0301e\u0308".encode(), "😀👍🏽👨\u200d👩".encode(), "\U000e0001\U0010ffff".encode(),
        "ｓｅｌｅｃｔ　１".encode(), "＜ｓｃｒｉｐｔ＞".encode(), "Ⅻ ½ ㎞ ™ ℃".encode(), "ΐ ᾈ ǰ".encode(),
        # invalid UTF-8: overlong, surrogates, truncated, stray continuation
        b"\xc0\xae\xc0\xaf", b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc3", b"\x80abc", b"\xff\xfe",
        b"\xe2\x82", b"a\xf0\x9f\x98", b"\xf8\x88\x80\x80\x80", b"\xc3\xa9\xc3", b"\xc3\x28",
        b"\x00\xc3\xa9", b"\xc0\xae\xff\x00\xc3\xa9", b"\xc0\xae\xff\x61", b"\xf4\x90\x80\x80", b"\xf0\x80\x80\x80\xc3\xa9",
        b"\xed\xa0\x80\xc3\xa9", "a\u00adb\u0301".encode(), "\U000e0041".encode(),
        # cases the unit tests pin down
        b"&lt\x1b", b"&#0", b"&#0;", b"a,", b"x ;", b"%2B", b"%zz%", b"a  ", b"AAAAAAAAAAAAAAAAZZ", b"a\\.", b"/",
        b"noslash?q", b"no query", b"select 1 -- rest", b"a - b / c", b"ls -la", b"SGVsbA=", b"YWI==", b"a=", b"====",
        b"%3CSCRIPT%00>", b"abc", b"plain ascii", b"\\n\\t\\r\\b\\f\\v\\a\\0\\\\\\'\\\"",
    ]
    alphabet = b"%+&#;xXuU\\/.?=-_*<!>'\"^,;() \t\n\x00aAzZ09fF" + bytes([0xc3, 0xa9, 0x80, 0xff, 0xe2])
    pieces = [b"%41", b"%u00e9", b"&#x41;", b"&lt;", b"\\u0041", b"\\x41", b"\\41 ", b"/../", b"/./", b"/*", b"*/",
              b"<!--", b"-->", b"--", b"  ", "é".encode(), "ﬁ".encode(), "Ａ".encode(), b"SGVs", b"==", b"%2e%2e%2f"]
    for _ in range(count):
        out = bytearray()
        for _ in range(rng.randint(1, 24)):
            if rng.random() < 0.35:
                out += rng.choice(pieces)
            else:
                out.append(rng.choice(alphabet))
        fixed.append(bytes(out))
    for _ in range(count // 4):  # random code points, all planes
        fixed.append("".join(chr(rng.choice([rng.randint(0x80, 0x2FFF), rng.randint(0xF900, 0xFFFF),
                                             rng.randint(0x10000, 0x1FFFF)])) for _ in range(rng.randint(1, 6)))
                     .encode("utf-8", "surrogatepass"))
    return fixed


def corpus_strings(path):
    """Every string a request of the corpus yields through the CORPUS.md address mapping (decoded and raw)."""
    out = []

    def walk(v):
        if isinstance(v, str):
            out.append(v.encode("utf-8", "surrogatepass"))
        elif isinstance(v, dict):
            for k, x in v.items():
                out.append(k.encode("utf-8", "surrogatepass"))
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            walk(r.get("path", ""))
            walk(r.get("query", ""))
            walk(r["path"] + ("?" + r["query"] if r.get("query") else ""))
            for k, vs in urllib.parse.parse_qs(r.get("query", ""), keep_blank_values=True).items():
                walk(k)
                walk(vs)
            for name, value in r.get("headers", []):
                walk(value)
            if r.get("body") is not None:
                walk(r["body"])
                try:
                    walk(json.loads(r["body"]))
                except ValueError:
                    walk(urllib.parse.parse_qs(r["body"], keep_blank_values=True))
            walk(r.get("path_params") or {})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--corpus", help="request corpus JSONL (CORPUS.md format); its strings are added as inputs")
    ap.add_argument("--random", type=int, default=3000, help="number of random generated inputs")
    ap.add_argument("--seed", type=int, default=20261203)
    args = ap.parse_args()

    chains = [[name] for name in TRANSFORMERS] + CHAINS
    oracle = Oracle(chains)
    inputs = generated_inputs(args.seed, args.random)
    if args.corpus:
        inputs += corpus_strings(args.corpus)
    seen, unique = set(), []
    for value in inputs:
        value = value[:MAX_STRING]
        if value and value not in seen:
            seen.add(value)
            unique.append(value)

    written = 0
    with open(args.out, "w", encoding="ascii") as out:
        for name, accepted in accepted_names(oracle.T, oracle.W, CANDIDATE_NAMES).items():
            out.write(f"name\t{name}\t{'accepted' if accepted else 'rejected'}\n")
        for index, chain in enumerate(chains):
            out.write(f"chain\t{index}\t{','.join(chain)}\n")
        for value in unique:
            outputs = oracle.run(value)
            for index, chain in enumerate(chains):
                # No event means the transformed value was empty: libddwaf matches no regex on an empty string.
                output = outputs.get(index, b"")
                out.write(f"case\t{index}\t{value.hex()}\t{output.hex()}\n")
                written += 1
    print(f"transformer-oracle: {len(unique)} inputs x {len(chains)} chains = {written} cases -> {args.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
