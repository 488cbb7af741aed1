/// Finds any of a few literals in bytes: scans 16 bytes at a time for each literal's rarest byte (in both cases
/// for caseless letters), then verifies the candidates. No allocation per call.
struct LiteralSearcher: Sendable {
    /// Literal bytes, lowercase where caseless; `masks` has 0x20 where a unit is caseless.
    private let bytes: [[UInt8]]
    private let masks: [[UInt8]]
    /// Index of each literal's anchor (rarest) unit.
    private let anchors: [Int]
    /// Whether each byte value is some literal's anchor byte.
    private let isNeedle: [Bool]
    private let needles: [UInt8]

    init(_ literals: [LiteralString]) {
        var bytes: [[UInt8]] = []
        var masks: [[UInt8]] = []
        var anchors: [Int] = []
        var isNeedle = [Bool](repeating: false, count: 256)
        var needles: [UInt8] = []
        for literal in literals where !literal.isEmpty {
            bytes.append(literal.map(\.byte))
            masks.append(literal.map { $0.caseless ? 0x20 : 0 })
            var anchor = 0
            var bestRarity = -1.0
            for (index, unit) in literal.enumerated() {
                let rarity = LiteralExtractor.rarity(unit)
                if rarity > bestRarity {
                    bestRarity = rarity
                    anchor = index
                }
            }
            anchors.append(anchor)
            let unit = literal[anchor]
            var variants = [unit.byte]
            if unit.caseless { variants.append(unit.byte & ~0x20) }
            for variant in variants where !isNeedle[Int(variant)] {
                isNeedle[Int(variant)] = true
                needles.append(variant)
            }
        }
        self.bytes = bytes
        self.masks = masks
        self.anchors = anchors
        self.isNeedle = isNeedle
        self.needles = needles
    }

    var isEmpty: Bool { bytes.isEmpty }

    /// True when some literal occurs in `input`.
    func occurs(in input: UnsafeRawBufferPointer) -> Bool {
        firstOccurrence(in: input, literalIndex: nil) != nil
    }

    /// The start of the first occurrence of literal `literalIndex` (or of any literal when nil).
    func firstOccurrence(in input: UnsafeRawBufferPointer, literalIndex: Int?) -> Int? {
        guard let base = input.baseAddress, !bytes.isEmpty else { return nil }
        let count = input.count
        var best: Int? = nil
        isNeedle.withUnsafeBufferPointer { needleTable in
            scanCandidates(base: base, count: count, needleTable: needleTable) { position in
                let byte = base.load(fromByteOffset: position, as: UInt8.self)
                for literal in bytes.indices where literalIndex == nil || literalIndex == literal {
                    let anchor = anchors[literal]
                    let expected = bytes[literal][anchor]
                    guard byte | masks[literal][anchor] == expected, position >= anchor else { continue }
                    let start = position &- anchor
                    if verify(literal: literal, base: base, count: count, start: start) {
                        if best.map({ start < $0 }) ?? true { best = start }
                        return true
                    }
                }
                return false
            }
        }
        return best
    }

    private func verify(literal: Int, base: UnsafeRawPointer, count: Int, start: Int) -> Bool {
        let expected = bytes[literal]
        let mask = masks[literal]
        guard start >= 0, expected.count <= count - start else { return false }
        for index in expected.indices {
            let byte = base.load(fromByteOffset: start &+ index, as: UInt8.self)
            if byte | mask[index] != expected[index] { return false }
        }
        return true
    }

    /// Calls `candidate` with every position holding a needle byte, in order, until it returns true.
    private func scanCandidates(base: UnsafeRawPointer, count: Int, needleTable: UnsafeBufferPointer<Bool>,
                                candidate: (Int) -> Bool)
    {
        var position = 0
        if needles.count <= 4, let first = needles.first {
            let n0 = SIMD16<UInt8>(repeating: first)
            let n1 = SIMD16<UInt8>(repeating: needles.count > 1 ? needles[1] : first)
            let n2 = SIMD16<UInt8>(repeating: needles.count > 2 ? needles[2] : first)
            let n3 = SIMD16<UInt8>(repeating: needles.count > 3 ? needles[3] : first)
            while position &+ 16 <= count {
                let block = base.loadUnaligned(fromByteOffset: position, as: SIMD16<UInt8>.self)
                let hits = (block .== n0) .| (block .== n1) .| (block .== n2) .| (block .== n3)
                if any(hits) {
                    for lane in 0..<16 where hits[lane] {
                        if candidate(position &+ lane) { return }
                    }
                }
                position &+= 16
            }
        }
        while position < count {
            if needleTable[Int(base.load(fromByteOffset: position, as: UInt8.self))] {
                if candidate(position) { return }
            }
            position &+= 1
        }
    }
}
