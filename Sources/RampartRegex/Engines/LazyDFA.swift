/// A DFA built lazily from a `Program`, one state and one transition at a time, into a bounded cache.
///
/// A state is the ordered list of NFA instructions reached by the last byte (before following empty transitions)
/// plus the context of that byte (start of text, newline, word byte, other). Empty transitions are followed when
/// the next byte is known, so every assertion is decided exactly as the Pike VM decides it — same bytes on both
/// sides, same depth-first priority order — and leftmost-first spans agree with the Pike VM by construction
/// (including loops whose preferred branch is an assertion, such as `(?:\b|a)+`).
///
/// Transition entries are `targetRowOffset << 1 | matchBit`, where the match bit says a match ended just before
/// the byte that was consumed; `-1` marks a transition not computed yet. Row 0 is the dead state.
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
    /// `ByteContext` of each byte class (classes never mix contexts when the program uses assertions).
    let classContexts: [ByteContext]

    init(program: Program, mode: Mode, direction: Direction, budget: Int) {
        self.program = program
        self.mode = mode
        self.direction = direction
        self.budget = max(budget, 1)
        self.classContexts = program.classRepresentatives.map { ByteContext.of($0) }
    }

    var stride: Int { program.classCount + 1 }

    enum Outcome: Equatable {
        case noMatch
        case match(Int)
        /// The cache thrashed; run the Pike VM instead.
        case gaveUp
    }

    // MARK: - Searches

    /// Forward search from the start of `input`. Returns where the leftmost-first match ends (or, with
    /// `earliest`, the first position where some match ends).
    func searchForward(_ input: UnsafeRawBufferPointer, anchored: Bool, earliest: Bool, cache: DFACache) -> Outcome {
        searchForwardImpl(input, anchored: anchored, earliest: earliest, cache: &cache.storage)
    }

    private func searchForwardImpl(_ input: UnsafeRawBufferPointer, anchored: Bool, earliest: Bool, cache: inout DFACacheStorage) -> Outcome {
        cache.prepare(for: self)
        let count = input.count
        guard var row = cache.startRow(self, anchored: anchored, context: .edge) else { return .gaveUp }
        var offset = row &* stride
        var lastEnd = -1
        var table = cache.table
        let classCount = program.classCount
        return program.byteClasses.withUnsafeBufferPointer { classes -> Outcome in
            var position = 0
            while position < count {
                let klass = Int(classes[Int(input[position])])
                var entry = table[offset &+ klass]
                if entry < 0 {
                    row = offset / stride
                    guard let computed = cache.transition(self, row: row, klass: klass, position: position) else {
                        return .gaveUp
                    }
                    entry = computed
                    table = cache.table
                }
                offset = Int(entry >> 1)
                if entry & 1 != 0 {
                    lastEnd = position
                    if earliest { return .match(position) }
                }
                if offset == 0 { return lastEnd >= 0 ? .match(lastEnd) : .noMatch }
                position &+= 1
            }
            var entry = table[offset &+ classCount]
            if entry < 0 {
                guard let computed = cache.transition(self, row: offset / stride, klass: classCount, position: count)
                else { return .gaveUp }
                entry = computed
            }
            if entry & 1 != 0 { lastEnd = count }
            return lastEnd >= 0 ? .match(lastEnd) : .noMatch
        }
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
        guard var row = cache.startRow(self, anchored: true, context: afterEnd) else { return .gaveUp }
        var offset = row &* stride
        var earliestStart = -1
        var table = cache.table
        let classCount = program.classCount
        return program.byteClasses.withUnsafeBufferPointer { classes -> Outcome in
            var position = end
            while position > 0 {
                let klass = Int(classes[Int(input[position &- 1])])
                var entry = table[offset &+ klass]
                if entry < 0 {
                    row = offset / stride
                    guard let computed = cache.transition(self, row: row, klass: klass, position: end &- position)
                    else { return .gaveUp }
                    entry = computed
                    table = cache.table
                }
                offset = Int(entry >> 1)
                if entry & 1 != 0 { earliestStart = position }
                if offset == 0 { return earliestStart >= 0 ? .match(earliestStart) : .noMatch }
                position &-= 1
            }
            var entry = table[offset &+ classCount]
            if entry < 0 {
                guard let computed = cache.transition(self, row: offset / stride, klass: classCount, position: end)
                else { return .gaveUp }
                entry = computed
            }
            if entry & 1 != 0 { earliestStart = 0 }
            return earliestStart >= 0 ? .match(earliestStart) : .noMatch
        }
    }

    /// Runs the whole input (mode `.all`) and reports every pattern that matches somewhere through `onMatch`,
    /// which returns true to stop early. Returns false when the cache thrashed (the caller falls back).
    func searchAll(_ input: UnsafeRawBufferPointer, cache: DFACache, onMatch: (Int) -> Bool) -> Bool {
        searchAllImpl(input, cache: &cache.storage, onMatch: onMatch)
    }

    private func searchAllImpl(_ input: UnsafeRawBufferPointer, cache: inout DFACacheStorage, onMatch: (Int) -> Bool) -> Bool {
        cache.prepare(for: self)
        cache.beginScan()
        let count = input.count
        guard let startRow = cache.startRow(self, anchored: program.anchoredAtStart, context: .edge) else {
            return false
        }
        var offset = startRow &* stride
        var table = cache.table
        let classCount = program.classCount
        let stride = self.stride
        return program.byteClasses.withUnsafeBufferPointer { classes -> Bool in
            var position = 0
            while position <= count {
                let klass = position < count ? Int(classes[Int(input[position])]) : classCount
                var entry = table[offset &+ klass]
                if entry < 0 {
                    guard let computed = cache.transition(self, row: offset / stride, klass: klass, position: position)
                    else { return false }
                    entry = computed
                    table = cache.table
                }
                offset = Int(entry >> 1)
                if entry & 1 != 0 {
                    if cache.reportMatches(row: offset / stride, onMatch: onMatch) { return true }
                }
                if offset == 0 { return true }
                position &+= 1
            }
            return true
        }
    }
}

