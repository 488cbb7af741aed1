import Synchronization

/// Many patterns compiled into one automaton and matched in a single pass: answers which of them match anywhere
/// in the input (as RE2::Set does, unanchored, without stopping at the first match). Safe to share between threads.
public final class RegexSet: Sendable {
    public struct Pattern: Sendable, Hashable {
        public var pattern: String
        public var options: RegexOptions

        public init(_ pattern: String, options: RegexOptions = []) {
            self.pattern = pattern
            self.options = options
        }
    }

    public typealias RegexSetError = RampartRegex.RegexSetError

    public let patterns: [Pattern]
    private let dfa: LazyDFA
    private let pool = ScratchPool()
    /// Each pattern's own engines, for inputs on which the combined DFA gives up (built on first need).
    private let singles: SingleStrategies

    public convenience init(_ patterns: [Pattern], limits: RegexLimits = .default) throws(RegexSetError) {
        var hirs: [HIR] = []
        hirs.reserveCapacity(patterns.count)
        for (index, pattern) in patterns.enumerated() {
            do {
                hirs.append(try RegexParser.parse(pattern.pattern, options: pattern.options))
            } catch {
                throw RegexSetError(index: index, error: error)
            }
        }
        try self.init(patterns: patterns, hirs: hirs, limits: limits)
    }

    /// Builds a set from regexes already compiled on their own, without parsing their patterns again.
    public convenience init(_ regexes: [SafeRegex], limits: RegexLimits = .default) throws(RegexSetError) {
        try self.init(patterns: regexes.map { Pattern($0.pattern, options: $0.options) },
                      hirs: regexes.map(\.strategy.hir), limits: limits)
        singles.provide(regexes.map(\.strategy))
    }

    /// Builds a set from already parsed (or hand-built) patterns; `patterns[i]` describes `hirs[i]`.
    public init(patterns: [Pattern], hirs: [HIR], limits: RegexLimits = .default) throws(RegexSetError) {
        self.patterns = patterns
        singles = SingleStrategies(hirs: hirs, patterns: patterns.map(\.pattern), limits: limits)
        var failedIndex = 0
        let program: Program
        do {
            program = try Compiler.compile(hirs, pattern: "", limits: limits, failedIndex: &failedIndex)
        } catch {
            let pattern = failedIndex < patterns.count ? patterns[failedIndex].pattern : ""
            throw RegexSetError(index: failedIndex, error: RegexError(error.kind, offset: 0, pattern: pattern))
        }
        // A combined automaton has bigger states than one pattern's: give it a proportionally bigger cache.
        let scale = max(1, min(hirs.count / 16, 4))
        dfa = LazyDFA(program: program, mode: .all, direction: .forward,
                      budget: limits.dfaCacheBytes.multipliedReportingOverflow(by: scale).partialValue,
                      bailsOnDenseStates: true)
    }

    public var count: Int { patterns.count }

    // MARK: matchingIndices

    /// Indices (ascending) of the patterns that match somewhere in `input`.
    public func matchingIndices(in input: String) -> [Int] {
        withContiguousBytes(input.utf8) { matchingIndices(in: $0) }
    }

    public func matchingIndices(in input: Substring) -> [Int] {
        withContiguousBytes(input.utf8) { matchingIndices(in: $0) }
    }

    public func matchingIndices<C: Collection>(in input: C) -> [Int] where C.Element == UInt8 {
        withContiguousBytes(input) { matchingIndices(in: $0) }
    }

    public func matchingIndices(in input: UnsafeRawBufferPointer) -> [Int] {
        pool.withScratch { scratch in
            if scratch.setMarks.count != count { scratch.setMarks = [Bool](repeating: false, count: count) }
            scratch.setFound.removeAll(keepingCapacity: true)
            run(input, scratch: scratch) { index in
                if index >= 0 && index < scratch.setMarks.count && !scratch.setMarks[index] {
                    scratch.setMarks[index] = true
                    scratch.setFound.append(index)
                }
                return false
            }
            for index in scratch.setFound { scratch.setMarks[index] = false }
            if scratch.setFound.count > 1 { scratch.setFound.sort() }
            return scratch.setFound.isEmpty ? [] : Array(scratch.setFound)
        }
    }

    // MARK: matchesAny

    /// True when at least one pattern matches somewhere in `input` (stops at the first match found).
    public func matchesAny(in input: String) -> Bool {
        withContiguousBytes(input.utf8) { matchesAny(in: $0) }
    }

    public func matchesAny(in input: Substring) -> Bool {
        withContiguousBytes(input.utf8) { matchesAny(in: $0) }
    }

    public func matchesAny<C: Collection>(in input: C) -> Bool where C.Element == UInt8 {
        withContiguousBytes(input) { matchesAny(in: $0) }
    }

    public func matchesAny(in input: UnsafeRawBufferPointer) -> Bool {
        pool.withScratch { scratch in
            var any = false
            run(input, scratch: scratch) { _ in
                any = true
                return true
            }
            return any
        }
    }

    /// The combined DFA over the whole input; when it gives up, each pattern's own engines (reporting a pattern
    /// twice is harmless, callers deduplicate).
    private func run(_ input: UnsafeRawBufferPointer, scratch: MatchScratch, onMatch: (Int) -> Bool) {
        if dfa.searchAll(input, cache: scratch.forward, onMatch: onMatch) { return }
        if let strategies = singles.strategies {
            for (index, strategy) in strategies.enumerated() where strategy.matches(input) {
                if onMatch(index) { return }
            }
        } else {
            PikeVM.searchAll(dfa.program, input, scratch: &scratch.pike, onMatch: onMatch)
        }
    }
}

/// The per-pattern strategies of a set, compiled when first needed. Nil when a pattern cannot be compiled on
/// its own (then the Pike VM over the combined program answers).
final class SingleStrategies: Sendable {
    private let hirs: [HIR]
    private let patterns: [String]
    private let limits: RegexLimits
    private let built = Mutex<[MatchStrategy]??>(nil)

    init(hirs: [HIR], patterns: [String], limits: RegexLimits) {
        self.hirs = hirs
        self.patterns = patterns
        self.limits = limits
    }

    func provide(_ strategies: [MatchStrategy]) {
        built.withLock { $0 = .some(strategies) }
    }

    var strategies: [MatchStrategy]? {
        built.withLock { built in
            if let built { return built }
            var result: [MatchStrategy]? = []
            for (index, hir) in hirs.enumerated() {
                let pattern = index < patterns.count ? patterns[index] : ""
                guard let strategy = try? MatchStrategy(hir: hir, pattern: pattern, limits: limits) else {
                    result = nil
                    break
                }
                result?.append(strategy)
            }
            built = .some(result)
            return result
        }
    }
}

/// Which pattern of the set was rejected, and why.
public struct RegexSetError: Error, Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let error: RegexError

    public init(index: Int, error: RegexError) {
        self.index = index
        self.error = error
    }

    public var description: String { "pattern \(index): \(error)" }
}
