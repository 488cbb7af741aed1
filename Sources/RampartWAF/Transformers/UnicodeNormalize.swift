/// `unicode_normalize`: libddwaf's per-code-point compatibility decomposition (utf8proc with DECOMPOSE, COMPAT,
/// IGNORE, LUMP, STRIPMARK, STRIPNA, CASEFOLD, then the original case restored) — `ﬁ` → `fi`, `é` → `e`,
/// `ｓｃｒｉｐｔ` → `script`, `ẞ` → `SS`, marks, default-ignorables and unassigned code points removed.
///
/// Decoding is libddwaf's lenient one: a lead byte and the right number of continuation bytes make a code point,
/// overlong forms and surrogates included; other bytes are skipped. The value is rewritten only when some code
/// point at or above U+0080 changes; then invalid bytes are dropped, NUL and surrogates become U+FFFD and
/// overlong ASCII becomes plain ASCII — all as libddwaf does.
enum UnicodeNormalize {
    static func apply(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let table = UnicodeNormalizeTable.shared
        var position = 0
        var needed = false
        while position < input.count {
            guard let (codepoint, length) = decode(input, at: position) else {
                position += 1
                continue
            }
            position += length
            if codepoint >= 0x80, table.changes(codepoint) {
                needed = true
                break
            }
        }
        guard needed else { return nil }

        var out: [UInt8] = []
        out.reserveCapacity(input.count + input.count / 2)
        position = 0
        while position < input.count {
            guard let (codepoint, length) = decode(input, at: position) else {
                position += 1
                continue
            }
            position += length
            if codepoint < 0x80 || codepoint == 0x200D {
                UTF8Output.appendChecked(codepoint, room: 4, to: &out)
                continue
            }
            switch table.lookup(codepoint) {
            case .identity:
                UTF8Output.appendChecked(codepoint, room: 4, to: &out)
            case .dropped:
                break
            case .replaced(let range):
                for index in range { UTF8Output.appendChecked(table.replacements[index], room: 4, to: &out) }
            }
        }
        return out
    }

    /// libddwaf's `fetch_next_codepoint`: the lead byte gives the length, continuation bytes must be `10xxxxxx`,
    /// nothing else is checked. Nil for a byte that starts no sequence (skip one byte).
    @inline(__always)
    static func decode(_ input: UnsafeBufferPointer<UInt8>, at position: Int) -> (UInt32, Int)? {
        let first = input[position]
        if first < 0x80 { return (UInt32(first), 1) }
        let length: Int
        if first >> 5 == 0x6 {
            length = 2
        } else if first >> 4 == 0xE {
            length = 3
        } else if first >> 3 == 0x1E {
            length = 4
        } else {
            return nil
        }
        guard input.count - position >= length else { return nil }
        var codepoint = UInt32(first) & (0xFF >> (length + 1))
        for offset in 1..<length {
            let byte = input[position + offset]
            guard byte >> 6 == 0x2 else { return nil }
            codepoint = codepoint << 6 | UInt32(byte & 0x3F)
        }
        return (codepoint, length)
    }
}

/// What `unicode_normalize` does with each code point, parsed once from the generated table text.
struct UnicodeNormalizeTable: Sendable {
    enum Action {
        case identity, dropped
        case replaced(Range<Int>)
    }

    static let shared = UnicodeNormalizeTable(text: source)

    /// Entry i covers `starts[i]...ends[i]`; `replacementStart[i] == replacementStart[i + 1]` means dropped.
    private let starts: [UInt32]
    private let ends: [UInt32]
    private let replacementStart: [Int]
    let replacements: [UInt32]

    /// Parses the generator's text: `;`-separated entries `start` / `start-end` (dropped) or `start=x y ...`.
    init(text: StaticString) {
        var starts: [UInt32] = [], ends: [UInt32] = [], replacementStart: [Int] = [], replacements: [UInt32] = []
        var numbers: [UInt32] = []
        var isRange = false, isReplacement = false
        var number: UInt32 = 0, hasNumber = false
        func endNumber() {
            if hasNumber { numbers.append(number) }
            number = 0
            hasNumber = false
        }
        func endEntry() {
            endNumber()
            if let start = numbers.first {
                starts.append(start)
                ends.append(isRange && numbers.count > 1 ? numbers[1] : start)
                replacementStart.append(replacements.count)
                if isReplacement { replacements.append(contentsOf: numbers.dropFirst()) }
            }
            numbers.removeAll(keepingCapacity: true)
            isRange = false
            isReplacement = false
        }
        text.withUTF8Buffer { bytes in
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    number = number << 4 | UInt32(byte - UInt8(ascii: "0"))
                    hasNumber = true
                case UInt8(ascii: "a")...UInt8(ascii: "f"):
                    number = number << 4 | UInt32(byte - UInt8(ascii: "a") + 10)
                    hasNumber = true
                case UInt8(ascii: "-"):
                    endNumber()
                    isRange = true
                case UInt8(ascii: "="):
                    endNumber()
                    isReplacement = true
                case UInt8(ascii: " "):
                    endNumber()
                case UInt8(ascii: ";"):
                    endEntry()
                default:
                    break
                }
            }
        }
        endEntry()
        replacementStart.append(replacements.count)
        self.starts = starts
        self.ends = ends
        self.replacementStart = replacementStart
        self.replacements = replacements
    }

    /// True when the code point does not map to itself.
    @inline(__always) func changes(_ codepoint: UInt32) -> Bool {
        if case .identity = lookup(codepoint) { return false }
        return true
    }

    func lookup(_ codepoint: UInt32) -> Action {
        if codepoint > 0x10FFFF { return .dropped }
        // Last entry starting at or before the code point.
        var low = 0, high = starts.count
        while low < high {
            let middle = (low + high) / 2
            if starts[middle] <= codepoint { low = middle + 1 } else { high = middle }
        }
        guard low > 0, codepoint <= ends[low - 1] else { return .identity }
        let first = replacementStart[low - 1], end = replacementStart[low]
        return first == end ? .dropped : .replaced(first..<end)
    }
}
