import Synchronization

/// Source of `LazyDFA.identity` values.
let nextDFAIdentity = Atomic<Int>(0)

/// The mutable half of a `LazyDFA`: states, transitions and scratch space. Used by one thread at a time (pools
/// hand caches out under a lock), which is why it is `@unchecked Sendable`.
final class DFACache: @unchecked Sendable {
    /// Kept in a struct so the hot loops mutate it through one `inout` access instead of checking exclusivity on
    /// every property access of a class.
    var storage = DFACacheStorage()

    var statesCreated: Int { storage.statesCreated }
    var transitionsComputed: Int { storage.transitionsComputed }
    var totalResets: Int { storage.totalResets }

    deinit {
        storage.table.deallocate()
        storage.classes.deallocate()
    }
}

struct DFACacheStorage {
    private(set) var table: UnsafeMutablePointer<Int32>
    /// The program's byte classes, copied so the search loops index a plain pointer.
    let classes = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
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

    /// Per context pair (`before * 4 + after`): the start loop's closure leaves in priority order (leftmost-first
    /// searches). Derived from the program only, so they survive cache resets.
    private var startLeaves: [[Int32]?] = []
    private var visited: [UInt32] = []
    /// Deduplicates the next kernel in all-threads steps (separate from `visited`, which closures use meanwhile).
    private var marks: [UInt32] = []
    private var markStamp: UInt32 = 0
    struct Step {
        var nextStart: Int
        var nextCount: Int
        var matchStart: Int
        var matchCount: Int
    }
    /// Cached single-instruction steps, keyed by instruction, context pair and class (cleared with the cache).
    private var stepIndex: [UInt64: Step] = [:]
    private var stepPool: [Int32] = []
    private var visitStamp: UInt32 = 0
    private var stack: [Int32] = []
    private var leaves: [Int32] = []
    private var newKernel: [Int32] = []
    private var matches: [Int32] = []
    private var key: [Int32] = []
    /// Per row: its kernel is only the unanchored start loop, with no match (see `LazyDFA.firstByteScanner`).
    private var startLoopRows: [Bool] = []
    /// Transitions into start-loop rows are stored as special entries, so the search loop stops there and skips.
    private var marksStartLoopRows = false
    private var unanchoredStart: Int32 = -1

    /// Resets during the current search, and where the last one happened: used to detect thrashing.
    private var lastResetPosition = 0
    private var resetsInSearch = 0
    /// The `LazyDFA.identity` the cached states belong to.
    private var owner = 0
    private var statesInSearch = 0
    private(set) var totalResets = 0
    private(set) var statesCreated = 0
    private(set) var transitionsComputed = 0

    init() {
        tableCapacity = 0
        table = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        classes.initialize(repeating: 0, count: 256)
    }

