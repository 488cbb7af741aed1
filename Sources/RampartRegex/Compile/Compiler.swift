/// Builds a `Program` from `HIR`, back to front: each node is compiled knowing the instruction that follows it,
/// which lets UTF-8 classes share common suffixes and keeps the compiler a single linear pass.
///
/// Repetitions follow RE2's shapes exactly, because leftmost-first priorities depend on them: `x+` loops back to
/// the same instructions, `x*` of a nullable `x` is `(x+)?`, `x{n,}` is `x…x x+` and `x{n,m}` is `x…x(x(x)?)?`.
struct Compiler {
    private var instructions: [Instruction] = []
    private var byteSets: [ByteBitSet] = []
    private var byteSetIndex: [ByteBitSet: Int32] = [:]
    /// UTF-8 sequences of the non-ASCII classes compiled so far: case-insensitive keywords repeat the same few
    /// (`[Kk\x{212A}]`, `[Ss\x{17F}]`) many times.
    private var sequenceCache: [CodePointSet: [UTF8Sequences.Sequence]] = [:]
    private var failInstruction: Int32 = -1
    private var usesContext = false
    /// Where the pattern being compiled started; the size limit counts from here.
    private var base = 0
    private let limit: Int
    private let reverse: Bool
    private let pattern: String

    private init(limit: Int, reverse: Bool, pattern: String) {
        self.limit = max(limit, 1)
        self.reverse = reverse
        self.pattern = pattern
    }

    /// Compiles one pattern. `reverse` builds the program matching the reversed language (for finding starts).
    static func compile(_ hir: HIR, pattern: String, limits: RegexLimits, reverse: Bool = false) throws(RegexError)
        -> Program
    {
        try compile([hir], pattern: pattern, limits: limits, reverse: reverse)
    }

    /// Compiles patterns into one program whose `match` instructions carry each pattern's index. The size limit
    /// applies to each pattern's share of the program. `failedIndex` tells which pattern hit the limit.
    static func compile(_ hirs: [HIR], pattern: String, limits: RegexLimits, reverse: Bool = false,
                        failedIndex: UnsafeMutablePointer<Int>? = nil) throws(RegexError) -> Program
    {
        var compiler = Compiler(limit: limits.maxProgramSize, reverse: reverse, pattern: pattern)
        var entries: [Int32] = []
        entries.reserveCapacity(hirs.count)
        for (index, hir) in hirs.enumerated() {
            failedIndex?.pointee = index
            compiler.base = compiler.instructions.count
            let match = try compiler.emit(Instruction(operation: .match, argument: Int32(truncatingIfNeeded: index)))
            entries.append(try compiler.compile(hir, next: match))
        }
        compiler.base = compiler.instructions.count
        var body: Int32
        if let last = entries.last { body = last } else { body = try compiler.fail() }
        for entry in entries.dropLast().reversed() {
            body = try compiler.emit(Instruction(operation: .split, next: entry, alternative: body))
        }
        let anchoredStart = try compiler.emit(Instruction(operation: .saveStart, next: body))
        let loop = try compiler.emit(Instruction(operation: .split))
        let anyByte = try compiler.emit(Instruction(operation: .byteRange, low: 0, high: 255, next: loop))
        compiler.instructions[Int(loop)].next = anchoredStart
        compiler.instructions[Int(loop)].alternative = anyByte
        let anchored = !reverse && !hirs.isEmpty && hirs.allSatisfy { Compiler.isAnchoredAtStart($0) }
        return compiler.finish(anchoredStart: anchoredStart, unanchoredStart: loop, anchored: anchored,
                               patternCount: hirs.count)
    }

    // MARK: - Nodes

