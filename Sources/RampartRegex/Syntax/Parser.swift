/// Entry point of the syntax stage: pattern text in RE2 syntax to `HIR`, every flag resolved.
public enum RegexParser {
    /// The deepest group nesting accepted; deeper patterns fail with `.nestingTooDeep`.
    public static let maxNestingDepth = 1000
    /// RE2's limit on a counted repetition bound, and on the product of nested counted repetitions.
    public static let maxRepeatCount = 1000

    public static func parse(_ pattern: String, options: RegexOptions = []) throws(RegexError) -> HIR {
        var parser = PatternParser(pattern: pattern, options: options)
        return try parser.parse()
    }
}

/// The parser proper: one pass over the pattern's scalars with an explicit stack of open groups, so that no
/// pattern, however deeply nested, can exhaust the call stack.
struct PatternParser {
    /// One parsed element of a concatenation, with the product of the counted repetitions it contains (RE2 rejects
    /// nestings such as `(a{100}){100}` whose product exceeds 1000).
    struct Node {
        var hir: HIR
        var repeatProduct: Int
    }

    /// An open group (or the whole pattern at the bottom of the stack).
    struct Frame {
        enum Kind {
            case root
            case capture(index: Int, name: String?)
            case nonCapturing
        }

        var kind: Kind
        /// Flags to restore when the group closes: `(?i)` inside a group lasts until its `)`.
        var savedFlags: RegexOptions
        /// Byte offset of the group's `(`.
        var openOffset: Int
        var finishedBranches: [Node] = []
        var items: [Node] = []
    }

    let pattern: String
    let scalars: [Unicode.Scalar]
    /// `offsets[i]` is the UTF-8 byte offset of `scalars[i]`; `offsets[scalars.count]` is the pattern's length.
    let offsets: [Int]
    var position = 0
    var flags: RegexOptions
    var frames: [Frame]
    var captureCount = 0
    /// Scalar index where the previous token started when it was a repetition operator (RE2 rejects `a**`, `a{2}*`).
    var previousRepetitionStart: Int?

    init(pattern: String, options: RegexOptions) {
        self.pattern = pattern
        var scalars: [Unicode.Scalar] = []
        var offsets: [Int] = []
        scalars.reserveCapacity(pattern.utf8.count)
        offsets.reserveCapacity(pattern.utf8.count &+ 1)
        var offset = 0
        for scalar in pattern.unicodeScalars {
            scalars.append(scalar)
            offsets.append(offset)
            offset &+= UTF8.width(scalar)
        }
        offsets.append(offset)
        self.scalars = scalars
        self.offsets = offsets
        self.flags = options
        self.frames = [Frame(kind: .root, savedFlags: options, openOffset: 0)]
    }

    // MARK: - Main loop

    mutating func parse() throws(RegexError) -> HIR {
        while position < scalars.count {
            let start = position
            var isRepetition = false
            switch scalars[position] {
            case "(":
                try openGroup()
            case "|":
                position += 1
                finishBranch()
            case ")":
                try closeGroup()
            case "^":
                position += 1
                push(.assertion(flags.contains(.multiline) ? .startOfLine : .startOfText))
            case "$":
                position += 1
                push(.assertion(flags.contains(.multiline) ? .endOfLine : .endOfText))
            case ".":
                position += 1
                let any: CodePointSet = flags.contains(.dotMatchesNewline)
                    ? CodePointSet([0...0x10FFFF]) : CodePointSet([0...0x09, 0x0B...0x10FFFF])
                push(.characterClass(any))
            case "[":
                push(try parseClass())
            case "*", "+", "?":
                try parseSimpleRepetition()
                isRepetition = true
            case "{":
                isRepetition = try parseCountedRepetition()
            case "\\":
                try parseTopLevelEscape()
            default:
                pushLiteral(scalars[position].value)
                position += 1
            }
            previousRepetitionStart = isRepetition ? start : nil
        }
        guard frames.count == 1, let root = frames.last else {
            throw error(.missingClosingParenthesis, at: frames.last?.openOffset ?? 0)
        }
        return Self.alternation(of: root.finishedBranches + [Self.concatenation(of: root.items)]).hir
    }

    // MARK: - Groups

    private mutating func openGroup() throws(RegexError) {
        let openOffset = offsets[position]
        if peek(1) == "?" {
            try parseGroupPrefix()
            return
        }
        position += 1
        captureCount += 1
        try pushFrame(.capture(index: captureCount, name: nil), openOffset: openOffset)
    }

