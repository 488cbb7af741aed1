/// Splits a range of Unicode scalars into sequences of byte ranges, each matching exactly the UTF-8 encodings of a
/// sub-range. `0x80...0x7FF` becomes `[C2-DF][80-BF]`; ranges crossing encoding-length or continuation-byte
/// boundaries are cut so every sequence is a plain product of byte ranges. Surrogates must be removed first.
enum UTF8Sequences {
    typealias Sequence = [ClosedRange<UInt8>]

    static func sequences(from low: UInt32, to high: UInt32, into output: inout [Sequence]) {
        var pending: [(UInt32, UInt32)] = [(low, high)]
        while let (start, end) = pending.popLast() {
            if start > end { continue }
            // Cut at encoding-length boundaries.
            var didSplit = false
            for boundary: UInt32 in [0x7F, 0x7FF, 0xFFFF] where start <= boundary && end > boundary {
                pending.append((boundary + 1, end))
                pending.append((start, boundary))
                didSplit = true
                break
            }
            if didSplit { continue }
            if end <= 0x7F {
                output.append([UInt8(start)...UInt8(end)])
                continue
            }
            // Cut where continuation bytes would not span their full range.
            for i: UInt32 in 1..<4 {
                let mask: UInt32 = (1 << (6 * i)) - 1
                if start & ~mask != end & ~mask {
                    if start & mask != 0 {
                        pending.append(((start | mask) + 1, end))
                        pending.append((start, start | mask))
                        didSplit = true
                        break
                    }
                    if end & mask != mask {
                        pending.append((end & ~mask, end))
                        pending.append((start, (end & ~mask) - 1))
                        didSplit = true
                        break
                    }
                }
            }
            if didSplit { continue }
            let startBytes = encode(start)
            let endBytes = encode(end)
            var sequence: Sequence = []
            sequence.reserveCapacity(startBytes.count)
            for index in 0..<min(startBytes.count, endBytes.count) {
                sequence.append(startBytes[index]...endBytes[index])
            }
            output.append(sequence)
        }
    }

    static func encode(_ scalar: UInt32) -> [UInt8] {
        switch scalar {
        case 0..<0x80: return [UInt8(scalar)]
        case 0x80..<0x800: return [UInt8(0xC0 | (scalar >> 6)), UInt8(0x80 | (scalar & 0x3F))]
        case 0x800..<0x10000:
            return [UInt8(0xE0 | (scalar >> 12)), UInt8(0x80 | ((scalar >> 6) & 0x3F)), UInt8(0x80 | (scalar & 0x3F))]
        default:
            return [
                UInt8(0xF0 | ((scalar >> 18) & 0x07)), UInt8(0x80 | ((scalar >> 12) & 0x3F)),
                UInt8(0x80 | ((scalar >> 6) & 0x3F)), UInt8(0x80 | (scalar & 0x3F)),
            ]
        }
    }
}
