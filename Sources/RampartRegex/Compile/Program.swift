/// `Compile/` turns an `HIR` into a Thompson NFA over UTF-8 bytes (`Program`), the form every engine runs.

/// One NFA instruction. Stored by value in a flat array so engines walk it without indirection.
struct Instruction: Sendable, Equatable {
    enum Operation: UInt8, Sendable {
        /// Consumes one byte in `low...high`, then continues at `next`.
        case byteRange
        /// Consumes one byte that is in the bit set `Program.byteSets[argument]`, then continues at `next`.
        case byteSet
        /// Continues at `next` (preferred) and at `alternative`.
        case split
        /// Continues at `next` when the assertion `Assertion(rawValue: argument)` holds.
        case assertion
        /// Records where the match starts (the Pike VM's only capture slot), then continues at `next`.
        case saveStart
        /// A match of pattern `argument` ends here.
        case match
        /// Never matches.
        case fail
    }

    var operation: Operation
    var low: UInt8 = 0
    var high: UInt8 = 0
    var next: Int32 = 0
    var alternative: Int32 = 0
    var argument: Int32 = 0
}

/// What a zero-width assertion needs to know about the bytes around a position.
///
/// Both engines evaluate assertions from the context of the byte before and the byte after the position, so the
/// same program serves forward and reverse scans (a reverse scan just swaps which side it already knows).
enum ByteContext: UInt8, Sendable {
    /// Start or end of the text.
    case edge = 0
    case newline = 1
    /// An ASCII word byte `[0-9A-Za-z_]`, as RE2's `\b`.
    case word = 2
    case other = 3

    @inline(__always)
    static func of(_ byte: UInt8) -> ByteContext {
        if byte == 0x0A { return .newline }
        return ByteContext.isWordByte(byte) ? .word : .other
    }

    @inline(__always)
    static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F: return true
        default: return false
        }
    }
}

/// Assertion codes stored in `Instruction.argument`.
enum AssertionCode: Int32, Sendable {
    case startOfText, endOfText, startOfLine, endOfLine, wordBoundary, notWordBoundary

    init(_ assertion: HIR.Assertion) {
        switch assertion {
        case .startOfText: self = .startOfText
        case .endOfText: self = .endOfText
        case .startOfLine: self = .startOfLine
        case .endOfLine: self = .endOfLine
        case .wordBoundary: self = .wordBoundary
        case .notWordBoundary: self = .notWordBoundary
        }
    }

    @inline(__always)
    func holds(before: ByteContext, after: ByteContext) -> Bool {
        switch self {
        case .startOfText: return before == .edge
        case .endOfText: return after == .edge
        case .startOfLine: return before == .edge || before == .newline
        case .endOfLine: return after == .edge || after == .newline
        case .wordBoundary: return (before == .word) != (after == .word)
        case .notWordBoundary: return (before == .word) == (after == .word)
        }
    }
}

/// 256 bits, one per byte value.
struct ByteBitSet: Sendable, Hashable {
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    static func == (lhs: ByteBitSet, rhs: ByteBitSet) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        let bit = UInt64(1) &<< UInt64(byte & 63)
        switch byte >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    /// The set as one range, when it is one (and not empty).
    var singleRange: ClosedRange<UInt8>? {
        let all = [words.0, words.1, words.2, words.3]
        var count = 0
        var low = -1
        var high = -1
        for (index, word) in all.enumerated() where word != 0 {
            count += word.nonzeroBitCount
            if low < 0 { low = index * 64 + word.trailingZeroBitCount }
            high = index * 64 + 63 - word.leadingZeroBitCount
        }
        guard low >= 0, count == high - low + 1 else { return nil }
        return UInt8(low)...UInt8(high)
    }

    mutating func formUnion(_ other: ByteBitSet) {
        words.0 |= other.words.0
        words.1 |= other.words.1
        words.2 |= other.words.2
        words.3 |= other.words.3
    }

    mutating func insert(_ range: ClosedRange<UInt8>) {
        for byte in range {
            let bit = UInt64(1) &<< UInt64(byte & 63)
            switch byte >> 6 {
            case 0: words.0 |= bit
            case 1: words.1 |= bit
            case 2: words.2 |= bit
            default: words.3 |= bit
            }
        }
    }
}

/// A compiled pattern (or set of patterns): a Thompson NFA over bytes with two entry points.
struct Program: Sendable {
    var instructions: [Instruction]
    var byteSets: [ByteBitSet]
    /// Entry for a match that must start at the scan origin.
    var anchoredStart: Int32
    /// Entry for a match starting anywhere: a lazy `(?s:.)*?` loop over all bytes in front of `anchoredStart`.
    var unanchoredStart: Int32
    /// Equivalence classes of bytes: two bytes in one class are never told apart by the program or by assertions.
    var byteClasses: [UInt8]
    var classCount: Int
    /// One representative byte per class.
    var classRepresentatives: [UInt8]
    /// True when some assertion looks at the bytes around a position (so engines must track context).
    var usesContext: Bool
    /// True when every match must start at the start of the text (the pattern begins with `\A` on every path).
    var anchoredAtStart: Bool
    var patternCount: Int

    @inline(__always)
    func accepts(_ instruction: Instruction, _ byte: UInt8) -> Bool {
        switch instruction.operation {
        case .byteRange: return instruction.low <= byte && byte <= instruction.high
        case .byteSet:
            let index = Int(instruction.argument)
            return index < byteSets.count && byteSets[index].contains(byte)
        default: return false
        }
    }
}

extension Program {
    /// The bytes a match can begin with (every assertion assumed to hold, so a superset), or nil when some match
    /// is empty.
    var possibleFirstBytes: ByteBitSet? {
        var set = ByteBitSet()
        var visited = [Bool](repeating: false, count: instructions.count)
        var stack: [Int32] = [anchoredStart]
        while let id32 = stack.popLast() {
            let id = Int(id32)
            guard id >= 0, id < instructions.count, !visited[id] else { continue }
            visited[id] = true
            let instruction = instructions[id]
            switch instruction.operation {
            case .byteRange:
                set.insert(instruction.low...instruction.high)
            case .byteSet:
                let index = Int(instruction.argument)
                guard index >= 0 && index < byteSets.count else { return nil }
                set.formUnion(byteSets[index])
            case .split:
                stack.append(instruction.alternative)
                stack.append(instruction.next)
            case .assertion, .saveStart:
                stack.append(instruction.next)
            case .match:
                return nil
            case .fail:
                break
            }
        }
        return set
    }
}
