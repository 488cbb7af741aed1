/// Reads fuzzer bytes as a stream of small decisions (shared by the WAF fuzz harnesses, see scripts/fuzz-waf.sh).
///
/// Every read succeeds: past the end it returns zeros, so any byte string decodes to something.
struct FuzzInput {
    let bytes: [UInt8]
    var position = 0

    init(_ data: UnsafePointer<UInt8>, _ size: Int) {
        bytes = Array(UnsafeBufferPointer(start: data, count: size))
    }

    var isAtEnd: Bool { position >= bytes.count }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func word64() -> UInt64 {
        var word: UInt64 = 0
        for _ in 0..<8 { word = word << 8 | UInt64(byte()) }
        return word
    }

    /// Up to `limit` raw bytes, length-prefixed by one byte.
    mutating func chunk(limit: Int = 255) -> ArraySlice<UInt8> {
        let wanted = min(Int(byte()), limit)
        let end = min(position + wanted, bytes.count)
        defer { position = max(position, end) }
        return position < end ? bytes[position..<end] : []
    }

    /// The bytes up to the next NUL (or the end), which the NUL ends.
    mutating func untilNUL() -> ArraySlice<UInt8> {
        let start = min(position, bytes.count)
        let end = bytes[start...].firstIndex(of: 0) ?? bytes.count
        position = end + 1
        return bytes[start..<end]
    }

    /// A string from a length-prefixed chunk; invalid UTF-8 is repaired as `String` always does.
    mutating func string(limit: Int = 255) -> String {
        String(decoding: chunk(limit: limit), as: UTF8.self)
    }
}
