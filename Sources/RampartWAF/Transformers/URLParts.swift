/// `url_path`, `url_basename` and `url_querystring`: pieces of a URL, split at the first `?` or `#`.
enum URLParts {
    private static let question: UInt8 = 0x3F, hash: UInt8 = 0x23, slash: UInt8 = 0x2F

    private static func pathEnd(_ input: UnsafeBufferPointer<UInt8>) -> Int {
        input.firstIndex { $0 == question || $0 == hash } ?? input.count
    }

    /// Everything before the query string or fragment; nil when there is neither.
    static func path(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let end = pathEnd(input)
        guard end < input.count else { return nil }
        return Array(input[0..<end])
    }

    /// The last path segment. A value with no `/`, `?` or `#` is left alone; without a `/`, the whole path is kept.
    static func basename(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let end = pathEnd(input)
        var lastSlash = 0
        for index in 0..<end where input[index] == slash { lastSlash = index }
        let startsWithSlash = input.first == slash
        if lastSlash == 0, !startsWithSlash, end == input.count { return nil }
        let start = (lastSlash != 0 || startsWithSlash) ? lastSlash + 1 : lastSlash
        return start < end ? Array(input[start..<end]) : []
    }

    /// The query string: after the first `?` (when it comes before any `#`) up to the next `#`. Always a
    /// transformation in libddwaf, so a URL without one gives an empty value.
    static func querystring(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var start = pathEnd(input)
        if start < input.count, input[start] == question { start += 1 }
        var end = start
        while end < input.count, input[end] != hash { end += 1 }
        return Array(input[start..<end])
    }
}
