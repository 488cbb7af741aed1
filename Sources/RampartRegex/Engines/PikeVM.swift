/// `Engines/` runs compiled programs: `PikeVM` (always linear, reports spans) and `LazyDFA` (fast, bounded memory).

/// Reusable working memory for `PikeVM`, so a search allocates nothing once warmed up.
struct PikeVMScratch {
    var currentThreads: [Int32] = []
    var currentStarts: [Int] = []
    var nextThreads: [Int32] = []
    var nextStarts: [Int] = []
    var visited: [UInt32] = []
    var stamp: UInt32 = 0
    var stack: [(instruction: Int32, start: Int)] = []

    mutating func prepare(for program: Program) {
        if visited.count != program.instructions.count {
            visited = [UInt32](repeating: 0, count: program.instructions.count)
            stamp = 0
        }
        currentThreads.removeAll(keepingCapacity: true)
        currentStarts.removeAll(keepingCapacity: true)
        nextThreads.removeAll(keepingCapacity: true)
        nextStarts.removeAll(keepingCapacity: true)
    }

    mutating func nextStamp() {
        stamp &+= 1
        if stamp == 0 {
            for index in visited.indices { visited[index] = 0 }
            stamp = 1
        }
    }
}

/// Thompson NFA simulation with one thread per instruction, in priority order: time is O(input × program) for
/// every pattern and input, and the leftmost-first span comes out exactly as RE2 reports it.
enum PikeVM {
    /// Leftmost-first search from `input`'s start. `earliest` stops at the first position where any match ends
    /// (the span is then not the leftmost-first one; use it to answer "is there a match").
    static func search(_ program: Program, _ input: UnsafeRawBufferPointer, anchored: Bool, earliest: Bool,
                       scratch: inout PikeVMScratch) -> Range<Int>?
    {
        var found: Range<Int>? = nil
        run(program, input, anchored: anchored, allPatterns: false, scratch: &scratch) { start, end, _ in
            if start <= end { found = start..<end }
            return earliest
        }
        return found
    }

    /// Marks every pattern of a set program that matches anywhere. Stops early when `onMatch` returns true.
    static func searchAll(_ program: Program, _ input: UnsafeRawBufferPointer, scratch: inout PikeVMScratch,
                          onMatch: (Int) -> Bool)
    {
        run(program, input, anchored: false, allPatterns: true, scratch: &scratch) { _, _, pattern in
            onMatch(pattern)
        }
    }

    /// The simulation. `report(start, end, pattern)` returns true to stop the search.
    private static func run(_ program: Program, _ input: UnsafeRawBufferPointer, anchored: Bool, allPatterns: Bool,
                            scratch: inout PikeVMScratch, report: (Int, Int, Int) -> Bool)
    {
        scratch.prepare(for: program)
        let count = input.count
        let instructionCount = program.instructions.count
        let entry = anchored ? program.anchoredStart : program.unanchoredStart
        scratch.nextStamp()
        addThread(program, entry, start: 0, position: 0, input: input, scratch: &scratch)
        swap(&scratch.currentThreads, &scratch.nextThreads)
        swap(&scratch.currentStarts, &scratch.nextStarts)
        var position = 0
        while true {
            if scratch.currentThreads.isEmpty { return }
            scratch.nextThreads.removeAll(keepingCapacity: true)
            scratch.nextStarts.removeAll(keepingCapacity: true)
            scratch.nextStamp()
            let byte: UInt8? = position < count ? input[position] : nil
            var index = 0
            threads: while index < scratch.currentThreads.count {
                let id = Int(scratch.currentThreads[index])
                let start = scratch.currentStarts[index]
                index &+= 1
                guard id >= 0 && id < instructionCount else { continue }
                let instruction = program.instructions[id]
                switch instruction.operation {
                case .match:
                    if report(start, position, Int(instruction.argument)) { return }
                    // Leftmost-first: lower-priority threads lose to this match.
                    if !allPatterns { break threads }
                case .byteRange, .byteSet:
                    if let byte, program.accepts(instruction, byte) {
                        addThread(program, instruction.next, start: start, position: position &+ 1, input: input,
                                  scratch: &scratch)
                    }
                default:
                    break
                }
            }
            swap(&scratch.currentThreads, &scratch.nextThreads)
            swap(&scratch.currentStarts, &scratch.nextStarts)
            if position >= count { return }
            position &+= 1
        }
    }

    /// Follows empty transitions from `entry` at `position` depth-first in priority order, appending the
    /// byte-consuming and match instructions reached to the next thread list.
    private static func addThread(_ program: Program, _ entry: Int32, start: Int, position: Int,
                                  input: UnsafeRawBufferPointer, scratch: inout PikeVMScratch)
    {
        let instructionCount = program.instructions.count
        let before: ByteContext = position > 0 && position <= input.count ? .of(input[position - 1]) : .edge
        let after: ByteContext = position < input.count ? .of(input[position]) : .edge
        scratch.stack.append((entry, start))
        while let (id32, threadStart) = scratch.stack.popLast() {
            let id = Int(id32)
            guard id >= 0 && id < instructionCount, scratch.visited[id] != scratch.stamp else { continue }
            scratch.visited[id] = scratch.stamp
            let instruction = program.instructions[id]
            switch instruction.operation {
            case .byteRange, .byteSet, .match:
                scratch.nextThreads.append(id32)
                scratch.nextStarts.append(threadStart)
            case .split:
                scratch.stack.append((instruction.alternative, threadStart))
                scratch.stack.append((instruction.next, threadStart))
            case .assertion:
                if let code = AssertionCode(rawValue: instruction.argument), code.holds(before: before, after: after) {
                    scratch.stack.append((instruction.next, threadStart))
                }
            case .saveStart:
                scratch.stack.append((instruction.next, position))
            case .fail:
                break
            }
        }
    }
}