/// The mutable half of a `LazyDFA`: states, transitions and scratch space. Used by one thread at a time (pools
/// hand caches out under a lock), which is why it is `@unchecked Sendable`.
final class DFACache: @unchecked Sendable {
    /// Kept in a struct so the hot loops mutate it through one `inout` access instead of checking exclusivity on
    /// every property access of a class.
    var storage = DFACacheStorage()

    var statesCreated: Int { storage.statesCreated }
    var transitionsComputed: Int { storage.transitionsComputed }
    var totalResets: Int { storage.totalResets }

    deinit { storage.table.deallocate() }
}

struct DFACacheStorage {
    private(set) var table: UnsafeMutablePointer<Int32>
    private var tableCapacity: Int
    private var rowCount = 0
    private var stride = 0
    private var budget = 0

    private var kernelPool: [Int32] = []
    private var kernelStarts: [Int] = []
    private var kernelCounts: [Int] = []
    private var contexts: [ByteContext] = []
    private var matchPool: [Int32] = []
    private var matchStarts: [Int] = []
    private var matchCounts: [Int] = []
    private var reportedStamp: [UInt32] = []
    private var scanStamp: UInt32 = 0
    private var rowsByKey: [[Int32]: Int32] = [:]
    private var startRows: [Int32] = [Int32](repeating: -1, count: 8)
    private var bytesUsed = 0

    /// Per context pair (`before * 4 + after`): the start loop's closure leaves; per pair and byte class: the
    /// instructions it steps to. Derived from the program only, so they survive cache resets.
    private var startLeaves: [[Int32]?] = []
    private var startMatchesByContext: [[Int32]?] = []
    private var startSteps: [[Int32]?] = []
    private var visited: [UInt32] = []
    private var visitStamp: UInt32 = 0
    private var stack: [Int32] = []
    private var leaves: [Int32] = []
    private var newKernel: [Int32] = []
    private var matches: [Int32] = []
    private var key: [Int32] = []

    /// Resets during the current search, and where the last one happened: used to detect thrashing.
    private var lastResetPosition = 0
    private var resetsInSearch = 0
    private(set) var totalResets = 0
    private(set) var statesCreated = 0
    private(set) var transitionsComputed = 0

    init() {
        tableCapacity = 0
        table = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    }

    /// Adapts the cache to `dfa` on first use and starts a new search.
    mutating func prepare(for dfa: LazyDFA) {
        resetsInSearch = 0
        lastResetPosition = 0
        if stride != dfa.stride || visited.count != dfa.program.instructions.count {
            stride = dfa.stride
            budget = dfa.budget
            visited = [UInt32](repeating: 0, count: dfa.program.instructions.count)
            visitStamp = 0
            startLeaves = [[Int32]?](repeating: nil, count: 16)
            startMatchesByContext = [[Int32]?](repeating: nil, count: 16)
            startSteps = [[Int32]?](repeating: nil, count: 16 &* stride)
            clear()
        }
    }

