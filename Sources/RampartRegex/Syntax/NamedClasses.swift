/// The named classes of RE2 syntax: Perl (`\d \s \w`), POSIX (`[:alpha:]`) and Unicode (`\pL`, `\p{Greek}`).
///
/// Perl and POSIX classes are ASCII-only, as in RE2; Unicode classes come from the generated `UnicodeTables`.
enum NamedClasses {
    /// `\d`, `\s`, `\w` (lowercase letter); the uppercase forms are their complements.
    static func perl(_ letter: Unicode.Scalar) -> CodePointSet? {
        switch letter {
        case "d": return CodePointSet([0x30...0x39])
        case "s": return CodePointSet([0x09...0x0A, 0x0C...0x0D, 0x20...0x20])
        case "w": return wordCharacters
        default: return nil
        }
    }

    /// `\d \s \w` with the `i` flag and negation applied (folding first, as `PatternParser.applyingFlags`), built
    /// once: every use in a pattern would otherwise fold and complement the same sets again.
    private static let resolvedPerlClasses: [CodePointSet] = {
        var result: [CodePointSet] = []
        for letter in ["d", "s", "w"] as [Unicode.Scalar] {
            for caseInsensitive in [false, true] {
                for negated in [false, true] {
                    let set = perl(letter) ?? CodePointSet()
                    let folded = caseInsensitive ? CaseFolding.closure(of: set) : set
                    result.append(negated ? folded.inverted() : folded)
                }
            }
        }
        return result
    }()

    /// `\d \s \w` (`letter` lowercase) resolved for the flags; nil for other letters.
    static func resolvedPerl(_ letter: Unicode.Scalar, caseInsensitive: Bool, negated: Bool) -> CodePointSet? {
        let base: Int
        switch letter {
        case "d": base = 0
        case "s": base = 4
        case "w": base = 8
        default: return nil
        }
        return resolvedPerlClasses[base + (caseInsensitive ? 2 : 0) + (negated ? 1 : 0)]
    }

    /// `[0-9A-Za-z_]`, the word characters of `\w` and `\b`.
    static let wordCharacters = CodePointSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])

    /// The POSIX class called `name` (without `[:` `:]` and without `^`).
    static func posix(_ name: String) -> CodePointSet? {
        switch name {
        case "alnum": return CodePointSet([0x30...0x39, 0x41...0x5A, 0x61...0x7A])
        case "alpha": return CodePointSet([0x41...0x5A, 0x61...0x7A])
        case "ascii": return CodePointSet([0x00...0x7F])
        case "blank": return CodePointSet([0x09...0x09, 0x20...0x20])
        case "cntrl": return CodePointSet([0x00...0x1F, 0x7F...0x7F])
        case "digit": return CodePointSet([0x30...0x39])
        case "graph": return CodePointSet([0x21...0x7E])
        case "lower": return CodePointSet([0x61...0x7A])
        case "print": return CodePointSet([0x20...0x7E])
        case "punct": return CodePointSet([0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E])
        case "space": return CodePointSet([0x09...0x0D, 0x20...0x20])
        case "upper": return CodePointSet([0x41...0x5A])
        case "word": return wordCharacters
        case "xdigit": return CodePointSet([0x30...0x39, 0x41...0x46, 0x61...0x66])
        default: return nil
        }
    }

    /// A Unicode general category (`L`, `Lu`, ...), script (`Greek`, `Latin`, ...) or `Any`, names as RE2 spells
    /// them (case-sensitive).
    static func unicode(_ name: String) -> CodePointSet? {
        if name == "Any" { return CodePointSet([0...0x10FFFF]) }
        guard let pairs = UnicodeTables.ranges(named: name) else { return nil }
        var ranges: [ClosedRange<UInt32>] = []
        ranges.reserveCapacity(pairs.count / 2)
        var index = 0
        while index + 1 < pairs.count {
            ranges.append(pairs[index]...pairs[index + 1])
            index += 2
        }
        return CodePointSet(ranges)
    }
}
