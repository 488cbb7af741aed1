import Synchronization

/// A DFA built lazily from a `Program`, one state and one transition at a time, into a bounded cache.
///
/// A state is the ordered list of NFA instructions reached by the last byte (before following empty transitions)
/// plus the context of that byte (start of text, newline, word byte, other). Empty transitions are followed when
/// the next byte is known, so every assertion is decided exactly as the Pike VM decides it — same bytes on both
/// sides, same depth-first priority order — and leftmost-first spans agree with the Pike VM by construction
/// (including loops whose preferred branch is an assertion, such as `(?:\b|a)+`).
///
/// Transition entries hold the target's row offset (row × stride): positive for a plain transition, `0` into the
/// dead state (row 0), `-1` for a transition not computed yet, and `-(offset × 2 + m) - 2` for a special one: a
/// match ended just before the consumed byte (`m` = 1), or the target is the start loop of a DFA that skips ahead
/// from there (`firstByteScanner`) — so the hot loop tells the common case apart with one comparison (`entry > 0`).
struct LazyDFA: Sendable {
    enum Mode: Sendable {
        /// Leftmost-first: lower-priority threads are dropped once a higher-priority thread matches.
        case leftmostFirst
        /// Keep every thread; a state records all patterns that matched (sets, and reverse scans for starts).
        case all
    }

    enum Direction: Sendable {
        case forward
        case reverse
    }

    let program: Program
    let mode: Mode
    let direction: Direction
    let budget: Int
    /// Give up (rather than keep building states) when a long search keeps computing new transitions.
    let bailsOnDenseStates: Bool
    /// `ByteContext` of each byte class (classes never mix contexts when the program uses assertions).
    let classContexts: [ByteContext]

    /// Which distinctions between consumed bytes the program's assertions can observe from a state: word vs
    /// non-word (`\b`, `\B`) and newline vs other (`^` or `$` in multiline mode, whichever looks at the consumed
    /// side). Contexts it cannot observe are merged, so fewer states are built.
    private let observesWordContext: Bool
    private let observesLineContext: Bool

    /// Tells caches which automaton they hold states for.
    let identity: Int
    /// Forward leftmost-first searches in the start loop (no thread in progress) jump to the next byte that can
    /// begin a match; nil when such bytes are too common or a match can be empty.
    let firstByteScanner: ByteSetScanner?

    init(program: Program, mode: Mode, direction: Direction, budget: Int, bailsOnDenseStates: Bool = false) {
        self.identity = nextDFAIdentity.wrappingAdd(1, ordering: .relaxed).newValue
        self.program = program
        self.bailsOnDenseStates = bailsOnDenseStates
        self.mode = mode
        self.direction = direction
        self.budget = max(budget, 1)
        self.classContexts = program.classRepresentatives.map { ByteContext.of($0) }
        var word = false
        var line = false
        for instruction in program.instructions where instruction.operation == .assertion {
            switch AssertionCode(rawValue: instruction.argument) {
            case .wordBoundary, .notWordBoundary: word = true
            case .startOfLine: line = line || direction == .forward
            case .endOfLine: line = line || direction == .reverse
            default: break
            }
        }
        observesWordContext = word
        observesLineContext = line
        if mode == .leftmostFirst && direction == .forward, let firstBytes = program.possibleFirstBytes {
            firstByteScanner = ByteSetScanner(firstBytes)
        } else {
            firstByteScanner = nil
        }
    }

    /// The context a state keeps after consuming a byte of context `consumed` (never `.edge`: only start states
    /// sit at an edge of the text).
    func stateContext(afterConsuming consumed: ByteContext) -> ByteContext {
        switch consumed {
        case .word: return observesWordContext ? .word : .other
        case .newline: return observesLineContext ? .newline : .other
        default: return .other
        }
    }

    var stride: Int { program.classCount + 1 }

    enum Outcome: Equatable {
        case noMatch
        case match(Int)
        /// The cache thrashed; run the Pike VM instead.
        case gaveUp
    }

