/// A forgiving HTML tokenizer (after the HTML standard's tag and attribute states) that reports the first
/// construct able to run script. Works on bytes, never fails, and reads unclosed tags as the browser would once
/// the page around the value supplies the `>`.
struct HTMLScanner {
    struct Finding {
        var construct: XSSConstruct
        var location: Range<Int>
    }

    let bytes: UnsafeBufferPointer<UInt8>
    /// `srcdoc` values are scanned as documents of their own, one level deep.
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>, depth: Int = 0) {
        self.bytes = bytes
        self.depth = depth
    }

    /// Elements that run script or load active content by themselves.
    static let scriptCapableElements: Set<String> = [
        "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "import",
    ]

    /// Attributes whose value is a URL the browser may navigate to or load.
    static let urlAttributes: Set<String> = [
        "href", "src", "action", "formaction", "data", "xlink:href", "background", "lowsrc", "dynsrc", "poster",
        "codebase", "cite", "longdesc", "usemap", "icon", "manifest", "ping", "to", "from", "values", "by",
        "archive", "classid", "srcset",
    ]

    // MARK: States

    /// Text state: finds tags.
    func scanText(from start: Int) -> Finding? {
        var index = start
        let count = bytes.count
        while index < count {
            guard bytes[index] == UInt8(ascii: "<") else { index &+= 1; continue }
            let next = byte(index &+ 1)
            if SQLBytes.isLetter(next) {
                let nameStart = index &+ 1
                var nameEnd = nameStart
                while nameEnd < count, isTagNameByte(bytes[nameEnd]) { nameEnd &+= 1 }
                let name = lowercased(nameStart..<nameEnd)
                if Self.scriptCapableElements.contains(name) {
                    return Finding(construct: .scriptCapableElement(name), location: index..<nameEnd)
                }
                switch scanAttributes(from: nameEnd, tagName: name) {
                case .finding(let finding): return finding
                case .endOfTag(let end):
                    if name == "style", let finding = scanStyleElement(from: end) { return finding }
                    index = end
                }
            } else if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") || next == UInt8(ascii: "/") {
                index = skipMarkupDeclaration(from: index)
            } else {
                index &+= 1
            }
        }
        return nil
    }

    /// Attribute states, entered after a value broke out of an attribute of an unknown tag.
    func scanAttributes(from start: Int) -> Finding? {
        if case .finding(let finding) = scanAttributes(from: start, tagName: "") { return finding }
        // After the tag ends, the rest is text again.
        return nil
    }

    enum AttributesResult {
        case finding(Finding)
        /// Index after the tag's `>` (or the end of the value).
        case endOfTag(Int)
    }

    func scanAttributes(from start: Int, tagName: String) -> AttributesResult {
        var index = start
        let count = bytes.count
        while index < count {
            let current = bytes[index]
            if SQLBytes.isSpace(current) || current == UInt8(ascii: "/") || current == UInt8(ascii: "\"")
                || current == UInt8(ascii: "'") {
                index &+= 1
                continue
            }
            if current == UInt8(ascii: ">") { return .endOfTag(index &+ 1) }
            // `<scr<script>ipt>`: a browser reads one odd tag, but a filter that strips the inner tag rebuilds a
            // working one; a tag opened inside a tag is read as a tag of its own.
            if current == UInt8(ascii: "<"), SQLBytes.isLetter(byte(index &+ 1)) { return .endOfTag(index) }
            // Attribute name: up to space, `/`, `>` or `=` (a leading `=` belongs to the name, as in HTML).
            let nameStart = index
            index &+= 1
            while index < count {
                let byte = bytes[index]
                if SQLBytes.isSpace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">")
                    || byte == UInt8(ascii: "=") { break }
                index &+= 1
            }
            let nameEnd = index
            while index < count, SQLBytes.isSpace(bytes[index]) { index &+= 1 }
            guard index < count, bytes[index] == UInt8(ascii: "=") else { continue }
            index &+= 1
            while index < count, SQLBytes.isSpace(bytes[index]) { index &+= 1 }
            // Attribute value: quoted, or unquoted up to a space or `>`.
            var valueStart = index
            var valueEnd = index
            // Backticks quoted attribute values in old Internet Explorer; reading them as quotes costs nothing.
            if index < count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'")
                || bytes[index] == UInt8(ascii: "`") {
                let quote = bytes[index]
                valueStart = index &+ 1
                valueEnd = valueStart
                while valueEnd < count, bytes[valueEnd] != quote { valueEnd &+= 1 }
                index = min(valueEnd &+ 1, count)
            } else {
                while valueEnd < count, !SQLBytes.isSpace(bytes[valueEnd]), bytes[valueEnd] != UInt8(ascii: ">") {
                    valueEnd &+= 1
                }
                index = valueEnd
            }
            if let finding = checkAttribute(name: nameStart..<nameEnd, value: valueStart..<valueEnd, tagName: tagName) {
                return .finding(finding)
            }
        }
        return .endOfTag(count)
    }

    // MARK: Checks

    func checkAttribute(name nameRange: Range<Int>, value: Range<Int>, tagName: String) -> Finding? {
        let name = lowercased(nameRange)
        let location = nameRange.lowerBound..<value.upperBound
        if name.count > 2, name.hasPrefix("on"), name.utf8.dropFirst(2).allSatisfy(SQLBytes.isLetter), !value.isEmpty {
            return Finding(construct: .eventHandler(name), location: location)
        }
        if Self.urlAttributes.contains(name), let scheme = Self.scriptScheme(in: bytes, value) {
            return Finding(construct: .scriptURL(attribute: name, scheme: scheme), location: location)
        }
        if name == "style", let what = Self.scriptInStyle(bytes, value) {
            return Finding(construct: .styleExpression(what), location: location)
        }
        if name == "content", tagName == "meta" || tagName.isEmpty {
            let decoded = HTMLEntities.decode(bytes, value)
            if let urlIndex = Self.find(Array("url=".utf8), inLowercased: decoded),
               let scheme = decoded.withUnsafeBufferPointer({ Self.scriptScheme(in: $0, (urlIndex &+ 4)..<$0.count) }) {
                return Finding(construct: .scriptURL(attribute: "content", scheme: scheme), location: location)
            }
        }
        // Markup inside an attribute value (`title="</noscript><img onerror=…>"`): a parser differential or a
        // later re-parse (mutation XSS) turns it into elements.
        if depth == 0, name != "srcdoc", bytes[value].contains(UInt8(ascii: "<")) {
            let inner = HTMLScanner(bytes: UnsafeBufferPointer(rebasing: bytes[value]), depth: 1).scanText(from: 0)
            if let inner {
                let start = value.lowerBound &+ inner.location.lowerBound
                let end = value.lowerBound &+ inner.location.upperBound
                return Finding(construct: inner.construct, location: start..<end)
            }
        }
        if name == "srcdoc", depth == 0 {
            let decoded = HTMLEntities.decode(bytes, value)
            let inner = decoded.withUnsafeBufferPointer { HTMLScanner(bytes: $0, depth: 1).scanText(from: 0) }
            if let inner {
                return Finding(construct: .scriptDocument(inner.construct.description), location: location)
            }
        }
        return nil
    }

    /// The content of a `<style>` element, up to `</style`.
    func scanStyleElement(from start: Int) -> Finding? {
        var end = start
        let closing = Array("</style".utf8)
        while end < bytes.count {
            if bytes[end] == UInt8(ascii: "<"), matchesLowercased(closing, at: end) { break }
            end &+= 1
        }
        guard let what = Self.scriptInStyle(bytes, start..<end) else { return nil }
        return Finding(construct: .styleExpression(what), location: start..<end)
    }

    /// `javascript:`, `vbscript:` or an HTML/SVG `data:` URL at the start of `range`, after decoding character
    /// references and dropping what URL parsing ignores: leading spaces and control characters, and tabs and
    /// line breaks anywhere.
    static func scriptScheme(in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                             requireCode: Bool = false) -> String? {
        guard !range.isEmpty else { return nil }
        let decoded = HTMLEntities.decode(bytes, range, limit: 64)
        var compact: [UInt8] = []
        compact.reserveCapacity(32)
        for byte in decoded {
            if byte == 0x09 || byte == 0x0A || byte == 0x0D { continue }
            if compact.isEmpty, byte <= 0x20 { continue }
            compact.append(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte)
            if compact.count >= 32 { break }
        }
        for scheme in ["javascript:", "vbscript:", "livescript:", "data:text/html", "data:application/xhtml",
                       "data:image/svg", "data:text/xml", "data:application/xml"] where compact.starts(with: scheme.utf8) {
            guard requireCode, !scheme.hasPrefix("data:") else { return scheme }
            let code = compact.dropFirst(scheme.utf8.count)
            guard let first = code.first, first != 0x20 else { return nil }
            let rest = decoded.contains { $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: "`") || $0 == UInt8(ascii: "=") }
            return rest ? scheme : nil
        }
        return nil
    }

    /// `expression(`, a script URL or a behaviour binding in CSS (comments, escapes and whitespace removed).
    static func scriptInStyle(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String? {
        let decoded = HTMLEntities.decode(bytes, range)
        var compact: [UInt8] = []
        compact.reserveCapacity(decoded.count)
        var index = 0
        while index < decoded.count {
            let byte = decoded[index]
            if byte == UInt8(ascii: "/"), index &+ 1 < decoded.count, decoded[index &+ 1] == UInt8(ascii: "*") {
                index &+= 2
                while index &+ 1 < decoded.count, !(decoded[index] == UInt8(ascii: "*") && decoded[index &+ 1] == UInt8(ascii: "/")) {
                    index &+= 1
                }
                index &+= 2
                continue
            }
            if byte > 0x20, byte != UInt8(ascii: "\\") {
                compact.append(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte)
            }
            index &+= 1
        }
        for (needle, what) in [("expression(", "expression()"), ("javascript:", "a javascript: URL"),
                               ("vbscript:", "a vbscript: URL"), ("-moz-binding", "-moz-binding"),
                               ("behavior:", "behavior:"), ("@import", "@import")] where find(Array(needle.utf8), inLowercased: compact) != nil {
            return what
        }
        return nil
    }

    // MARK: Helpers

    /// `<!-- … -->`, `<!…>`, `<?…>` and end tags `</…>`: skipped, nothing in them runs.
    func skipMarkupDeclaration(from start: Int) -> Int {
        if matchesLowercased(Array("<!--".utf8), at: start) {
            var index = start &+ 4
            while index &+ 2 < bytes.count {
                if bytes[index] == UInt8(ascii: "-"), bytes[index &+ 1] == UInt8(ascii: "-"),
                   bytes[index &+ 2] == UInt8(ascii: ">") { return index &+ 3 }
                index &+= 1
            }
            return bytes.count
        }
        var index = start &+ 2
        while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index &+= 1 }
        return min(index &+ 1, bytes.count)
    }

    static func find(_ needle: [UInt8], inLowercased haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var index = 0
        while index &+ needle.count <= haystack.count {
            var matches = true
            for offset in 0..<needle.count {
                var byte = haystack[index &+ offset]
                if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") { byte |= 0x20 }
                if byte != needle[offset] { matches = false; break }
            }
            if matches { return index }
            index &+= 1
        }
        return nil
    }

    func matchesLowercased(_ needle: [UInt8], at index: Int) -> Bool {
        guard index >= 0, index &+ needle.count <= bytes.count else { return false }
        for offset in 0..<needle.count {
            var byte = bytes[index &+ offset]
            if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") { byte |= 0x20 }
            if byte != needle[offset] { return false }
        }
        return true
    }

    func isTagNameByte(_ byte: UInt8) -> Bool {
        SQLBytes.isLetter(byte) || SQLBytes.isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ":")
    }

    func byte(_ index: Int) -> UInt8 { index >= 0 && index < bytes.count ? bytes[index] : 0 }

    func lowercased(_ range: Range<Int>) -> String {
        let clamped = range.clamped(to: 0..<bytes.count)
        return String(decoding: bytes[clamped].lazy.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