    /// Adapts the cache to `dfa` on first use and starts a new search.
    mutating func prepare(for dfa: LazyDFA) {
        resetsInSearch = 0
        statesInSearch = 0
        lastResetPosition = 0
        if owner != dfa.identity {
            owner = dfa.identity
            stride = dfa.stride
            marksStartLoopRows = dfa.firstByteScanner != nil
            unanchoredStart = dfa.program.unanchoredStart
            budget = dfa.budget
            for byte in 0..<256 { classes[byte] = byte < dfa.program.byteClasses.count ? dfa.program.byteClasses[byte] : 0 }
            visited = [UInt32](repeating: 0, count: dfa.program.instructions.count)
            visitStamp = 0
            marks = [UInt32](repeating: 0, count: dfa.program.instructions.count)
            markStamp = 0
            startLeaves = [[Int32]?](repeating: nil, count: 16)
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
        startLoopRows.removeAll(keepingCapacity: true)
        rowsByKey.removeAll(keepingCapacity: true)
        stepIndex.removeAll(keepingCapacity: true)
        stepPool.removeAll(keepingCapacity: true)
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
        if dfa.mode == .all {
            allThreadsStep(program, row: row, klass: klass, endOfText: endOfText, contextPair: contextPair,
                           before: before, after: after)
        } else {
            // The unanchored start loop reaches the start of every pattern: its closure is computed once per context.
            prepareStartLeaves(program, contextPair: contextPair, before: before, after: after)
            _ = closure(program, row: row, before: before, after: after, mode: dfa.mode, contextPair: contextPair,
                        start: dfa.program.unanchoredStart)
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
            }
        }
        let nextContext = dfa.stateContext(afterConsuming: byteContext)
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
            statesInSearch &+= 1
            // Sets have a better fallback than the Pike VM (each pattern's own engines): leave a long input early
            // when it keeps needing new transitions (more than one per 16 bytes).
            if dfa.bailsOnDenseStates && position >= 32_768 && statesInSearch &* 16 > position { return nil }
        }
        let entry = encode(target: target, matched: !matches.isEmpty)
        table[row &* stride &+ klass] = entry
        return entry
    }

    /// See `LazyDFA`'s documentation for the encoding.
    private func encode(target: Int, matched: Bool) -> Int32 {
        let offset = Int32(truncatingIfNeeded: target &* stride)
        let special = matched || (marksStartLoopRows && isStartLoopRow(target))
        guard special else { return offset }
        return -(offset &* 2 &+ (matched ? 1 : 0)) &- 2
    }

    func isStartLoopRow(_ row: Int) -> Bool {
        row >= 0 && row < startLoopRows.count && startLoopRows[row]
    }

    /// All-threads transition (sets, reverse scans): the union over kernel instructions of where each one goes
    /// on `klass`, each computed once per (instruction, context pair, class) and cached — states of a big set
    /// share most of their threads, so a new state costs little more than a few lookups.
    private mutating func allThreadsStep(_ program: Program, row: Int, klass: Int, endOfText: Bool, contextPair: Int,
                                         before: ByteContext, after: ByteContext)
    {
        newKernel.removeAll(keepingCapacity: true)
        matches.removeAll(keepingCapacity: true)
        nextMark()
        let first = kernelStarts[row]
        for index in first..<(first + kernelCounts[row]) {
            let item = kernelPool[index]
            let stepKey = UInt64(UInt32(bitPattern: item)) << 20 | UInt64(contextPair) << 12 | UInt64(klass)
            var cached = stepIndex[stepKey]
            if cached == nil {
                cached = computeStep(program, item: item, klass: klass, endOfText: endOfText, before: before,
                                     after: after)
                stepIndex[stepKey] = cached
            }
            guard let step = cached else { continue }
            for position in step.nextStart..<(step.nextStart &+ step.nextCount) {
                let next = stepPool[position]
                if marks[Int(next)] != markStamp {
                    marks[Int(next)] = markStamp
                    newKernel.append(next)
                }
            }
            for position in step.matchStart..<(step.matchStart &+ step.matchCount) {
                matches.append(stepPool[position])
            }
        }
        newKernel.sort()
        if matches.count > 1 {
            matches.sort()
            var unique = 0
            for index in matches.indices where index == 0 || matches[index] != matches[unique &- 1] {
                matches[unique] = matches[index]
                unique &+= 1
            }
            matches.removeLast(matches.count &- unique)
        }
    }

    /// Where one instruction's closure goes on one byte class, appended to `stepPool`.
    private mutating func computeStep(_ program: Program, item: Int32, klass: Int, endOfText: Bool,
                                      before: ByteContext, after: ByteContext) -> Step
    {
        let savedLeaves = leaves.count
        nextStamp()
        let instructionCount = program.instructions.count
        var matchIDs: [Int32] = []
        stack.append(item)
        while let id32 = stack.popLast() {
            let id = Int(id32)
            guard id >= 0 && id < instructionCount, visited[id] != visitStamp else { continue }
            visited[id] = visitStamp
            let instruction = program.instructions[id]
            switch instruction.operation {
            case .byteRange, .byteSet: leaves.append(id32)
            case .match: matchIDs.append(instruction.argument)
            case .split:
                stack.append(instruction.alternative)
                stack.append(instruction.next)
            case .assertion:
                if let code = AssertionCode(rawValue: instruction.argument), code.holds(before: before, after: after) {
                    stack.append(instruction.next)
                }
            case .saveStart: stack.append(instruction.next)
            case .fail: break
            }
        }
        let nextStart = stepPool.count
        if !endOfText {
            let byte = program.classRepresentatives[klass]
            nextStamp()
            for leaf in leaves[savedLeaves...] {
                let instruction = program.instructions[Int(leaf)]
                let next = instruction.next
                guard program.accepts(instruction, byte), next >= 0, Int(next) < visited.count,
                    visited[Int(next)] != visitStamp
                else { continue }
                visited[Int(next)] = visitStamp
                stepPool.append(next)
            }
        }
        leaves.removeLast(leaves.count &- savedLeaves)
        let nextCount = stepPool.count &- nextStart
        let matchStart = stepPool.count
        stepPool.append(contentsOf: matchIDs)
        bytesUsed &+= (stepPool.count &- nextStart) &* 4 &+ 48
        return Step(nextStart: nextStart, nextCount: nextCount, matchStart: matchStart, matchCount: matchIDs.count)
    }

    private mutating func nextMark() {
        markStamp &+= 1
        if markStamp == 0 {
            for index in marks.indices { marks[index] = 0 }
            markStamp = 1
        }
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
        startLoopRows.append(!empty && matches.isEmpty && newKernel.count == 1 && newKernel.first == unanchoredStart)
        rowsByKey[key] = Int32(row)
        // Table row, kernel twice (pool and dictionary key) and bookkeeping.
        bytesUsed &+= stride &* 4 &+ key.count &* 8 &+ 96
        return row
    }
}
