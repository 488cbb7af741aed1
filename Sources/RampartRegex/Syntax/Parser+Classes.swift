/// Character classes: `[...]`, Perl `\d \s \w`, POSIX `[:alpha:]` and Unicode `\p{...}`, with RE2's case folding.
extension PatternParser {
    /// A bracketed class; `position` is at `[`.
    mutating func parseClass() throws(RegexError) -> HIR {
        let classStart = position
        let classOffset = offsets[position]
        position += 1
        var negated = false
        if peek(0) == "^" {
            negated = true
            position += 1
        }
        var members: [ClosedRange<UInt32>] = []
        var plainRanges: [ClosedRange<UInt32>] = []
        var first = true
        // `]` right after `[` or `[^` is a literal.
        while position < scalars.count && (scalars[position] != "]" || first) {
            first = false
            if scalars[position] == "[" && peek(1) == ":" && position + 2 < scalars.count,
               let set = try parsePOSIXClass() {
                members += set.ranges
                continue
            }
            if scalars[position] == "\\" && position + 2 < scalars.count && (peek(1) == "p" || peek(1) == "P") {
                members += try parseUnicodeClass().ranges
                continue
            }
            if scalars[position] == "\\", let letter = peek(1), "dDsSwW".unicodeScalars.contains(letter) {
                members += perlClass(letter).ranges
                position += 2
                continue
            }
            let rangeStart = position
            let low = try parseClassScalar(classStart: classStart)
            var high = low
            if peek(0) == "-", let after = peek(1), after != "]" {
                position += 1
                high = try parseClassScalar(classStart: classStart)
                guard high >= low else {
                    throw error(.invalidCharacterRange(text(from: rangeStart, to: position)),
                                at: offsets[rangeStart])
                }
            }
            plainRanges.append(low...high)
        }
        guard position < scalars.count else { throw error(.missingClosingBracket, at: classOffset) }
        position += 1
        // Folding the plain ranges together equals folding each one (closure distributes over union); named
        // classes arrive already folded.
        if flags.contains(.caseInsensitive) && !plainRanges.isEmpty {
            members += CaseFolding.closure(of: CodePointSet(plainRanges)).ranges
        } else {
            members += plainRanges
        }
        let set = CodePointSet(members)
        return Self.classNode(negated ? set.inverted() : set)
    }

    /// One class member scalar, literal or escaped.
    private mutating func parseClassScalar(classStart: Int) throws(RegexError) -> UInt32 {
        guard position < scalars.count else { throw error(.missingClosingBracket, at: offsets[classStart]) }
        if scalars[position] == "\\" { return try parseEscapedScalar() }
        position += 1
        return scalars[position - 1].value
    }

    /// `[:name:]` or `[:^name:]`; `position` is at `[`. Returns nil (consuming nothing) when no `:]` follows,
    /// in which case RE2 reads the `[` as a literal member.
    private mutating func parsePOSIXClass() throws(RegexError) -> CodePointSet? {
        var end = position + 2
        while end + 1 < scalars.count && !(scalars[end] == ":" && scalars[end + 1] == "]") { end += 1 }
        guard end + 1 < scalars.count else { return nil }
        let whole = text(from: position, to: end + 2)
        var name = text(from: position + 2, to: end)
        let negated = name.hasPrefix("^")
        if negated { name.removeFirst() }
        guard let set = NamedClasses.posix(name) else {
            throw error(.invalidCharacterClass(whole), at: offsets[position])
        }
        position = end + 2
        return applyingFlags(to: set, negated: negated)
    }

    /// `\d \s \w` and their complements `\D \S \W`.
    func perlClass(_ letter: Unicode.Scalar) -> CodePointSet {
        let lower = Unicode.Scalar(letter.value | 0x20) ?? letter
        let negated = letter != lower
        let caseInsensitive = flags.contains(.caseInsensitive)
        if let cached = NamedClasses.resolvedPerl(lower, caseInsensitive: caseInsensitive, negated: negated) {
            return cached
        }
        let set = NamedClasses.perl(lower) ?? CodePointSet()
        return applyingFlags(to: set, negated: negated)
    }

    /// `\pN`, `\p{Name}`, `\p{^Name}`, `\PN`, `\P{Name}`; `position` is at `\`.
    mutating func parseUnicodeClass() throws(RegexError) -> CodePointSet {
        let escapeStart = position
        let escapeOffset = offsets[position]
        var negated = peek(1) == "P"
        position += 2
        guard let opening = peek(0) else {
            throw error(.invalidUnicodeClass(text(from: escapeStart, to: position)), at: escapeOffset)
        }
        var name: String
        if opening == "{" {
            var end = position + 1
            while end < scalars.count && scalars[end] != "}" { end += 1 }
            guard end < scalars.count else {
                throw error(.invalidUnicodeClass(text(from: escapeStart, to: scalars.count)), at: escapeOffset)
            }
            name = text(from: position + 1, to: end)
            position = end + 1
        } else {
            name = String(opening)
            position += 1
        }
        if name.hasPrefix("^") {
            negated.toggle()
            name.removeFirst()
        }
        guard let set = NamedClasses.unicode(name) else {
            throw error(.invalidUnicodeClass(text(from: escapeStart, to: position)), at: escapeOffset)
        }
        return applyingFlags(to: set, negated: negated)
    }

    /// Case folding as RE2 applies it to a named class: a class gains its case variants under `i`, and a negated
    /// class is the complement of the folded class (so `(?i)\W` excludes U+212A KELVIN SIGN, a variant of `k`).
    private func applyingFlags(to set: CodePointSet, negated: Bool) -> CodePointSet {
        let folded = flags.contains(.caseInsensitive) ? CaseFolding.closure(of: set) : set
        return negated ? folded.inverted() : folded
    }
}
