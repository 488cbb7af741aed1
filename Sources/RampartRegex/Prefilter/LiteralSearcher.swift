/// Finds any of a set of literals in bytes, 16 candidate starts at a time.
///
/// Each literal is probed at its two rarest bytes (by `LiteralSearcher.frequency`): a start is a candidate only
/// when both bytes are there, which a pair of vector compares answers for 16 starts at once — far fewer false
/// candidates than a single-byte scan, and case-insensitive letters cost nothing extra (the input is folded with
/// `| 0x20` before comparing). Candidates are then verified literal by literal. No allocation per call.
struct LiteralSearcher: Sendable {
    /// Two positions of one literal checked before verifying it.
    struct Probe: Sendable {
        var firstOffset: Int
        var secondOffset: Int
        /// Expected bytes (lowercase for caseless letters) and what to `|` into the input first (0x20 or 0).
        var firstByte: SIMD16<UInt8>
        var firstFold: SIMD16<UInt8>
        var secondByte: SIMD16<UInt8>
        var secondFold: SIMD16<UInt8>
    }

    /// Literal bytes, lowercase where caseless; `masks` has 0x20 where a unit is caseless.
    private let bytes: [[UInt8]]
    private let masks: [[UInt8]]
    private let probes: [Probe]
    /// The largest probe offset: a block of 16 starts reads up to `maxProbeOffset + 15` bytes past its first start.
    private let maxProbeOffset: Int

    init(_ literals: [LiteralString]) {
        var bytes: [[UInt8]] = []
        var masks: [[UInt8]] = []
        var probes: [Probe] = []
        var maxProbeOffset = 0
        for literal in literals where !literal.isEmpty {
            bytes.append(literal.map(\.byte))
            masks.append(literal.map { $0.caseless ? 0x20 : 0 })
            let (first, second) = LiteralSearcher.rarestPair(literal)
            func fold(_ unit: LiteralUnit) -> SIMD16<UInt8> { SIMD16(repeating: unit.caseless ? 0x20 : 0) }
            probes.append(Probe(firstOffset: first, secondOffset: second,
                                firstByte: SIMD16(repeating: literal[first].byte), firstFold: fold(literal[first]),
                                secondByte: SIMD16(repeating: literal[second].byte),
                                secondFold: fold(literal[second])))
            maxProbeOffset = max(maxProbeOffset, first, second)
        }
        self.bytes = bytes
        self.masks = masks
        self.probes = probes
        self.maxProbeOffset = maxProbeOffset
    }

    var isEmpty: Bool { bytes.isEmpty }

    /// The offsets of the two least frequent units of `literal` (the same offset twice for a one-byte literal).
    static func rarestPair(_ literal: LiteralString) -> (Int, Int) {
        var best = 0
        var second = -1
        for index in literal.indices.dropFirst() {
            if frequency(literal[index]) < frequency(literal[best]) {
                second = best
                best = index
            } else if second < 0 || frequency(literal[index]) < frequency(literal[second]) {
                second = index
            }
        }
        return (best, second < 0 ? best : second)
    }

    /// Rough occurrences per 10,000 bytes of web traffic (text, URLs, JSON): letters follow English frequencies,
    /// uppercase a tenth of lowercase, bytes outside printable ASCII are rare.
    static func frequency(_ unit: LiteralUnit) -> Int {
        let byte = unit.byte
        switch byte {
        case 0x61...0x7A:
            let lower = letterFrequencies[Int(byte &- 0x61)]
            return unit.caseless ? lower &+ lower / 10 : lower
        case 0x41...0x5A: return letterFrequencies[Int(byte &- 0x41)] / 10
        case 0x20: return 1_500
        case 0x30...0x39: return 50
        case 0x2E, 0x2C, 0x2F: return 60
        case 0x3D, 0x26, 0x2D, 0x5F, 0x3A, 0x22: return 30
        case 0x21...0x7E: return 8
        case 0x0A, 0x09: return 20
        default: return 2
        }
    }

    private static let letterFrequencies: [Int] = [
        650, 120, 230, 300, 1_000, 180, 160, 400, 570, 15, 60, 330, 200, 570, 600, 160, 10, 500, 520, 700, 230, 80,
        150, 20, 140, 10,
    ]

    /// True when some literal occurs in `input`.
    func occurs(in input: UnsafeRawBufferPointer) -> Bool {
        firstOccurrence(in: input, literalIndex: nil) != nil
    }

    /// The start of the first occurrence of literal `literalIndex` (or of any literal when nil).
    func firstOccurrence(in input: UnsafeRawBufferPointer, literalIndex: Int?) -> Int? {
        guard let base = input.baseAddress, !bytes.isEmpty else { return nil }
        let count = input.count
        return probes.withUnsafeBufferPointer { probes -> Int? in
            var position = 0
            // Whole blocks straight from the input while every probe load stays inside it.
            let blockLimit = count &- maxProbeOffset &- 16
            while position <= blockLimit {
                if let found = scanBlock(base, at: position, probes: probes, input: base, inputStart: 0,
                                         count: count, literalIndex: literalIndex)
                {
                    return found
                }
                position &+= 16
            }
            guard position < count else { return nil }
            // The rest, copied into a zero-padded buffer so the same block code reads past the end safely;
            // candidates are verified against the real input.
            let padded = 2 &* maxProbeOffset &+ 32
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: padded) { buffer -> Int? in
                guard let tail = buffer.baseAddress else { return nil }
                let length = count &- position
                tail.initialize(repeating: 0, count: padded)
                tail.update(from: base.advanced(by: position).assumingMemoryBound(to: UInt8.self),
                            count: min(length, padded))
                var offset = 0
                while offset < length {
                    if let found = scanBlock(UnsafeRawPointer(tail), at: offset, probes: probes, input: base,
                                             inputStart: position, count: count, literalIndex: literalIndex)
                    {
                        return found
                    }
                    offset &+= 16
                }
                return nil
            }
        }
    }

    /// Checks the 16 starts `block + at ..< block + at + 16`; `block + k` corresponds to input offset
    /// `inputStart + k`. Returns the first verified start (an input offset).
    @inline(__always)
    private func scanBlock(_ block: UnsafeRawPointer, at: Int, probes: UnsafeBufferPointer<Probe>,
                           input: UnsafeRawPointer, inputStart: Int, count: Int, literalIndex: Int?) -> Int?
    {
        var hits = SIMDMask<SIMD16<Int8>>(repeating: false)
        for probe in probes {
            let first = block.loadUnaligned(fromByteOffset: at &+ probe.firstOffset, as: SIMD16<UInt8>.self)
            let second = block.loadUnaligned(fromByteOffset: at &+ probe.secondOffset, as: SIMD16<UInt8>.self)
            hits = hits .| (((first | probe.firstFold) .== probe.firstByte) .& ((second | probe.secondFold) .== probe.secondByte))
        }
        guard any(hits) else { return nil }
        for lane in 0..<16 where hits[lane] {
            let start = inputStart &+ at &+ lane
            if start >= count { return nil }
            for literal in bytes.indices where literalIndex == nil || literalIndex == literal {
                if verify(literal: literal, base: input, count: count, start: start) { return start }
            }
        }
        return nil
    }

    private func verify(literal: Int, base: UnsafeRawPointer, count: Int, start: Int) -> Bool {
        let expected = bytes[literal]
        let mask = masks[literal]
        guard start >= 0, expected.count <= count &- start else { return false }
        for index in expected.indices {
            let byte = base.load(fromByteOffset: start &+ index, as: UInt8.self)
            if byte | mask[index] != expected[index] { return false }
        }
        return true
    }
}