    mutating func beginScan() {
        scanStamp &+= 1
        if scanStamp == 0 {
            for index in reportedStamp.indices { reportedStamp[index] = 0 }
            scanStamp = 1
        }
    }

    /// Calls `onMatch` for the patterns of `row` not yet reported in this scan; true when `onMatch` asked to stop.
    mutating func reportMatches(row: Int, onMatch: (Int) -> Bool) -> Bool {
        guard row < rowCount, reportedStamp[row] != scanStamp else { return false }
        reportedStamp[row] = scanStamp
        let start = matchStarts[row]
        for index in start..<(start + matchCounts[row]) where onMatch(Int(matchPool[index])) { return true }
        return false
    }

    private mutating func clear() {
        rowCount = 0
        kernelPool.removeAll(keepingCapacity: true)
        kernelStarts.removeAll(keepingCapacity: true)
        kernelCounts.removeAll(keepingCapacity: true)
        contexts.removeAll(keepingCapacity: true)
        matchPool.removeAll(keepingCapacity: true)
        matchStarts.removeAll(keepingCapacity: true)
        matchCounts.removeAll(keepingCapacity: true)
        reportedStamp.removeAll(keepingCapacity: true)
        rowsByKey.removeAll(keepingCapacity: true)
        for index in startRows.indices { startRows[index] = -1 }
        bytesUsed = 0
        // Row 0: the dead state, every transition back to itself without a match.
        key = [Int32(ByteContext.edge.rawValue), 0]
        _ = addRow(context: .edge, empty: true)
        for column in 0..<stride { table[column] = 0 }
    }

    mutating func startRow(_ dfa: LazyDFA, anchored: Bool, context: ByteContext) -> Int? {
        let slot = (anchored ? 4 : 0) + Int(context.rawValue)
        let cached = startRows[slot]
        if cached >= 0 { return Int(cached) }
        let entry = anchored ? dfa.program.anchoredStart : dfa.program.unanchoredStart
        newKernel.removeAll(keepingCapacity: true)
        newKernel.append(entry)
        matches.removeAll(keepingCapacity: true)
        let row = intern(dfa, context: dfa.program.usesContext ? context : .edge)
        startRows[slot] = Int32(row)
        return row
    }

    /// Computes, caches and returns the transition of `row` on byte class `klass` (`stride - 1` is end of text).
    /// Returns nil when the cache keeps filling faster than the search advances.
    mutating func transition(_ dfa: LazyDFA, row: Int, klass: Int, position: Int) -> Int32? {
        guard row > 0 && row < rowCount else { return 0 }
        let program = dfa.program
        let endOfText = klass >= program.classCount
        let byteContext: ByteContext = endOfText ? .edge : dfa.classContexts[klass]
        let stateContext = contexts[row]
        let before: ByteContext
        let after: ByteContext
        switch dfa.direction {
        case .forward: (before, after) = (stateContext, byteContext)
        case .reverse: (before, after) = (byteContext, stateContext)
        }
        transitionsComputed &+= 1
        let contextPair = Int(before.rawValue) &* 4 &+ Int(after.rawValue)
        let start = dfa.program.unanchoredStart
        // The unanchored start loop reaches the start of every pattern: its closure is computed once per context.
        if dfa.mode == .leftmostFirst || endOfText { prepareStartLeaves(program, contextPair: contextPair, before: before, after: after) }
        if dfa.mode == .all && !endOfText { prepareStartSteps(program, contextPair: contextPair, klass: klass, before: before, after: after) }
        let includesStart = closure(program, row: row, before: before, after: after, mode: dfa.mode,
                                    contextPair: contextPair, start: start)
        newKernel.removeAll(keepingCapacity: true)
        if !endOfText {
            let byte = program.classRepresentatives[klass]
            nextStamp()
            for leaf in leaves {
                let instruction = program.instructions[Int(leaf)]
                let next = instruction.next
                guard program.accepts(instruction, byte), next >= 0, Int(next) < visited.count,
                    visited[Int(next)] != visitStamp
                else { continue }
                visited[Int(next)] = visitStamp
                newKernel.append(next)
            }
            if dfa.mode == .all && includesStart, let steps = startSteps[contextPair &* stride &+ klass] {
                for next in steps where visited[Int(next)] != visitStamp {
                    visited[Int(next)] = visitStamp
                    newKernel.append(next)
                }
            }
            if dfa.mode == .all { newKernel.sort() }
        }
        if dfa.mode == .all && includesStart {
            if endOfText {
                for leaf in startLeaves[contextPair] ?? [] where program.instructions[Int(leaf)].operation == .match {
                    matches.append(program.instructions[Int(leaf)].argument)
                }
            } else if let startMatches = startMatchesByContext[contextPair] {
                matches.append(contentsOf: startMatches)
            }
        }
        if dfa.mode == .all && matches.count > 1 {
            matches.sort()
            var unique = 0
            for index in matches.indices where index == 0 || matches[index] != matches[unique &- 1] {
                matches[unique] = matches[index]
                unique &+= 1
            }
            matches.removeLast(matches.count &- unique)
        }
        let nextContext: ByteContext = program.usesContext ? byteContext : .edge
        let target: Int
        if newKernel.isEmpty && matches.isEmpty {
            target = 0
        } else {
            if bytesUsed > budget {
                // Thrashing: the cache filled up again without the search getting far.
                if resetsInSearch > 0 && position &- lastResetPosition < 10 &* rowCount { return nil }
                resetsInSearch &+= 1
                totalResets &+= 1
                lastResetPosition = position
                clear()
                // The source row is gone; the new entry below goes into the fresh table only for the target.
                let entry = encode(target: intern(dfa, context: nextContext), matched: !matches.isEmpty)
                return entry
            }
            target = intern(dfa, context: nextContext)
        }
        let entry = encode(target: target, matched: !matches.isEmpty)
        table[row &* stride &+ klass] = entry
        return entry
    }

