@testable import RampartRegex

/// Short constructors for hand-built `HIR` values (the engine tests do not depend on the parser), and a printer
/// turning them back into RE2 syntax for comparisons with RE2.
enum H {
    static func lit(_ text: String) -> HIR { .literal(Array(text.unicodeScalars)) }
    static func set(_ ranges: ClosedRange<UInt32>...) -> HIR { .characterClass(CodePointSet(ranges)) }
    static func chars(_ text: String) -> HIR {
        .characterClass(CodePointSet(text.unicodeScalars.map { $0.value...$0.value }))
    }
    static func cat(_ parts: HIR...) -> HIR { .concatenation(parts) }
    static func alt(_ parts: HIR...) -> HIR { .alternation(parts) }
    static func star(_ inner: HIR, greedy: Bool = true) -> HIR { .repetition(inner, min: 0, max: nil, greedy: greedy) }
    static func plus(_ inner: HIR, greedy: Bool = true) -> HIR { .repetition(inner, min: 1, max: nil, greedy: greedy) }
    static func quest(_ inner: HIR, greedy: Bool = true) -> HIR { .repetition(inner, min: 0, max: 1, greedy: greedy) }
    static func rep(_ inner: HIR, _ min: Int, _ max: Int?, greedy: Bool = true) -> HIR {
        .repetition(inner, min: min, max: max, greedy: greedy)
    }
    static func group(_ inner: HIR) -> HIR { .capture(index: 1, name: nil, inner) }
    /// `.` without `s`: any scalar but `\n`.
    static let dot = set(0...9, 11...0x10FFFF)
    /// `(?s:.)`
    static let anyScalar = set(0...0x10FFFF)
    static let word = set(0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A)
    static let digit = set(0x30...0x39)
    static let space = set(0x09...0x0A, 0x0C...0x0D, 0x20...0x20)
    static let start = HIR.assertion(.startOfText)
    static let end = HIR.assertion(.endOfText)
    static let lineStart = HIR.assertion(.startOfLine)
    static let lineEnd = HIR.assertion(.endOfLine)
    static let boundary = HIR.assertion(.wordBoundary)
    static let notBoundary = HIR.assertion(.notWordBoundary)

    /// Case-insensitive literal with simple case folding for ASCII letters plus the two non-ASCII folds of
    /// ASCII letters (`k` ↔ U+212A KELVIN SIGN, `s` ↔ U+017F LONG S), as the parser produces for `(?i)`.
    static func caseless(_ text: String) -> HIR {
        .concatenation(text.unicodeScalars.map { scalar -> HIR in
            let value = scalar.value
            var values: [UInt32] = [value]
            if (0x41...0x5A).contains(value) { values.append(value + 0x20) }
            if (0x61...0x7A).contains(value) { values.append(value - 0x20) }
            if value == 0x6B || value == 0x4B { values.append(0x212A) }
            if value == 0x73 || value == 0x53 { values.append(0x17F) }
            if values.count == 1 { return .literal([scalar]) }
            return .characterClass(CodePointSet(values.map { $0...$0 }))
        })
    }

    /// RE2 syntax for `hir` (used to ask RE2 about the same pattern).
    static func re2Syntax(_ hir: HIR) -> String {
        switch hir {
        case .empty: return "(?:)"
        case .noMatch: return "[^\\x00-\\x{10FFFF}]"
        case .literal(let scalars): return scalars.map { escape($0.value) }.joined()
        case .characterClass(let set):
            let body = set.ranges.map { range in
                range.lowerBound == range.upperBound
                    ? escape(range.lowerBound) : "\(escape(range.lowerBound))-\(escape(range.upperBound))"
            }.joined()
            return "[\(body)]"
        case .assertion(let assertion):
            switch assertion {
            case .startOfText: return "\\A"
            case .endOfText: return "\\z"
            case .startOfLine: return "(?m:^)"
            case .endOfLine: return "(?m:$)"
            case .wordBoundary: return "\\b"
            case .notWordBoundary: return "\\B"
            }
        case .repetition(let inner, let min, let max, let greedy):
            let lazy = greedy ? "" : "?"
            let bounds: String
            switch (min, max) {
            case (0, nil): bounds = "*"
            case (1, nil): bounds = "+"
            case (0, 1?): bounds = "?"
            case (let low, nil): bounds = "{\(low),}"
            case (let low, let high?): bounds = low == high ? "{\(low)}" : "{\(low),\(high)}"
            }
            return "(?:\(re2Syntax(inner)))\(bounds)\(lazy)"
        case .capture(_, _, let inner): return "(\(re2Syntax(inner)))"
        case .concatenation(let parts): return "(?:" + parts.map(re2Syntax).joined() + ")"
        case .alternation(let parts): return "(?:" + parts.map(re2Syntax).joined(separator: "|") + ")"
        }
    }

    private static func escape(_ value: UInt32) -> String {
        "\\x{" + String(value, radix: 16) + "}"
    }
}