    private mutating func pushFrame(_ kind: Frame.Kind, openOffset: Int) throws(RegexError) {
        guard frames.count <= RegexParser.maxNestingDepth else { throw error(.nestingTooDeep, at: openOffset) }
        frames.append(Frame(kind: kind, savedFlags: flags, openOffset: openOffset))
    }

    /// `(?` followed by a name, flags, or one of the constructs RE2 rejects.
    private mutating func parseGroupPrefix() throws(RegexError) {
        let openOffset = offsets[position]
        let next = peek(2)
        switch next {
        case "P":
            switch peek(3) {
            case "<": try parseNamedGroup(nameStart: position + 4)
            case "=": throw error(.unsupported("backreference (?P=name)"), at: openOffset)
            case ">": throw error(.unsupported("recursive reference (?P>name)"), at: openOffset)
            default: throw error(.invalidFlags(text(from: position, to: min(position + 3, scalars.count))), at: openOffset)
            }
        case "<":
            switch peek(3) {
            case "=": throw error(.unsupported("lookbehind (?<=...)"), at: openOffset)
            case "!": throw error(.unsupported("negative lookbehind (?<!...)"), at: openOffset)
            default: try parseNamedGroup(nameStart: position + 3)
            }
        case "=": throw error(.unsupported("lookahead (?=...)"), at: openOffset)
        case "!": throw error(.unsupported("negative lookahead (?!...)"), at: openOffset)
        case ">": throw error(.unsupported("atomic group (?>...)"), at: openOffset)
        case "#": throw error(.unsupported("comment group (?#...)"), at: openOffset)
        case "|": throw error(.unsupported("branch reset group (?|...)"), at: openOffset)
        case "(": throw error(.unsupported("conditional group (?(...)...)"), at: openOffset)
        case "R", "&", "+", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9":
            throw error(.unsupported("recursion or subroutine call"), at: openOffset)
        default:
            try parseFlagGroup()
        }
    }

    /// `(?P<name>` or `(?<name>`: a capture group with a name made of Unicode word characters, as RE2.
    private mutating func parseNamedGroup(nameStart: Int) throws(RegexError) {
        let openOffset = offsets[position]
        var end = nameStart
        while end < scalars.count && scalars[end] != ">" { end += 1 }
        guard end < scalars.count else {
            throw error(.invalidGroupName(text(from: position, to: scalars.count)), at: openOffset)
        }
        let name = text(from: nameStart, to: end)
        guard !name.isEmpty, scalars[nameStart..<end].allSatisfy(Self.isCaptureNameScalar) else {
            throw error(.invalidGroupName(name), at: openOffset)
        }
        position = end + 1
        captureCount += 1
        try pushFrame(.capture(index: captureCount, name: name), openOffset: openOffset)
    }