    private mutating func compile(_ hir: HIR, next: Int32) throws(RegexError) -> Int32 {
        switch hir {
        case .empty:
            return next
        case .noMatch:
            return try fail()
        case .literal(let scalars):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(scalars.count)
            for scalar in scalars { bytes.append(contentsOf: UTF8Sequences.encode(scalar.value)) }
            // Back to front: the last byte consumed is emitted first.
            var target = next
            if reverse {
                for byte in bytes { target = try emitByte(byte...byte, next: target) }
            } else {
                for byte in bytes.reversed() { target = try emitByte(byte...byte, next: target) }
            }
            return target
        case .characterClass(let set):
            return try compileClass(set, next: next)
        case .assertion(let assertion):
            let code = AssertionCode(assertion)
            usesContext = true
            return try emit(Instruction(operation: .assertion, next: next, argument: code.rawValue))
        case .capture(_, _, let inner):
            return try compile(inner, next: next)
        case .concatenation(let children):
            var target = next
            if reverse {
                for child in children { target = try compile(child, next: target) }
            } else {
                for child in children.reversed() { target = try compile(child, next: target) }
            }
            return target
        case .alternation(let children):
            guard let last = children.last else { return next }
            var entry = try compile(last, next: next)
            for child in children.dropLast().reversed() {
                let first = try compile(child, next: next)
                entry = try emit(Instruction(operation: .split, next: first, alternative: entry))
            }
            return entry
        case .repetition(let inner, let min, let max, let greedy):
            return try compileRepetition(inner, min: min, max: max, greedy: greedy, next: next)
        }
    }

    private mutating func compileRepetition(_ inner: HIR, min: Int, max: Int?, greedy: Bool, next: Int32)
        throws(RegexError) -> Int32
    {
        let minimum = Swift.max(min, 0)
        guard let maximum = max else {
            switch minimum {
            case 0: return try star(inner, greedy: greedy, next: next)
            default:
                var entry = try plus(inner, greedy: greedy, next: next)
                for _ in 1..<minimum { entry = try compile(inner, next: entry) }
                return entry
            }
        }
        if maximum < minimum { return try fail() }
        // Optional tail `(x(x(x)?)?)?`: every level skips to `next`.
        var tail = next
        for _ in 0..<(maximum - minimum) {
            let body = try compile(inner, next: tail)
            tail = try quest(body: body, greedy: greedy, next: next)
        }
        var entry = tail
        for _ in 0..<minimum { entry = try compile(inner, next: entry) }
        return entry
    }

    private mutating func quest(body: Int32, greedy: Bool, next: Int32) throws(RegexError) -> Int32 {
        greedy
            ? try emit(Instruction(operation: .split, next: body, alternative: next))
            : try emit(Instruction(operation: .split, next: next, alternative: body))
    }

    /// `x+`: `x` then a split looping back to the same `x`.
    private mutating func plus(_ inner: HIR, greedy: Bool, next: Int32) throws(RegexError) -> Int32 {
        let loop = try emit(Instruction(operation: .split))
        let body = try compile(inner, next: loop)
        instructions[Int(loop)].next = greedy ? body : next
        instructions[Int(loop)].alternative = greedy ? next : body
        return body
    }

    private mutating func star(_ inner: HIR, greedy: Bool, next: Int32) throws(RegexError) -> Int32 {
        if Compiler.isNullable(inner) {
            // One split is not enough to keep priorities right when `x` can match empty; RE2 uses `(x+)?`.
            let body = try plus(inner, greedy: greedy, next: next)
            return try quest(body: body, greedy: greedy, next: next)
        }
        let loop = try emit(Instruction(operation: .split))
        let body = try compile(inner, next: loop)
        instructions[Int(loop)].next = greedy ? body : next
        instructions[Int(loop)].alternative = greedy ? next : body
        return loop
    }

    // MARK: - Classes

    private struct SuffixKey: Hashable {
        var low: UInt8
        var high: UInt8
        var next: Int32
    }