    private func encode(target: Int, matched: Bool) -> Int32 {
        Int32(truncatingIfNeeded: (target &* stride) << 1) | (matched ? 1 : 0)
    }

    /// Follows empty transitions from the kernel of `row`, in priority order, into `leaves` (byte instructions)
    /// and `matches` (pattern indices). The start loop is not expanded here: in leftmost-first mode its
    /// precomputed leaves are appended in order; in all-threads mode the caller adds its precomputed steps.
    /// Returns true when the kernel holds the start loop.
    private mutating func closure(_ program: Program, row: Int, before: ByteContext, after: ByteContext, mode: LazyDFA.Mode,
                         contextPair: Int, start: Int32) -> Bool
    {
        leaves.removeAll(keepingCapacity: true)
        matches.removeAll(keepingCapacity: true)
        nextStamp()
        var includesStart = false
        let instructionCount = program.instructions.count
        let first = kernelStarts[row]
        kernel: for index in first..<(first + kernelCounts[row]) {
            let item = kernelPool[index]
            if item == start {
                includesStart = true
                if mode == .all { continue }
                // Leftmost-first: the start loop has the lowest priority; skip what higher threads reached.
                for leaf in startLeaves[contextPair] ?? [] where visited[Int(leaf)] != visitStamp {
                    visited[Int(leaf)] = visitStamp
                    let instruction = program.instructions[Int(leaf)]
                    if instruction.operation == .match {
                        matches.append(instruction.argument)
                        break kernel
                    }
                    leaves.append(leaf)
                }
                continue
            }
            stack.append(item)
            while let id32 = stack.popLast() {
                let id = Int(id32)
                guard id >= 0 && id < instructionCount, visited[id] != visitStamp else { continue }
                visited[id] = visitStamp
                let instruction = program.instructions[id]
                switch instruction.operation {
                case .byteRange, .byteSet:
                    leaves.append(id32)
                case .match:
                    matches.append(instruction.argument)
                    if mode == .leftmostFirst {
                        stack.removeAll(keepingCapacity: true)
                        break kernel
                    }
                case .split:
                    stack.append(instruction.alternative)
                    stack.append(instruction.next)
                case .assertion:
                    if let code = AssertionCode(rawValue: instruction.argument), code.holds(before: before, after: after)
                    {
                        stack.append(instruction.next)
                    }
                case .saveStart:
                    stack.append(instruction.next)
                case .fail:
                    break
                }
            }
        }
        return includesStart
    }

