/// Substring search over UTF-8 bytes for the RASP detectors: every place a parameter occurs in an operation.
///
/// Short needles (the common case: request parameters are a few bytes) use a plain scan with no allocation;
/// long needles use Knuth–Morris–Pratt so no input can make the search super-linear.
enum ByteSearch {
    /// Needles up to this length are searched by direct comparison (worst case `n * shortNeedleLimit` steps).
    static let shortNeedleLimit = 32

    /// Calls `body` with the byte range of each occurrence of `needle` in `haystack`, overlapping occurrences
    /// included, left to right, until `body` returns `false`.
    @inline(__always)
    static func forEachOccurrence(
        of needle: UnsafeBufferPointer<UInt8>,
        in haystack: UnsafeBufferPointer<UInt8>,
        _ body: (Range<Int>) -> Bool
    ) {
        let m = needle.count
        let n = haystack.count
        guard m > 0, m <= n, let first = needle.first else { return }
        if m <= shortNeedleLimit {
            var i = 0
            let lastStart = n &- m
            while i <= lastStart {
                if haystack[i] == first {
                    var j = 1
                    while j < m && haystack[i &+ j] == needle[j] { j &+= 1 }
                    if j == m, !body(i..<(i &+ m)) { return }
                }
                i &+= 1
            }
            return
        }
        // Knuth–Morris–Pratt: failure[j] = length of the longest proper border of needle[0...j].
        var failure = [Int](repeating: 0, count: m)
        var k = 0
        for j in 1..<m {
            while k > 0 && needle[j] != needle[k] { k = failure[k &- 1] }
            if needle[j] == needle[k] { k &+= 1 }
            failure[j] = k
        }
        var matched = 0
        for i in 0..<n {
            let byte = haystack[i]
            while matched > 0 && byte != needle[matched] { matched = failure[matched &- 1] }
            if byte == needle[matched] { matched &+= 1 }
            if matched == m {
                if !body((i &+ 1 &- m)..<(i &+ 1)) { return }
                matched = failure[m &- 1]
            }
        }
    }
}

extension String {
    /// Runs `body` over the string's UTF-8 bytes without copying when the string is already native and contiguous.
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var copy = self
        return copy.withUTF8(body)
    }
}