    private static func isCaptureNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber, .connectorPunctuation:
            return true
        default:
            return false
        }
    }

    /// `(?flags)` or `(?flags:...)` with flags from `imsU`, optionally negated after a `-`.
    private mutating func parseFlagGroup() throws(RegexError) {
        let openOffset = offsets[position]
        var cursor = position + 2
        var newFlags = flags
        var negated = false
        var sawFlag = false
        while true {
            guard cursor < scalars.count else {
                throw error(.invalidFlags(text(from: position, to: cursor)), at: openOffset)
            }
            let scalar = scalars[cursor]
            cursor += 1
            let flag: RegexOptions
            switch scalar {
            case "i": flag = .caseInsensitive
            case "m": flag = .multiline
            case "s": flag = .dotMatchesNewline
            case "U": flag = .ungreedy
            case "-":
                guard !negated else { throw error(.invalidFlags(text(from: position, to: cursor)), at: openOffset) }
                negated = true
                // `(?-)` and `(?i-)` negate nothing, which RE2 rejects.
                sawFlag = false
                continue
            case ":", ")":
                guard !negated || sawFlag else {
                    throw error(.invalidFlags(text(from: position, to: cursor)), at: openOffset)
                }
                position = cursor
                if scalar == ":" {
                    // The group restores the flags in force before it; its own flags apply inside.
                    try pushFrame(.nonCapturing, openOffset: openOffset)
                }
                flags = newFlags
                return
            default:
                throw error(.invalidFlags(text(from: position, to: cursor)), at: openOffset)
            }
            sawFlag = true
            if negated { newFlags.remove(flag) } else { newFlags.insert(flag) }
        }
    }

    private mutating func closeGroup() throws(RegexError) {
        guard frames.count > 1, let frame = frames.popLast() else {
            throw error(.unexpectedClosingParenthesis, at: offsets[position])
        }
        position += 1
        flags = frame.savedFlags
        var node = Self.alternation(of: frame.finishedBranches + [Self.concatenation(of: frame.items)])
        if case .capture(let index, let name) = frame.kind {
            node.hir = .capture(index: index, name: name, node.hir)
        }
        frames[frames.count - 1].items.append(node)
    }

    private mutating func finishBranch() {
        let last = frames.count - 1
        frames[last].finishedBranches.append(Self.concatenation(of: frames[last].items))
        frames[last].items = []
    }

    // MARK: - Repetition

    /// `*`, `+`, `?`, each optionally followed by `?` for the lazy form.
    private mutating func parseSimpleRepetition() throws(RegexError) {
        let operatorOffset = offsets[position]
        let operatorStart = position
        let (min, max): (Int, Int?) = switch scalars[position] {
        case "*": (0, nil)
        case "+": (1, nil)
        default: (0, 1)
        }
        position += 1
        let lazy = peek(0) == "?"
        if lazy { position += 1 }
        try checkNotStacked(operatorStart: operatorStart)
        try applyRepetition(min: min, max: max, lazy: lazy, counted: false, operatorOffset: operatorOffset)
    }

    /// `{n}`, `{n,}`, `{n,m}` (and lazy forms). Returns false when the brace does not start a valid repetition, in
    /// which case RE2 reads `{` as a literal.
    private mutating func parseCountedRepetition() throws(RegexError) -> Bool {
        let operatorOffset = offsets[position]
        let operatorStart = position
        var cursor = position + 1
        guard let min = parseDecimal(&cursor) else {
            pushLiteral(0x7B)
            position += 1
            return false
        }
        var max: Int? = min
        if cursor < scalars.count && scalars[cursor] == "," {
            cursor += 1
            if cursor < scalars.count && scalars[cursor] == "}" {
                max = nil
            } else if let upper = parseDecimal(&cursor) {
                max = upper
            } else {
                pushLiteral(0x7B)
                position += 1
                return false
            }
        }
        guard cursor < scalars.count && scalars[cursor] == "}" else {
            pushLiteral(0x7B)
            position += 1
            return false
        }
        position = cursor + 1
        let lazy = peek(0) == "?"
        if lazy { position += 1 }
        try checkNotStacked(operatorStart: operatorStart)
        let operatorText = text(from: operatorStart, to: position)
        if let max, max < min {
            throw error(.invalidRepetition("\(operatorText): maximum below minimum"), at: operatorOffset)
        }
        if min > RegexParser.maxRepeatCount || (max ?? 0) > RegexParser.maxRepeatCount {
            throw error(.repetitionTooLarge, at: operatorOffset)
        }
        try applyRepetition(min: min, max: max, lazy: lazy, counted: true, operatorOffset: operatorOffset)
        return true
    }

    /// A decimal number as RE2 reads it in braces: digits without a leading zero (except `0` itself), below 10^9.
    private func parseDecimal(_ cursor: inout Int) -> Int? {
        guard cursor < scalars.count, let first = Self.digitValue(scalars[cursor]) else { return nil }
        if first == 0, cursor + 1 < scalars.count, Self.digitValue(scalars[cursor + 1]) != nil { return nil }
        var value = 0
        while cursor < scalars.count, let digit = Self.digitValue(scalars[cursor]) {
            guard value < 100_000_000 else { return nil }
            value = value * 10 + digit
            cursor += 1
        }
        return value
    }

    private static func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        scalar.value >= 0x30 && scalar.value <= 0x39 ? Int(scalar.value - 0x30) : nil
    }

    /// RE2 rejects a repetition operator right after another (`a**`, `a{2}*`); `a*+` and `a++` are possessive
    /// quantifiers in other engines, reported as such.
    private func checkNotStacked(operatorStart: Int) throws(RegexError) {
        guard let previousStart = previousRepetitionStart else { return }
        let previousOffset = offsets[previousStart]
        let combined = text(from: previousStart, to: position)
        if scalars[operatorStart] == "+" && position == operatorStart + 1 {
            throw error(.unsupported("possessive quantifier \(combined)"), at: previousOffset)
        }
        throw error(.invalidRepetition("\(combined): repetition operators cannot be stacked"), at: previousOffset)
    }

    private mutating func applyRepetition(
        min: Int, max: Int?, lazy: Bool, counted: Bool, operatorOffset: Int
    ) throws(RegexError) {
        let last = frames.count - 1
        guard let operand = frames[last].items.popLast() else {
            throw error(.missingRepetitionArgument, at: operatorOffset)
        }
        var product = operand.repeatProduct
        if counted {
            // RE2 counts `{n,}` as n and ignores `{0}`.
            let count = max ?? min
            if count > 0 { product = product &* count }
            if product > RegexParser.maxRepeatCount { throw error(.repetitionTooLarge, at: operatorOffset) }
        }
        // `U` swaps the meaning of the lazy suffix.
        let greedy = lazy == flags.contains(.ungreedy)
        frames[last].items.append(Node(
            hir: .repetition(operand.hir, min: min, max: max, greedy: greedy), repeatProduct: product))
    }

    // MARK: - Escapes outside classes

    private mutating func parseTopLevelEscape() throws(RegexError) {
        let escapeOffset = offsets[position]
        guard let next = peek(1) else { throw error(.trailingBackslash, at: escapeOffset) }
        switch next {
        case "b", "B":
            position += 2
            push(.assertion(next == "b" ? .wordBoundary : .notWordBoundary))
        case "A":
            position += 2
            push(.assertion(.startOfText))
        case "z":
            position += 2
            push(.assertion(.endOfText))
        case "Z":
            throw error(.unsupported("\\Z (end of text or before a final newline); use \\z"), at: escapeOffset)
        case "C":
            throw error(.unsupported("\\C (any single byte)"), at: escapeOffset)
        case "Q":
            position += 2
            // Everything up to `\E` (or the end) is literal.
            while position < scalars.count {
                if scalars[position] == "\\" && peek(1) == "E" {
                    position += 2
                    break
                }
                pushLiteral(scalars[position].value)
                position += 1
            }
        case "p", "P":
            push(Self.classNode(try parseUnicodeClass()))
        case "d", "D", "s", "S", "w", "W":
            push(Self.classNode(perlClass(next)))
            position += 2
        default:
            pushLiteral(try parseEscapedScalar())
        }
    }

    /// An escape that stands for one scalar (`\n`, `\x41`, `\x{10FFFF}`, `\012`, `\.`); `position` is at `\`.
    mutating func parseEscapedScalar() throws(RegexError) -> UInt32 {
        let escapeStart = position
        let escapeOffset = offsets[position]
        guard let letter = peek(1) else { throw error(.trailingBackslash, at: escapeOffset) }
        position += 2
        switch letter {
        case "1", "2", "3", "4", "5", "6", "7", "0":
            // `\0`, `\012`, `\123` are octal; a lone `\1`...`\7` would be a backreference.
            var value = letter.value - 0x30
            var digits = 1
            while digits < 3, let scalar = peek(0), scalar.value >= 0x30 && scalar.value <= 0x37 {
                value = value * 8 + (scalar.value - 0x30)
                position += 1
                digits += 1
            }
            if letter != "0" && digits == 1 {
                throw error(.unsupported("backreference \\\(letter)"), at: escapeOffset)
            }
            return value
        case "8", "9":
            throw error(.unsupported("backreference \\\(letter)"), at: escapeOffset)
        case "k", "g":
            throw error(.unsupported("backreference \\\(letter)"), at: escapeOffset)
        case "x":
            return try parseHexEscape(escapeStart: escapeStart)
        case "n": return 0x0A
        case "r": return 0x0D
        case "t": return 0x09
        case "a": return 0x07
        case "f": return 0x0C
        case "v": return 0x0B
        default:
            // ASCII punctuation (and `_`) may be escaped; letters and digits not listed above are errors.
            let value = letter.value
            let isAlphanumeric = (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A)
                || (value >= 0x61 && value <= 0x7A)
            if value < 0x80 && !isAlphanumeric { return value }
            throw error(.invalidEscape(text(from: escapeStart, to: position)), at: escapeOffset)
        }
    }

    /// `\xHH` or `\x{H...}` (at most 0x10FFFF); `position` is just after the `x`.
    private mutating func parseHexEscape(escapeStart: Int) throws(RegexError) -> UInt32 {
        let escapeOffset = offsets[escapeStart]
        if peek(0) == "{" {
            position += 1
            var value: UInt32 = 0
            var digits = 0
            while let scalar = peek(0), let digit = Self.hexValue(scalar) {
                value = value &* 16 &+ digit
                digits += 1
                position += 1
                guard value <= 0x10FFFF else {
                    throw error(.invalidEscape(text(from: escapeStart, to: position)), at: escapeOffset)
                }
            }
            guard digits > 0, peek(0) == "}" else {
                throw error(.invalidEscape(text(from: escapeStart, to: min(position + 1, scalars.count))),
                            at: escapeOffset)
            }
            position += 1
            return value
        }
        guard let high = peek(0).flatMap(Self.hexValue), let low = peek(1).flatMap(Self.hexValue) else {
            throw error(.invalidEscape(text(from: escapeStart, to: min(position + 2, scalars.count))),
                        at: escapeOffset)
        }
        position += 2
        return high * 16 + low
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar.value {
        case 0x30...0x39: return scalar.value - 0x30
        case 0x41...0x46: return scalar.value - 0x41 + 10
        case 0x61...0x66: return scalar.value - 0x61 + 10
        default: return nil
        }
    }

    // MARK: - Building nodes

    mutating func push(_ hir: HIR) {
        frames[frames.count - 1].items.append(Node(hir: hir, repeatProduct: 1))
    }

    /// A literal scalar; under `i` a scalar with case variants becomes the class of its orbit, as RE2.
    mutating func pushLiteral(_ value: UInt32) {
        if flags.contains(.caseInsensitive) {
            if value < 0x80 {
                if let orbit = CaseFolding.asciiOrbitClasses[Int(value)] {
                    push(.characterClass(orbit))
                    return
                }
            } else if case let orbit = CaseFolding.orbit(of: value), orbit.count > 1 {
                push(.characterClass(CodePointSet(orbit.map { $0...$0 })))
                return
            }
        }
        // Surrogate code points are not scalars: they stay a (never matching) class, as `classNode` makes them.
        if let scalar = Unicode.Scalar(value) {
            push(.literal([scalar]))
        } else {
            push(Self.classNode(CodePointSet([value...value])))
        }
    }

    /// A class as HIR: `.noMatch` when empty, a literal when it holds a single scalar.
    static func classNode(_ set: CodePointSet) -> HIR {
        if set.isEmpty { return .noMatch }
        if set.ranges.count == 1, let only = set.ranges.first, only.lowerBound == only.upperBound,
           let scalar = Unicode.Scalar(only.lowerBound) {
            return .literal([scalar])
        }
        return .characterClass(set)
    }

    /// Joins items, merging adjacent literals into one literal and dropping empty ones.
    static func concatenation(of items: [Node]) -> Node {
        var parts: [HIR] = []
        var product = 1
        // The literal run being built, appended in place so long literal patterns stay linear.
        var pendingLiteral: [Unicode.Scalar] = []
        for item in items {
            product = Swift.max(product, item.repeatProduct)
            switch item.hir {
            case .empty:
                continue
            case .literal(let scalars):
                pendingLiteral.append(contentsOf: scalars)
            default:
                if !pendingLiteral.isEmpty {
                    parts.append(.literal(pendingLiteral))
                    pendingLiteral.removeAll()
                }
                parts.append(item.hir)
            }
        }
        if !pendingLiteral.isEmpty { parts.append(.literal(pendingLiteral)) }
        let hir: HIR = switch parts.count {
        case 0: .empty
        case 1: parts[0]
        default: .concatenation(parts)
        }
        return Node(hir: hir, repeatProduct: product)
    }

    static func alternation(of branches: [Node]) -> Node {
        if branches.count == 1, let only = branches.first { return only }
        return Node(hir: .alternation(branches.map(\.hir)),
                    repeatProduct: branches.map(\.repeatProduct).max() ?? 1)
    }

    // MARK: - Helpers

    func peek(_ distance: Int) -> Unicode.Scalar? {
        let index = position + distance
        return index < scalars.count ? scalars[index] : nil
    }

    func text(from start: Int, to end: Int) -> String {
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[Swift.min(start, scalars.count)..<Swift.min(end, scalars.count)])
        return String(result)
    }

    func error(_ kind: RegexError.Kind, at offset: Int) -> RegexError {
        RegexError(kind, offset: offset, pattern: pattern)
    }
}
