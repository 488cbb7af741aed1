/// Where the parts of a URL are, as byte ranges of the original text, found the way a lenient (WHATWG-style)
/// client finds them: leading/trailing controls and spaces ignored, tabs and newlines skipped, any run of `/` and
/// `\` after a special scheme (`http:\\\\host`, `http:host`), the last `@` of the authority ending the userinfo,
/// `\` ending the authority of special schemes.
struct URLLayout {
    static let specialSchemes: Set<String> = ["http", "https", "ws", "wss", "ftp", "file"]

    var scheme: Range<Int>?
    /// Lowercased scheme name.
    var schemeName: String = ""
    var authority: Range<Int>?
    /// Index of the `@` that ends the userinfo.
    var userinfoEnd: Int?
    var host: Range<Int>?
    var port: Range<Int>?
    /// Where the path (or query/fragment when the path is empty) starts.
    var pathStart: Int
    /// Where the query or fragment starts (end of the path).
    var pathEnd: Int

    init(_ url: UnsafeBufferPointer<UInt8>) {
        var start = 0
        var end = url.count
        while start < end && url[start] <= 0x20 { start &+= 1 }
        while end > start && url[end &- 1] <= 0x20 { end &-= 1 }
        @inline(__always) func isSkipped(_ c: UInt8) -> Bool {
            c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r")
        }
        @inline(__always) func isSlash(_ c: UInt8) -> Bool {
            c == UInt8(ascii: "/") || c == UInt8(ascii: "\\")
        }

        // Scheme.
        var position = start
        var special = false
        if position < end, isNameStart(url[position]), url[position] != UInt8(ascii: "_") {
            var i = position &+ 1
            var name: [UInt8] = [url[position] | 0x20]
            while i < end {
                let c = url[i]
                if isNameContinue(c) && c != UInt8(ascii: "_") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-")
                    || c == UInt8(ascii: ".") {
                    name.append(c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") ? c | 0x20 : c)
                } else if !isSkipped(c) {
                    break
                }
                i &+= 1
            }
            if i < end && url[i] == UInt8(ascii: ":") {
                scheme = position..<i
                schemeName = String(decoding: name, as: UTF8.self)
                special = Self.specialSchemes.contains(schemeName)
                position = i &+ 1
            }
        }

        // Authority.
        var authorityStart: Int?
        if scheme != nil && special && schemeName != "file" {
            // Special schemes: any run of slashes and backslashes (or none) precedes the authority.
            var i = position
            while i < end && (isSlash(url[i]) || isSkipped(url[i])) { i &+= 1 }
            authorityStart = i
        } else {
            // `file:`, other schemes and scheme-relative references: an authority only after exactly `//`
            // (`\\` too where backslashes are slashes).
            var i = position
            var slashes = 0
            while i < end && slashes < 2 {
                let c = url[i]
                if c == UInt8(ascii: "/") || (c == UInt8(ascii: "\\") && (special || scheme == nil)) {
                    slashes &+= 1
                } else if !isSkipped(c) {
                    break
                }
                i &+= 1
            }
            if slashes == 2 { authorityStart = i }
        }
        guard let authorityStart else {
            pathStart = position
            pathEnd = Self.queryStart(url, from: position, end: end)
            return
        }
        var authorityEnd = authorityStart
        let backslashEnds = special || scheme == nil
        while authorityEnd < end {
            let c = url[authorityEnd]
            if c == UInt8(ascii: "/") || c == UInt8(ascii: "?") || c == UInt8(ascii: "#") || (backslashEnds && c == UInt8(ascii: "\\")) {
                break
            }
            authorityEnd &+= 1
        }
        authority = authorityStart..<authorityEnd
        var hostStart = authorityStart
        var j = authorityEnd
        while j > authorityStart {
            j &-= 1
            if url[j] == UInt8(ascii: "@") {
                userinfoEnd = j
                hostStart = j &+ 1
                break
            }
        }
        var hostEnd = authorityEnd
        var inBrackets = false
        var k = hostStart
        while k < authorityEnd {
            let c = url[k]
            if c == UInt8(ascii: "[") { inBrackets = true }
            if c == UInt8(ascii: "]") { inBrackets = false }
            if c == UInt8(ascii: ":") && !inBrackets {
                hostEnd = k
                port = (k &+ 1)..<authorityEnd
                break
            }
            k &+= 1
        }
        host = hostStart..<hostEnd
        pathStart = authorityEnd
        pathEnd = Self.queryStart(url, from: authorityEnd, end: end)
    }

    private static func queryStart(_ url: UnsafeBufferPointer<UInt8>, from: Int, end: Int) -> Int {
        var i = from
        while i < end && url[i] != UInt8(ascii: "?") && url[i] != UInt8(ascii: "#") { i &+= 1 }
        return i
    }

    /// The host as a client resolves it: percent-decoded, tabs/newlines removed, ASCII lowercased, full-width
    /// forms and ideographic full stops folded to ASCII (as IDNA mapping does), one trailing dot removed.
    static func normalizedHost(_ url: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [UInt8] {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            let c = url[i]
            if c == UInt8(ascii: "%"), i &+ 2 < range.upperBound, let high = hexDigit(url[i &+ 1]), let low = hexDigit(url[i &+ 2]) {
                decoded.append(high << 4 | low)
                i &+= 3
                continue
            }
            if c != UInt8(ascii: "\t") && c != UInt8(ascii: "\n") && c != UInt8(ascii: "\r") { decoded.append(c) }
            i &+= 1
        }
        var host: [UInt8] = []
        host.reserveCapacity(decoded.count)
        var scalars = String(decoding: decoded, as: UTF8.self).unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            var value = scalar.value
            if value >= 0xFF01 && value <= 0xFF5E { value -= 0xFEE0 }  // full-width ASCII
            if value == 0x3002 || value == 0xFF61 { value = 0x2E }  // ideographic / half-width full stop
            if value < 0x80 {
                var byte = UInt8(value)
                if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte |= 0x20 }
                host.append(byte)
            } else {
                host.append(contentsOf: String(Unicode.Scalar(value) ?? scalar).utf8)
            }
        }
        if host.count > 1 && host.last == UInt8(ascii: ".") { host.removeLast() }
        return host
    }

    static func hexDigit(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }
}