    /// The row offset a computed entry leads to (see the type's documentation for the encoding).
    @inline(__always)
    static func target(of entry: Int32) -> Int {
        entry >= 0 ? Int(entry) : Int(-(entry &+ 2)) >> 1
    }

    /// True when a match ended just before the byte of this (computed) entry.
    @inline(__always)
    static func isMatch(_ entry: Int32) -> Bool {
        entry < -1 && Int(-(entry &+ 2)) & 1 == 1
    }

    // MARK: - Searches
    //
    // Each search runs a tight loop while transitions are cached, plain and not matching, and leaves it for
    // everything else (a transition to compute, a match, the dead state, the end of the input).

    /// Forward search from the start of `input`. Returns where the leftmost-first match ends (or, with
    /// `earliest`, the first position where some match ends).
    func searchForward(_ input: UnsafeRawBufferPointer, anchored: Bool, earliest: Bool, cache: DFACache) -> Outcome {
        searchForwardImpl(input, anchored: anchored, earliest: earliest, cache: &cache.storage)
    }

    private func searchForwardImpl(_ input: UnsafeRawBufferPointer, anchored: Bool, earliest: Bool,
                                   cache: inout DFACacheStorage) -> Outcome
    {
        cache.prepare(for: self)
        guard let startRow = cache.startRow(self, anchored: anchored, context: .edge) else { return .gaveUp }
        let count = input.count
        let stride = self.stride
        let classes = cache.classes
        var offset = startRow &* stride
        var lastEnd = -1
        var table = cache.table
        var position = 0
        if let base = input.baseAddress {
            if let firstByteScanner, !anchored {
                guard let start = skipStartLoop(firstByteScanner, base: base, from: 0, count: count, cache: &cache)
                else { return .gaveUp }
                (position, offset) = start
                table = cache.table
            }
            while position < count {
                var entry = table[offset &+ Int(classes[Int(base.load(fromByteOffset: position, as: UInt8.self))])]
                if entry > 0 {
                    offset = Int(entry)
                    position &+= 1
                    continue
                }
                if entry == -1 {
                    let klass = Int(classes[Int(base.load(fromByteOffset: position, as: UInt8.self))])
                    guard let computed = cache.transition(self, row: offset / stride, klass: klass, position: position)
                    else { return .gaveUp }
                    entry = computed
                    table = cache.table
                }
                offset = LazyDFA.target(of: entry)
                if LazyDFA.isMatch(entry) {
                    lastEnd = position
                    if earliest { return .match(position) }
                }
                if offset == 0 { return lastEnd >= 0 ? .match(lastEnd) : .noMatch }
                position &+= 1
                if let firstByteScanner, lastEnd < 0, cache.isStartLoopRow(offset / stride) {
                    guard let start = skipStartLoop(firstByteScanner, base: base, from: position, count: count,
                                                    cache: &cache)
                    else { return .gaveUp }
                    if start.position > position { (position, offset) = start }
                    table = cache.table
                }
            }
        }
        var entry = table[offset &+ program.classCount]
        if entry == -1 {
            guard let computed = cache.transition(self, row: offset / stride, klass: program.classCount, position: count)
            else { return .gaveUp }
            entry = computed
        }
        if LazyDFA.isMatch(entry) { lastEnd = count }
        return lastEnd >= 0 ? .match(lastEnd) : .noMatch
    }

    /// From the start loop at `start`: the next position holding a byte that can begin a match, and the start-loop
    /// row for the context of the byte before it (what running the DFA over the skipped bytes would reach, since
    /// none of them starts a thread). Nil when the cache gave up.
    private func skipStartLoop(_ scanner: ByteSetScanner, base: UnsafeRawPointer, from start: Int, count: Int,
                               cache: inout DFACacheStorage) -> (position: Int, offset: Int)?
    {
        let next = scanner.next(in: base, from: start, count: count)
        let context: ByteContext = next > 0
            ? stateContext(afterConsuming: .of(base.load(fromByteOffset: next &- 1, as: UInt8.self))) : .edge
        guard let row = cache.startRow(self, anchored: false, context: context) else { return nil }
        return (next, row &* stride)
    }

