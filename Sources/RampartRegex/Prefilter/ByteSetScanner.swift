/// Finds the next byte that belongs to a set: 16 bytes at a time when the set is at most three ranges (the common
/// shapes: `\d`, `[<jJoO]`, control characters), a table lookup per byte otherwise.
///
/// The lazy DFA uses it to leave its start state in one jump: bytes that cannot begin a match keep the search in
/// the start state, so they can be skipped without running the automaton.
struct ByteSetScanner: Sendable {
    private let members: [Bool]
    /// `(low, high - low)` of each range, splatted; empty when the set has more ranges than the vector loop checks.
    private let lows: [SIMD16<UInt8>]
    private let spans: [SIMD16<UInt8>]

    /// Nil when the set is too common for skipping to pay off (the DFA would stop again after a few bytes).
    init?(_ set: ByteBitSet) {
        var members = [Bool](repeating: false, count: 256)
        var ranges: [(UInt8, UInt8)] = []
        var frequency = 0
        for byte in 0..<256 where set.contains(UInt8(byte)) {
            members[byte] = true
            frequency &+= LiteralSearcher.frequency(LiteralUnit(byte: UInt8(byte), caseless: false))
            if let last = ranges.last, Int(last.1) &+ 1 == byte {
                ranges[ranges.count - 1].1 = UInt8(byte)
            } else {
                ranges.append((UInt8(byte), UInt8(byte)))
            }
        }
        // At most about one byte in ten may stop the scan.
        guard !ranges.isEmpty, frequency <= 1_000 else { return nil }
        self.members = members
        if ranges.count <= 3 {
            lows = ranges.map { SIMD16(repeating: $0.0) }
            spans = ranges.map { SIMD16(repeating: $0.1 &- $0.0) }
        } else {
            lows = []
            spans = []
        }
    }

    /// The first position at or after `start` holding a member byte, or `count` when there is none.
    func next(in base: UnsafeRawPointer, from start: Int, count: Int) -> Int {
        var position = start
        if !lows.isEmpty {
            let rangeCount = lows.count
            let low0 = lows[0]
            let span0 = spans[0]
            let low1 = rangeCount > 1 ? lows[1] : low0
            let span1 = rangeCount > 1 ? spans[1] : span0
            let low2 = rangeCount > 2 ? lows[2] : low0
            let span2 = rangeCount > 2 ? spans[2] : span0
            while position &+ 16 <= count {
                let block = base.loadUnaligned(fromByteOffset: position, as: SIMD16<UInt8>.self)
                // `byte - low <= high - low` (wrapping, unsigned) tests `low...high` with one compare.
                let hits = ((block &- low0) .<= span0) .| ((block &- low1) .<= span1) .| ((block &- low2) .<= span2)
                if any(hits) {
                    for lane in 0..<16 where hits[lane] { return position &+ lane }
                }
                position &+= 16
            }
        }
        return members.withUnsafeBufferPointer { table in
            while position < count {
                if table[Int(base.load(fromByteOffset: position, as: UInt8.self))] { return position }
                position &+= 1
            }
            return count
        }
    }
}
