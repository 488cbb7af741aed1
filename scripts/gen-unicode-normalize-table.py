#!/usr/bin/env python3
"""Generates Sources/RampartWAF/Transformers/UnicodeNormalizeTable.swift from the Unicode Character Database.

libddwaf's `unicode_normalize` maps each code point on its own (no reordering, no composition) with utf8proc's
options DECOMPOSE | COMPAT | IGNORE | LUMP | STRIPMARK | STRIPNA | CASEFOLD, then puts the case of the original
back (upper stays upper, lower stays lower) and round-trips stray cased letters (ı -> i). This script evaluates that
definition for every code point from the UCD files and writes the result as a compact table:

  python3 scripts/gen-unicode-normalize-table.py [--ucd /usr/share/unicode]   (Debian package `unicode-data`)

Table text: entries separated by ';', each `start[-end]` (hex) alone = dropped, or `start=hex hex ...` = replaced.
Code points absent from the table map to themselves.
"""
import argparse
import os
import sys

LU, LL = "Lu", "Ll"
UNICODE_VERSION = (14, 0)  # the Unicode version of the utf8proc inside libddwaf (checked with the oracle)


def load(ucd):
    category, decomposition, upper, lower = {}, {}, {}, {}
    with open(os.path.join(ucd, "UnicodeData.txt"), encoding="utf-8") as f:
        first = None
        for line in f:
            fields = line.rstrip("\n").split(";")
            cp = int(fields[0], 16)
            if fields[1].endswith(", First>"):
                first = cp
                continue
            start = first if fields[1].endswith(", Last>") else cp
            first = None
            for c in range(start, cp + 1):
                category[c] = fields[2]
            if fields[5]:
                parts = fields[5].split()
                compat = parts[0].startswith("<")
                decomposition[cp] = (compat, [int(p, 16) for p in (parts[1:] if compat else parts)])
            if fields[12]:
                upper[cp] = int(fields[12], 16)
            if fields[13]:
                lower[cp] = int(fields[13], 16)
    casefold = {}
    with open(os.path.join(ucd, "CaseFolding.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#")[0].strip()
            if not line:
                continue
            code, status, mapping = [x.strip() for x in line.split(";")[:3]]
            if status in ("C", "F"):
                casefold[int(code, 16)] = [int(p, 16) for p in mapping.split()]
    ignorable = set()
    with open(os.path.join(ucd, "DerivedCoreProperties.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#")[0].strip()
            if not line:
                continue
            rng, prop = [x.strip() for x in line.split(";")[:2]]
            if prop != "Default_Ignorable_Code_Point":
                continue
            lo, _, hi = rng.partition("..")
            ignorable.update(range(int(lo, 16), int(hi or lo, 16) + 1))
    # libddwaf's utf8proc carries Unicode 14.0 data: what later versions assigned is still unassigned there.
    with open(os.path.join(ucd, "DerivedAge.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#")[0].strip()
            if not line:
                continue
            rng, age = [x.strip() for x in line.split(";")[:2]]
            if tuple(int(x) for x in age.split(".")) <= UNICODE_VERSION:
                continue
            lo, _, hi = rng.partition("..")
            for c in range(int(lo, 16), int(hi or lo, 16) + 1):
                category.pop(c, None)
                decomposition.pop(c, None)
                casefold.pop(c, None)
    return category, decomposition, upper, lower, casefold, ignorable


def make_model(ucd):
    category, decomposition, upper, lower, casefold, ignorable = load(ucd)
    s_base, l_base, v_base, t_base, v_count, t_count, s_count = 0xAC00, 0x1100, 0x1161, 0x11A7, 21, 28, 11172

    def cat(c):
        return category.get(c, "Cn")

    lumps = {0x2018: 0x27, 0x2019: 0x27, 0x02BC: 0x27, 0x02C8: 0x27, 0x2212: 0x2D, 0x2044: 0x2F, 0x2215: 0x2F,
             0x2236: 0x3A, 0x2039: 0x3C, 0x2329: 0x3C, 0x3008: 0x3C, 0x203A: 0x3E, 0x232A: 0x3E, 0x3009: 0x3E,
             0x2216: 0x5C, 0x02C4: 0x5E, 0x02C6: 0x5E, 0x2038: 0x5E, 0x2303: 0x5E, 0x02CD: 0x5F, 0x02CB: 0x60,
             0x2223: 0x7C, 0x223C: 0x7E}

    def decompose(c, lump=True):
        """utf8proc_decompose_char with libddwaf's options."""
        s_index = c - s_base
        if 0 <= s_index < s_count:
            out = [l_base + s_index // (v_count * t_count), v_base + (s_index % (v_count * t_count)) // t_count]
            if s_index % t_count:
                out.append(t_base + s_index % t_count)
            return out
        if c in ignorable:
            return []
        k = cat(c)
        if k == "Cn":
            return []
        if lump:
            if k == "Zs":
                return decompose(0x20, False)
            if c in (0x2018, 0x2019, 0x02BC, 0x02C8):
                return decompose(0x27, False)
            if k == "Pd" or c == 0x2212:
                return decompose(0x2D, False)
            if k == "Pc":
                return decompose(0x5F, False)
            if c in lumps:
                return decompose(lumps[c], False)
        if k in ("Mn", "Mc", "Me"):
            return []
        if c in casefold:
            return [x for part in casefold[c] for x in decompose(part)]
        if c in decomposition:
            return [x for part in decomposition[c][1] for x in decompose(part)]
        return [c]

    def normalize(c):
        """libddwaf's normalize_codepoint: decomposition plus case restoration."""
        if c <= 0x7F or c == 0x200D:
            return [c]
        if c == 0xE0001 or 0xE0020 <= c <= 0xE007F:
            return [c - 0xE0000]  # tag characters: libddwaf yields their ASCII counterpart (seen with the oracle)
        out = decompose(c)
        if len(out) > 24:
            return []
        if c in casefold:
            if cat(c) in (LU, LL):
                was_upper = cat(c) == LU
                out = [upper.get(x, x) if was_upper else lower.get(x, x) for x in out]
        else:
            fixed = []
            for x in out:
                if cat(x) == LU:
                    x = upper.get(lower.get(x, x), lower.get(x, x))
                elif cat(x) == LL:
                    x = lower.get(upper.get(x, x), upper.get(x, x))
                fixed.append(x)
            out = fixed
        return out

    return normalize


def table_text(normalize):
    entries = []
    drop_start = None
    for c in range(0x80, 0x110000):
        out = None if 0xD800 <= c <= 0xDFFF else normalize(c)
        dropped = out == []
        if dropped and drop_start is None:
            drop_start = c
        if not dropped and drop_start is not None:
            entries.append(f"{drop_start:x}" if drop_start == c - 1 else f"{drop_start:x}-{c - 1:x}")
            drop_start = None
        if out and out != [c]:
            entries.append(f"{c:x}=" + " ".join(f"{x:x}" for x in out))
    if drop_start is not None:
        entries.append(f"{drop_start:x}-10ffff")
    return ";".join(entries)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ucd", default="/usr/share/unicode")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "Sources", "RampartWAF",
                                                  "Transformers", "UnicodeNormalizeTable.swift"))
    args = ap.parse_args()
    version = "unknown"
    readme = os.path.join(args.ucd, "ReadMe.txt")
    if os.path.exists(readme):
        for line in open(readme, encoding="utf-8"):
            if "Version" in line and "of the Unicode Standard" in line:
                version = line.split("Version")[1].split("of")[0].strip()
                break
    text = table_text(make_model(args.ucd))
    lines = [text[i:i + 110] for i in range(0, len(text), 110)]
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("// Generated by scripts/gen-unicode-normalize-table.py from the Unicode Character Database "
                f"{version} restricted to Unicode {UNICODE_VERSION[0]}.{UNICODE_VERSION[1]}. Do not edit.\n\n")
        f.write("extension UnicodeNormalizeTable {\n")
        f.write("    /// `start[-end]` = dropped, `start=x y ...` = replaced (hex), `;`-separated; see the generator.\n")
        f.write("    static let source: StaticString = \"\"\"\n")
        for index, line in enumerate(lines):
            f.write("        " + line + ("\\\n" if index + 1 < len(lines) else "\n"))
        f.write("        \"\"\"\n}\n")
    print(f"{len(text)} characters of table -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
