#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Substring search over UTF-8 bytes: where a request parameter occurs inside a statement.
enum SQLByteSearch {
    /// How common a byte is in statements and request values (higher is more common). The search anchors on the
    /// parameter's least common byte so that `memchr` stops rarely.
    private static let commonness: [UInt8] = {
        var table = [UInt8](repeating: 10, count: 256)
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)] = 60 }
        for byte in "etaoinsrlhdcu".utf8 { table[Int(byte)] = 90 }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)] = 50 }
        for byte in "SELECTFROMWHEREAND".utf8 { table[Int(byte)] = 80 }
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = 40 }
        for byte in " ,.=_'()*".utf8 { table[Int(byte)] = 100 }
        return table
    }()

    /// Every start offset of `needle` in `haystack` (overlapping occurrences included), in order.
    static func forEachOccurrence(of needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>,
                                  _ body: (Int) -> Bool) {
        let needleCount = needle.count
        guard needleCount > 0, needleCount <= haystack.count, let needleBase = needle.baseAddress,
              let haystackBase = haystack.baseAddress else { return }
        var anchor = 0
        var anchorCommonness = UInt8.max
        for index in 0..<needleCount {
            let value = commonness[Int(needle[index])]
            if value < anchorCommonness {
                anchorCommonness = value
                anchor = index
            }
        }
        let anchorByte = needle[anchor]
        // The anchor byte may sit at haystack offsets anchor ... count - needleCount + anchor.
        var searchFrom = anchor
        let searchLimit = haystack.count &- needleCount &+ anchor &+ 1
        while searchFrom < searchLimit {
            guard let found = findByte(anchorByte, in: haystackBase + searchFrom, count: searchLimit &- searchFrom) else {
                return
            }
            let hit = searchFrom &+ found
            let start = hit &- anchor
            if memcmp(haystackBase + start, needleBase, needleCount) == 0 {
                if !body(start) { return }
            }
            searchFrom = hit &+ 1
        }
    }

    @inline(__always)
    private static func findByte(_ byte: UInt8, in base: UnsafePointer<UInt8>, count: Int) -> Int? {
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
        guard let found = memchr(base, Int32(byte), count) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
        #else
        for offset in 0..<count where base[offset] == byte { return offset }
        return nil
        #endif
    }
}

#if !(canImport(Glibc) || canImport(Musl) || canImport(Darwin))
@inline(__always)
private func memcmp(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    for offset in 0..<count where a[offset] != b[offset] { return a[offset] < b[offset] ? -1 : 1 }
    return 0
}
#endif