    private mutating func compileClass(_ set: CodePointSet, next: Int32) throws(RegexError) -> Int32 {
        // ASCII-only classes (the common case) are one byte set.
        if let last = set.ranges.last, last.upperBound < 0x80 {
            var bits = ByteBitSet()
            for range in set.ranges { bits.insert(UInt8(range.lowerBound)...UInt8(range.upperBound)) }
            return try emitByteSet(bits, next: next)
        }
        let sequences: [UTF8Sequences.Sequence]
        if let cached = sequenceCache[set] {
            sequences = cached
        } else {
            var computed: [UTF8Sequences.Sequence] = []
            for range in set.ranges {
                let low = range.lowerBound
                let high = Swift.min(range.upperBound, 0x10FFFF)
                if low > high { continue }
                // Surrogates have no UTF-8 encoding.
                if low < 0xD800 { UTF8Sequences.sequences(from: low, to: Swift.min(high, 0xD7FF), into: &computed) }
                if high > 0xDFFF { UTF8Sequences.sequences(from: Swift.max(low, 0xE000), to: high, into: &computed) }
            }
            sequenceCache[set] = computed
            sequences = computed
        }
        if sequences.isEmpty { return try fail() }
        // Leading byte ranges grouped by the shared suffix they lead into; each group becomes one instruction.
        // Classes have few groups, so linear searches beat hashing here.
        var groupTargets: [Int32] = []
        var groupBytes: [ByteBitSet] = []
        var suffixCache: [(key: SuffixKey, instruction: Int32)] = []
        for sequence in sequences {
            guard let first = sequence.first, let last = sequence.last else { continue }
            var target = next
            let leading: ClosedRange<UInt8>
            if reverse {
                for range in sequence.dropLast() { target = try cachedByte(range, next: target, cache: &suffixCache) }
                leading = last
            } else {
                for range in sequence.dropFirst().reversed() {
                    target = try cachedByte(range, next: target, cache: &suffixCache)
                }
                leading = first
            }
            if let index = groupTargets.lastIndex(of: target) {
                groupBytes[index].insert(leading)
            } else {
                groupTargets.append(target)
                var bits = ByteBitSet()
                bits.insert(leading)
                groupBytes.append(bits)
            }
        }
        var entry: Int32 = -1
        for index in groupTargets.indices.reversed() {
            let instruction = try emitByteSet(groupBytes[index], next: groupTargets[index])
            entry = entry < 0 ? instruction : try emit(Instruction(operation: .split, next: instruction, alternative: entry))
        }
        return entry
    }

    private mutating func cachedByte(_ range: ClosedRange<UInt8>, next: Int32,
                                     cache: inout [(key: SuffixKey, instruction: Int32)]) throws(RegexError) -> Int32
    {
        let key = SuffixKey(low: range.lowerBound, high: range.upperBound, next: next)
        if let existing = cache.last(where: { $0.key == key }) { return existing.instruction }
        let instruction = try emitByte(range, next: next)
        cache.append((key, instruction))
        return instruction
    }

    private mutating func emitByteSet(_ bits: ByteBitSet, next: Int32) throws(RegexError) -> Int32 {
        if let range = bits.singleRange { return try emitByte(range, next: next) }
        let index: Int32
        if let existing = byteSetIndex[bits] {
            index = existing
        } else {
            index = Int32(byteSets.count)
            byteSets.append(bits)
            byteSetIndex[bits] = index
        }
        return try emit(Instruction(operation: .byteSet, next: next, argument: index))
    }

    private mutating func emitByte(_ range: ClosedRange<UInt8>, next: Int32) throws(RegexError) -> Int32 {
        try emit(Instruction(operation: .byteRange, low: range.lowerBound, high: range.upperBound, next: next))
    }

    private mutating func fail() throws(RegexError) -> Int32 {
        if failInstruction < 0 { failInstruction = try emit(Instruction(operation: .fail)) }
        return failInstruction
    }