    /// Reverse search from `end` towards the start of `input`, anchored at `end`: returns the smallest start of a
    /// match ending at `end` (run on the reversed program).
    func searchReverse(_ input: UnsafeRawBufferPointer, end: Int, cache: DFACache) -> Outcome {
        searchReverseImpl(input, end: end, cache: &cache.storage)
    }

    private func searchReverseImpl(_ input: UnsafeRawBufferPointer, end: Int, cache: inout DFACacheStorage) -> Outcome {
        cache.prepare(for: self)
        guard end >= 0 && end <= input.count else { return .noMatch }
        let afterEnd: ByteContext = end < input.count ? .of(input[end]) : .edge
        guard let startRow = cache.startRow(self, anchored: true, context: afterEnd) else { return .gaveUp }
        let stride = self.stride
        let classes = cache.classes
        var offset = startRow &* stride
        var earliestStart = -1
        var table = cache.table
        var position = end
        if let base = input.baseAddress {
            while position > 0 {
                let klass = Int(classes[Int(base.load(fromByteOffset: position &- 1, as: UInt8.self))])
                var entry = table[offset &+ klass]
                if entry > 0 {
                    offset = Int(entry)
                    position &-= 1
                    continue
                }
                if entry == -1 {
                    guard let computed = cache.transition(self, row: offset / stride, klass: klass,
                                                          position: end &- position)
                    else { return .gaveUp }
                    entry = computed
                    table = cache.table
                }
                offset = LazyDFA.target(of: entry)
                if LazyDFA.isMatch(entry) { earliestStart = position }
                if offset == 0 { return earliestStart >= 0 ? .match(earliestStart) : .noMatch }
                position &-= 1
            }
        }
        var entry = table[offset &+ program.classCount]
        if entry == -1 {
            guard let computed = cache.transition(self, row: offset / stride, klass: program.classCount, position: end)
            else { return .gaveUp }
            entry = computed
        }
        if LazyDFA.isMatch(entry) { earliestStart = 0 }
        return earliestStart >= 0 ? .match(earliestStart) : .noMatch
    }

    /// Runs the whole input (mode `.all`) and reports every pattern that matches somewhere through `onMatch`,
    /// which returns true to stop early. Returns false when the cache thrashed (the caller falls back).
    func searchAll(_ input: UnsafeRawBufferPointer, cache: DFACache, onMatch: (Int) -> Bool) -> Bool {
        searchAllImpl(input, cache: &cache.storage, onMatch: onMatch)
    }

    private func searchAllImpl(_ input: UnsafeRawBufferPointer, cache: inout DFACacheStorage,
                               onMatch: (Int) -> Bool) -> Bool
    {
        cache.prepare(for: self)
        cache.beginScan()
        guard let startRow = cache.startRow(self, anchored: program.anchoredAtStart, context: .edge) else {
            return false
        }
        let count = input.count
        let stride = self.stride
        let classes = cache.classes
        var offset = startRow &* stride
        var table = cache.table
        var position = 0
        if let base = input.baseAddress {
            while position < count {
                let klass = Int(classes[Int(base.load(fromByteOffset: position, as: UInt8.self))])
                var entry = table[offset &+ klass]
                if entry > 0 {
                    offset = Int(entry)
                    position &+= 1
                    continue
                }
                if entry == -1 {
                    guard let computed = cache.transition(self, row: offset / stride, klass: klass, position: position)
                    else { return false }
                    entry = computed
                    table = cache.table
                }
                offset = LazyDFA.target(of: entry)
                if LazyDFA.isMatch(entry), cache.reportMatches(row: offset / stride, onMatch: onMatch) { return true }
                if offset == 0 { return true }
                position &+= 1
            }
        }
        var entry = table[offset &+ program.classCount]
        if entry == -1 {
            guard let computed = cache.transition(self, row: offset / stride, klass: program.classCount, position: count)
            else { return false }
            entry = computed
        }
        if LazyDFA.isMatch(entry) { _ = cache.reportMatches(row: LazyDFA.target(of: entry) / stride, onMatch: onMatch) }
        return true
    }
}
