/// Lexical path normalisation for the path detector's reports and sensitive-location check: `/` and `\` are
/// separators, `.` and empty segments vanish, `..` removes the previous segment (never climbing above a root).
/// Roots are kept: `/`, `//server` (UNC, written with forward slashes), `C:/`, `~`.
enum PathNormalizer {
    static func normalize(_ path: UnsafeBufferPointer<UInt8>) -> String {
        let n = path.count
        var root: [UInt8] = []
        var index = 0
        if n >= 2, PathTraversalDetector.isSeparator(path[0]), PathTraversalDetector.isSeparator(path[1]) {
            root = Array("//".utf8)
            index = 2
        } else if n >= 1, PathTraversalDetector.isSeparator(path[0]) {
            root = [UInt8(ascii: "/")]
            index = 1
        } else if n >= 3, isNameStart(path[0]), path[1] == UInt8(ascii: ":"), PathTraversalDetector.isSeparator(path[2]) {
            root = [path[0], UInt8(ascii: ":"), UInt8(ascii: "/")]
            index = 3
        }
        var segments: [Range<Int>] = []
        var segmentStart = index
        var i = index
        while i <= n {
            if i == n || PathTraversalDetector.isSeparator(path[i]) {
                let count = i &- segmentStart
                if count == 2 && path[segmentStart] == UInt8(ascii: ".") && path[segmentStart &+ 1] == UInt8(ascii: ".") {
                    if let last = segments.last, !isDotDot(last, path) {
                        segments.removeLast()
                    } else if root.isEmpty {
                        segments.append(segmentStart..<i)
                    }
                } else if count > 1 || (count == 1 && path[segmentStart] != UInt8(ascii: ".")) {
                    segments.append(segmentStart..<i)
                }
                segmentStart = i &+ 1
            }
            i &+= 1
        }
        var result = root
        for (position, segment) in segments.enumerated() {
            if position > 0 { result.append(UInt8(ascii: "/")) }
            result.append(contentsOf: UnsafeBufferPointer(rebasing: path[segment]))
        }
        return String(decoding: result, as: UTF8.self)
    }

    private static func isDotDot(_ range: Range<Int>, _ path: UnsafeBufferPointer<UInt8>) -> Bool {
        range.count == 2 && path[range.lowerBound] == UInt8(ascii: ".") && path[range.lowerBound &+ 1] == UInt8(ascii: ".")
    }
}
