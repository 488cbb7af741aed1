import Synchronization

/// The meta layer: decides once, at compile time, which engines answer a pattern's searches, and runs them.
struct MatchStrategy: Sendable {
    /// A pattern that is only a literal, optionally anchored: answered by a scan or a compare.
    struct PlainLiteral: Sendable {
        var bytes: [UInt8]
        var anchoredAtStart: Bool
        var anchoredAtEnd: Bool
        var searcher: LiteralSearcher
    }

    let hir: HIR
    let plainLiteral: PlainLiteral?
    let prefilter: LiteralSearcher?
    let forward: LazyDFA
    /// Built on the first `firstMatch` that needs it: most WAF searches only ask whether a pattern matches.
    let reverse: ReverseDFA
    let pool = ScratchPool()

    init(hir: HIR, pattern: String, limits: RegexLimits) throws(RegexError) {
        self.hir = hir
        let program = try Compiler.compile(hir, pattern: pattern, limits: limits)
        forward = LazyDFA(program: program, mode: .leftmostFirst, direction: .forward, budget: limits.dfaCacheBytes)
        reverse = ReverseDFA(hir: hir, pattern: pattern, limits: limits)
        plainLiteral = MatchStrategy.plainLiteral(hir)
        if plainLiteral == nil, let literals = LiteralExtractor.requiredLiterals(of: hir) {
            prefilter = LiteralSearcher(literals)
        } else {
            prefilter = nil
        }
    }

    func matches(_ input: UnsafeRawBufferPointer) -> Bool {
        if let plainLiteral { return literalSpan(plainLiteral, input) != nil }
        if let prefilter, !prefilter.occurs(in: input) { return false }
        return pool.withScratch { scratch in
            switch forward.searchForward(input, anchored: forward.program.anchoredAtStart, earliest: true,
                                         cache: scratch.forward)
            {
            case .match: return true
            case .noMatch: return false
            case .gaveUp:
                return PikeVM.search(forward.program, input, anchored: forward.program.anchoredAtStart,
                                     earliest: true, scratch: &scratch.pike) != nil
            }
        }
    }

    func firstMatch(_ input: UnsafeRawBufferPointer) -> Range<Int>? {
        if let plainLiteral { return literalSpan(plainLiteral, input) }
        if let prefilter, !prefilter.occurs(in: input) { return nil }
        return pool.withScratch { scratch in
            let anchored = forward.program.anchoredAtStart
            switch forward.searchForward(input, anchored: anchored, earliest: false, cache: scratch.forward) {
            case .noMatch:
                return nil
            case .match(let end):
                if let reverse = reverse.dfa,
                    case .match(let start) = reverse.searchReverse(input, end: end, cache: scratch.reverse),
                    start <= end
                {
                    return start..<end
                }
            case .gaveUp:
                break
            }
            return PikeVM.search(forward.program, input, anchored: anchored, earliest: false, scratch: &scratch.pike)
        }
    }

    private func literalSpan(_ literal: PlainLiteral, _ input: UnsafeRawBufferPointer) -> Range<Int>? {
        let length = literal.bytes.count
        guard length <= input.count else { return nil }
        if literal.anchoredAtStart {
            if literal.anchoredAtEnd && length != input.count { return nil }
            return hasBytes(literal.bytes, in: input, at: 0) ? 0..<length : nil
        }
        if literal.anchoredAtEnd {
            let start = input.count - length
            return hasBytes(literal.bytes, in: input, at: start) ? start..<input.count : nil
        }
        if length == 0 { return 0..<0 }
        guard let start = literal.searcher.firstOccurrence(in: input, literalIndex: 0) else { return nil }
        return start..<(start &+ length)
    }

    private func hasBytes(_ bytes: [UInt8], in input: UnsafeRawBufferPointer, at start: Int) -> Bool {
        guard start >= 0, bytes.count <= input.count - start else { return false }
        for index in bytes.indices where input[start &+ index] != bytes[index] { return false }
        return true
    }

    /// Recognizes `\A? literal \z?` (captures allowed) with a case-sensitive literal.
    private static func plainLiteral(_ hir: HIR) -> PlainLiteral? {
        var parts: [HIR] = []
        func flatten(_ node: HIR) {
            switch node {
            case .capture(_, _, let inner): flatten(inner)
            case .concatenation(let children): children.forEach(flatten)
            default: parts.append(node)
            }
        }
        flatten(hir)
        var anchoredAtStart = false
        var anchoredAtEnd = false
        if case .assertion(.startOfText) = parts.first {
            anchoredAtStart = true
            parts.removeFirst()
        }
        if case .assertion(.endOfText) = parts.last {
            anchoredAtEnd = true
            parts.removeLast()
        }
        var bytes: [UInt8] = []
        for part in parts {
            guard case .literal(let scalars) = part else { return nil }
            for scalar in scalars { bytes.append(contentsOf: UTF8Sequences.encode(scalar.value)) }
        }
        if bytes.isEmpty && !(anchoredAtStart || anchoredAtEnd) && !parts.isEmpty { return nil }
        guard !bytes.isEmpty else { return nil }
        let units = bytes.map { LiteralUnit(byte: $0, caseless: false) }
        return PlainLiteral(bytes: bytes, anchoredAtStart: anchoredAtStart, anchoredAtEnd: anchoredAtEnd,
                            searcher: LiteralSearcher([units]))
    }
}

/// The reverse program of a pattern (finds where a match starts), compiled on first use.
final class ReverseDFA: Sendable {
    private let hir: HIR
    private let pattern: String
    private let limits: RegexLimits
    /// nil: not built yet; `.some(nil)`: compiling failed (the Pike VM answers instead).
    private let built = Mutex<LazyDFA??>(nil)

    init(hir: HIR, pattern: String, limits: RegexLimits) {
        self.hir = hir
        self.pattern = pattern
        self.limits = limits
    }

    var dfa: LazyDFA? {
        built.withLock { built in
            if let built { return built }
            let program = try? Compiler.compile(hir, pattern: pattern, limits: limits, reverse: true)
            let dfa = program.map {
                LazyDFA(program: $0, mode: .all, direction: .reverse, budget: limits.dfaCacheBytes)
            }
            built = .some(dfa)
            return dfa
        }
    }
}