    private mutating func emit(_ instruction: Instruction) throws(RegexError) -> Int32 {
        if instructions.count - base >= limit {
            throw RegexError(.programTooLarge(limit: limit), offset: 0, pattern: pattern)
        }
        instructions.append(instruction)
        return Int32(instructions.count - 1)
    }

    // MARK: - Finishing

    private func finish(anchoredStart: Int32, unanchoredStart: Int32, anchored: Bool, patternCount: Int) -> Program {
        // Byte classes: cut wherever some instruction or assertion could tell neighbouring bytes apart.
        var boundary = [Bool](repeating: false, count: 257)
        for instruction in instructions where instruction.operation == .byteRange {
            boundary[Int(instruction.low)] = true
            boundary[Int(instruction.high) + 1] = true
        }
        for bits in byteSets {
            // Bit b of `changes` is set where byte b and byte b-1 differ in membership (word by word, carrying
            // the last bit of the previous word), instead of testing all 255 neighbour pairs one at a time.
            var carry: UInt64 = 0
            for (wordIndex, word) in [bits.words.0, bits.words.1, bits.words.2, bits.words.3].enumerated() {
                var changes = word ^ (word << 1 | carry)
                carry = word >> 63
                while changes != 0 {
                    let byte = wordIndex &* 64 &+ changes.trailingZeroBitCount
                    if byte > 0 { boundary[byte] = true }
                    changes &= changes &- 1
                }
            }
        }
        if usesContext {
            for byte in [0x0A, 0x0B, 0x30, 0x3A, 0x41, 0x5B, 0x5F, 0x60, 0x61, 0x7B] { boundary[byte] = true }
        }
        var classes = [UInt8](repeating: 0, count: 256)
        var representatives: [UInt8] = [0]
        var current = 0
        for byte in 1..<256 {
            if boundary[byte] {
                current += 1
                representatives.append(UInt8(byte))
            }
            classes[byte] = UInt8(current)
        }
        return Program(
            instructions: instructions, byteSets: byteSets, anchoredStart: anchoredStart,
            unanchoredStart: unanchoredStart, byteClasses: classes, classCount: current + 1,
            classRepresentatives: representatives, usesContext: usesContext, anchoredAtStart: anchored,
            patternCount: patternCount)
    }

    // MARK: - HIR properties

    static func isNullable(_ hir: HIR) -> Bool {
        switch hir {
        case .empty, .assertion: return true
        case .literal, .characterClass, .noMatch: return false
        case .repetition(let inner, let min, _, _): return min <= 0 || isNullable(inner)
        case .capture(_, _, let inner): return isNullable(inner)
        case .concatenation(let children): return children.allSatisfy(isNullable)
        case .alternation(let children): return children.contains(where: isNullable)
        }
    }

    /// True when every match of `hir` must end at the end of the text.
    static func isAnchoredAtEnd(_ hir: HIR) -> Bool {
        switch hir {
        case .assertion(.endOfText): return true
        case .capture(_, _, let inner): return isAnchoredAtEnd(inner)
        case .repetition(let inner, let min, _, _): return min >= 1 && isAnchoredAtEnd(inner)
        case .concatenation(let children): return children.last.map(isAnchoredAtEnd) ?? false
        case .alternation(let children): return !children.isEmpty && children.allSatisfy(isAnchoredAtEnd)
        default: return false
        }
    }

    /// True when every match of `hir` must begin at the start of the text.
    static func isAnchoredAtStart(_ hir: HIR) -> Bool {
        switch hir {
        case .assertion(.startOfText): return true
        case .capture(_, _, let inner): return isAnchoredAtStart(inner)
        case .repetition(let inner, let min, _, _): return min >= 1 && isAnchoredAtStart(inner)
        case .concatenation(let children): return children.first.map(isAnchoredAtStart) ?? false
        case .alternation(let children): return !children.isEmpty && children.allSatisfy(isAnchoredAtStart)
        default: return false
        }
    }
}
