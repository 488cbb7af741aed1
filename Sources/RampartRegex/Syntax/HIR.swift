/// The high-level intermediate representation of a pattern: what the parser produces and the compiler consumes.
///
/// Everything that depends on flags is already resolved here, so the compiler never sees a flag:
/// - case-insensitive literals and classes are expanded into classes holding every simple case folding variant;
/// - `.`, Perl, POSIX and Unicode classes are sets of Unicode scalar ranges;
/// - `^`/`$` are resolved to text or line assertions according to the `m` flag;
/// - lazy/greedy is resolved according to the `U` flag.
public indirect enum HIR: Sendable, Equatable {
    /// Matches the empty string.
    case empty
    /// A sequence of scalars matched exactly (case sensitive). Never empty.
    case literal([Unicode.Scalar])
    /// One scalar from the set. Never empty (an empty class is `.noMatch`).
    case characterClass(CodePointSet)
    /// Matches nothing (e.g. `[^\x00-\x{10FFFF}]`).
    case noMatch
    /// A zero-width assertion.
    case assertion(Assertion)
    /// `min...max` repetitions (`max == nil` means unbounded).
    case repetition(HIR, min: Int, max: Int?, greedy: Bool)
    /// A capturing group; `index` starts at 1 in pattern order (group 0 is the whole match).
    case capture(index: Int, name: String?, HIR)
    case concatenation([HIR])
    case alternation([HIR])

    public enum Assertion: Sendable, Equatable, Hashable {
        /// `\A`, and `^` without `m`.
        case startOfText
        /// `\z`, and `$` without `m`.
        case endOfText
        /// `^` with `m`: start of text or after `\n`.
        case startOfLine
        /// `$` with `m`: end of text or before `\n`.
        case endOfLine
        /// `\b` (ASCII word characters, as RE2).
        case wordBoundary
        /// `\B`.
        case notWordBoundary
    }
}

/// A set of Unicode scalar values as sorted, non-overlapping, non-adjacent closed ranges.
public struct CodePointSet: Sendable, Equatable, Hashable {
    public private(set) var ranges: [ClosedRange<UInt32>]

    public init() { ranges = [] }

    /// Builds a canonical set from arbitrary (possibly overlapping, unsorted) ranges.
    public init<S: Sequence>(_ ranges: S) where S.Element == ClosedRange<UInt32> {
        self.ranges = CodePointSet.canonicalize(Array(ranges))
    }

    public var isEmpty: Bool { ranges.isEmpty }

    public func contains(_ value: UInt32) -> Bool {
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let range = ranges[mid]
            if value < range.lowerBound { high = mid - 1 } else if value > range.upperBound { low = mid + 1 } else { return true }
        }
        return false
    }

    public mutating func insert(_ range: ClosedRange<UInt32>) {
        ranges = CodePointSet.canonicalize(ranges + [range])
    }

    public mutating func formUnion(_ other: CodePointSet) {
        ranges = CodePointSet.canonicalize(ranges + other.ranges)
    }

    public func union(_ other: CodePointSet) -> CodePointSet {
        var copy = self
        copy.formUnion(other)
        return copy
    }

    /// The complement within all Unicode scalar values `0...0x10FFFF` (surrogates included as RE2 does not
    /// exclude them from class arithmetic; the compiler skips them when encoding UTF-8).
    public func inverted() -> CodePointSet {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            if range.upperBound >= 0x10FFFF { return CodePointSet(canonical: result) }
            next = range.upperBound + 1
        }
        if next <= 0x10FFFF { result.append(next...0x10FFFF) }
        return CodePointSet(canonical: result)
    }

    public func intersection(_ other: CodePointSet) -> CodePointSet {
        var result: [ClosedRange<UInt32>] = []
        var i = 0
        var j = 0
        while i < ranges.count && j < other.ranges.count {
            let a = ranges[i]
            let b = other.ranges[j]
            let low = max(a.lowerBound, b.lowerBound)
            let high = min(a.upperBound, b.upperBound)
            if low <= high { result.append(low...high) }
            if a.upperBound < b.upperBound { i += 1 } else { j += 1 }
        }
        return CodePointSet(canonical: result)
    }

    public func subtracting(_ other: CodePointSet) -> CodePointSet {
        intersection(other.inverted())
    }

    private init(canonical: [ClosedRange<UInt32>]) { ranges = canonical }

    /// Sorted, with a gap between neighbours: most sets are built that way and need no copy.
    private static func isCanonical(_ ranges: [ClosedRange<UInt32>]) -> Bool {
        var previousUpper: UInt32? = nil
        for range in ranges {
            if let previousUpper, range.lowerBound <= previousUpper &+ 1 || previousUpper == UInt32.max { return false }
            previousUpper = range.upperBound
        }
        return true
    }

    private static func canonicalize(_ input: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        guard !input.isEmpty else { return [] }
        if isCanonical(input) { return input }
        let sorted = input.sorted { $0.lowerBound < $1.lowerBound }
        var result: [ClosedRange<UInt32>] = [sorted[0]]
        for range in sorted.dropFirst() {
            let last = result[result.count - 1]
            // Merge overlapping or adjacent ranges; `last.upperBound &+ 1` cannot overflow below 0x10FFFF+1.
            if range.lowerBound <= last.upperBound || range.lowerBound == last.upperBound &+ 1 {
                result[result.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }
}
