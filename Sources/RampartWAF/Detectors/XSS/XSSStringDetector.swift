/// Where an untrusted value lands in an HTML page.
public enum XSSContext: String, Sendable, Hashable, CaseIterable {
    /// Between tags: `<p>VALUE</p>`.
    case text
    /// `<x a="VALUE">`.
    case doubleQuotedAttribute = "double-quoted attribute"
    /// `<x a='VALUE'>`.
    case singleQuotedAttribute = "single-quoted attribute"
    /// `<x a=VALUE>`.
    case unquotedAttribute = "unquoted attribute"
    /// The whole value of a URL attribute: `<a href="VALUE">`.
    case urlAttribute = "URL attribute"
    /// Inside a JavaScript string literal in a `<script>` block or event handler: `var s = 'VALUE';`.
    case javaScriptString = "JavaScript string"
}

/// An HTML construct that runs script.
public enum XSSConstruct: Sendable, Hashable, CustomStringConvertible {
    /// An element that runs or loads script or active content: `<script>`, `<iframe>`, `<object>`, `<embed>`, …
    case scriptCapableElement(String)
    /// An `on…=` event handler attribute.
    case eventHandler(String)
    /// A URL attribute (or the value itself) with a `javascript:`, `vbscript:` or HTML-bearing `data:` URL.
    case scriptURL(attribute: String, scheme: String)
    /// A style with `expression(`, a script URL, or a binding.
    case styleExpression(String)
    /// A `srcdoc` attribute holding markup that runs script.
    case scriptDocument(String)
    /// A JavaScript string closed and followed by an operator and a call: `'-alert(1)-'`.
    case javaScriptCall(String)

    public var description: String {
        switch self {
        case .scriptCapableElement(let name): "<\(name)> element"
        case .eventHandler(let name): "\(name)= event handler"
        case .scriptURL(let attribute, let scheme): "\(scheme) URL in \(attribute)"
        case .styleExpression(let what): "style with \(what)"
        case .scriptDocument(let inner): "srcdoc document with \(inner)"
        case .javaScriptCall(let name): "call to \(name)()"
        }
    }
}

/// Why a value was judged cross-site scripting.
public struct XSSVerdict: Sendable, Hashable {
    public var construct: XSSConstruct
    public var context: XSSContext
    /// UTF-8 byte range of the construct in the value.
    public var location: Range<Int>
    public var reason: String
}

/// `is_xss`: does one untrusted string, written into an HTML page, add something that executes script? An HTML
/// tokenizer reads the value in the contexts it may land in — text, inside a quoted or unquoted attribute value it
/// can close, as a whole URL attribute — and looks for script-capable elements, event handler attributes, script
/// URLs in URL attributes and script in styles. Markup that cannot run script (`<b>`, `<3`, markdown) passes.
public enum XSSStringDetector {
    public static func detect(_ value: String) -> XSSVerdict? {
        var value = value
        return value.withUTF8 { detect($0) }
    }

    public static func detect(_ value: [UInt8]) -> XSSVerdict? {
        value.withUnsafeBufferPointer { detect($0) }
    }

    public static func detect(_ value: UnsafeRawBufferPointer) -> XSSVerdict? {
        detect(value.assumingMemoryBound(to: UInt8.self))
    }

    static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> XSSVerdict? {
        guard !bytes.isEmpty else { return nil }
        // Every context below starts at a tag (`<`), a quote, a space, or a scheme's colon (`:`, or `&` for an
        // encoded one): a value with none of these cannot carry markup or script.
        guard bytes.contains(where: Self.mayStartMarkup) else { return nil }
        let scanner = HTMLScanner(bytes: bytes)
        if let finding = scanner.scanText(from: 0) {
            return verdict(finding, context: .text)
        }
        // Inside an attribute value: the value escapes at its first matching quote (or, unquoted, at its first
        // space) and what follows is read as more attributes of the same tag.
        for (quote, context) in [(UInt8(ascii: "\""), XSSContext.doubleQuotedAttribute),
                                 (UInt8(ascii: "'"), XSSContext.singleQuotedAttribute)] {
            if let index = bytes.firstIndex(of: quote), let finding = scanner.scanAttributes(from: index &+ 1) {
                return verdict(finding, context: context)
            }
        }
        if let index = bytes.firstIndex(where: { SQLBytes.isSpace($0) }),
           let finding = scanner.scanAttributes(from: index &+ 1) {
            return verdict(finding, context: .unquotedAttribute)
        }
        // A whole value that is a script URL: dangerous if the application puts it in an href or src. It must
        // carry code right after the scheme (a call, template or assignment): "JavaScript: the good parts" is a
        // book title.
        if let scheme = HTMLScanner.scriptScheme(in: bytes, 0..<bytes.count, requireCode: true) {
            return verdict(HTMLScanner.Finding(construct: .scriptURL(attribute: "a URL attribute", scheme: scheme),
                                               location: 0..<bytes.count), context: .urlAttribute)
        }
        if let finding = javaScriptStringBreakout(bytes) {
            return verdict(finding, context: .javaScriptString)
        }
        return nil
    }

    @inline(__always) private static func mayStartMarkup(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "<"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"), UInt8(ascii: ":"),
            UInt8(ascii: "&"):
            return true
        default:
            return SQLBytes.isSpace(byte)
        }
    }

    /// A value that closes a JavaScript string at its first quote and goes on with an operator and a function call
    /// (`'-alert(1)-'`, `";confirm(1)//`): the expression runs before the string concatenation completes.
    static func javaScriptStringBreakout(_ bytes: UnsafeBufferPointer<UInt8>) -> HTMLScanner.Finding? {
        guard let quoteIndex = bytes.firstIndex(where: {
            $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "`")
        }) else { return nil }
        var index = quoteIndex &+ 1
        func skipSpaces() { while index < bytes.count, SQLBytes.isSpace(bytes[index]) { index &+= 1 } }
        skipSpaces()
        var sawOperator = false
        while index < bytes.count, "-+*/%;,|&^)".utf8.contains(bytes[index]) {
            sawOperator = true
            index &+= 1
        }
        guard sawOperator else { return nil }
        skipSpaces()
        let nameStart = index
        while index < bytes.count, SQLBytes.isIdentifierContinuation(bytes[index]) || bytes[index] == UInt8(ascii: ".") {
            index &+= 1
        }
        guard index > nameStart, SQLBytes.isIdentifierStart(bytes[nameStart]) else { return nil }
        let nameEnd = index
        skipSpaces()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "(") || bytes[index] == UInt8(ascii: "`") else {
            return nil
        }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<nameEnd]), as: UTF8.self)
        return HTMLScanner.Finding(construct: .javaScriptCall(name), location: quoteIndex..<(index &+ 1))
    }

    private static func verdict(_ finding: HTMLScanner.Finding, context: XSSContext) -> XSSVerdict {
        let description = finding.construct.description
        let article = description.first.map { "aeiouAEIOU".contains($0) } == true ? "an" : "a"
        let construct = "\(article) \(description)"
        let reason: String
        switch context {
        case .text: reason = "as HTML text, the value adds \(construct)"
        case .doubleQuotedAttribute, .singleQuotedAttribute, .unquotedAttribute:
            reason = "inside a \(context.rawValue) value, the value closes it and adds \(construct)"
        case .urlAttribute: reason = "as a URL attribute value, the value is \(construct)"
        case .javaScriptString: reason = "inside a JavaScript string, the value closes it and adds \(construct)"
        }
        return XSSVerdict(construct: finding.construct, context: context, location: finding.location, reason: reason)
    }
}