    /// Leaves (byte and match instructions, in priority order) of the start loop's closure for a context pair.
    private mutating func prepareStartLeaves(_ program: Program, contextPair: Int, before: ByteContext, after: ByteContext) {
        guard startLeaves[contextPair] == nil else { return }
        nextStamp()
        var result: [Int32] = []
        let instructionCount = program.instructions.count
        stack.append(program.unanchoredStart)
        while let id32 = stack.popLast() {
            let id = Int(id32)
            guard id >= 0 && id < instructionCount, visited[id] != visitStamp else { continue }
            visited[id] = visitStamp
            let instruction = program.instructions[id]
            switch instruction.operation {
            case .byteRange, .byteSet, .match:
                result.append(id32)
            case .split:
                stack.append(instruction.alternative)
                stack.append(instruction.next)
            case .assertion:
                if let code = AssertionCode(rawValue: instruction.argument), code.holds(before: before, after: after) {
                    stack.append(instruction.next)
                }
            case .saveStart:
                stack.append(instruction.next)
            case .fail:
                break
            }
        }
        startLeaves[contextPair] = result
    }

    /// Where the start loop's closure goes on byte class `klass` (sorted), and which patterns it matches.
    private mutating func prepareStartSteps(_ program: Program, contextPair: Int, klass: Int, before: ByteContext,
                                   after: ByteContext)
    {
        let slot = contextPair &* stride &+ klass
        guard startSteps[slot] == nil else { return }
        prepareStartLeaves(program, contextPair: contextPair, before: before, after: after)
        let leaves = startLeaves[contextPair] ?? []
        if startMatchesByContext[contextPair] == nil {
            startMatchesByContext[contextPair] = leaves.compactMap { leaf in
                let instruction = program.instructions[Int(leaf)]
                return instruction.operation == .match ? instruction.argument : nil
            }
        }
        let byte = program.classRepresentatives[klass]
        nextStamp()
        var steps: [Int32] = []
        for leaf in leaves {
            let instruction = program.instructions[Int(leaf)]
            let next = instruction.next
            guard program.accepts(instruction, byte), next >= 0, Int(next) < visited.count,
                visited[Int(next)] != visitStamp
            else { continue }
            visited[Int(next)] = visitStamp
            steps.append(next)
        }
        startSteps[slot] = steps.sorted()
    }

    private mutating func nextStamp() {
        visitStamp &+= 1
        if visitStamp == 0 {
            for index in visited.indices { visited[index] = 0 }
            visitStamp = 1
        }
    }

    /// The row for (`newKernel`, `context`, `matches`), created if new.
    private mutating func intern(_ dfa: LazyDFA, context: ByteContext) -> Int {
        key.removeAll(keepingCapacity: true)
        key.append(Int32(context.rawValue))
        if dfa.mode == .all {
            // Only sets need to know which patterns matched; single patterns keep that in the entry's match bit.
            key.append(Int32(truncatingIfNeeded: matches.count))
            key.append(contentsOf: matches)
        } else {
            key.append(0)
        }
        key.append(contentsOf: newKernel)
        if let existing = rowsByKey[key] { return Int(existing) }
        return addRow(context: context)
    }

    /// Appends a row for `key`, whose kernel and matches are `newKernel` and `matches` (or nothing when `empty`).
    private mutating func addRow(context: ByteContext, empty: Bool = false) -> Int {
        let row = rowCount
        statesCreated &+= 1
        let needed = (row + 1) &* stride
        if needed > tableCapacity {
            let newCapacity = max(needed, max(tableCapacity * 2, 16 &* stride))
            let newTable = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity)
            newTable.update(from: table, count: rowCount &* stride)
            table.deallocate()
            table = newTable
            tableCapacity = newCapacity
        }
        (table + row &* stride).initialize(repeating: -1, count: stride)
        rowCount += 1
        kernelStarts.append(kernelPool.count)
        kernelCounts.append(empty ? 0 : newKernel.count)
        if !empty { kernelPool.append(contentsOf: newKernel) }
        contexts.append(context)
        matchStarts.append(matchPool.count)
        matchCounts.append(empty ? 0 : matches.count)
        if !empty { matchPool.append(contentsOf: matches) }
        reportedStamp.append(0)
        rowsByKey[key] = Int32(row)
        // Table row, kernel twice (pool and dictionary key) and bookkeeping.
        bytesUsed &+= stride &* 4 &+ key.count &* 8 &+ 96
        return row
    }
}
