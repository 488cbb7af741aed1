/// Where an untrusted value lands in a statement built by string concatenation.
public enum SQLiContext: String, Sendable, Hashable, CaseIterable {
    /// Directly, as a number or a name: `WHERE id = <value>`.
    case unquoted
    /// Inside `'…'`: `WHERE name = '<value>'`.
    case singleQuoted = "single-quoted"
    /// Inside `"…"` (MySQL strings, quoted identifiers elsewhere).
    case doubleQuoted = "double-quoted"
}

/// Why a value was judged an SQL injection.
public struct SQLiVerdict: Sendable, Hashable {
    /// The value's token classes in the context that fired, one character per token (see `SQLShape`), e.g. `s&1=1c`
    /// for `' OR 1=1--` after a single quote.
    public var fingerprint: String
    public var context: SQLiContext
    /// A sentence a security engineer can read, e.g. "in a single-quoted context the value closes the string and
    /// adds OR with a comparison of literals".
    public var reason: String
}

/// `is_sqli`: does one untrusted string, placed in an SQL statement, change the statement's structure? The value is
/// tokenized in the three contexts it may land in (unquoted, after `'`, after `"`) and the token sequence is
/// parsed with a small grammar of what an injected fragment must look like to run: close the literal, then join a
/// condition (`OR 1=1`), a `UNION SELECT`, a stacked statement, a function call or clause, or cut the rest off with a
/// comment. Prose, even full of SQL words ("select a plan", "O'Brien", "50% off -- today"), does not parse.
public enum SQLiStringDetector {
    public static func detect(_ value: String) -> SQLiVerdict? {
        var value = value
        return value.withUTF8 { detect($0) }
    }

    public static func detect(_ value: [UInt8]) -> SQLiVerdict? {
        value.withUnsafeBufferPointer { detect($0) }
    }

    public static func detect(_ value: UnsafeRawBufferPointer) -> SQLiVerdict? {
        detect(value.assumingMemoryBound(to: UInt8.self))
    }

    static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> SQLiVerdict? {
        guard !bytes.isEmpty else { return nil }
        // One word (letters, digits, underscores) has no quote, operator, separator or comment to change a
        // query's structure with: most parameter values end here without being lexed.
        if bytes.allSatisfy({ SQLBytes.isLetter($0) || SQLBytes.isDigit($0) || $0 == UInt8(ascii: "_") }) {
            return nil
        }
        if let verdict = analyze(bytes, context: .unquoted) { return verdict }
        var hasSingle = false
        var hasDouble = false
        for byte in bytes {
            if byte == UInt8(ascii: "'") { hasSingle = true } else if byte == UInt8(ascii: "\"") { hasDouble = true }
        }
        if hasSingle, let verdict = analyze(bytes, context: .singleQuoted) { return verdict }
        if hasDouble, let verdict = analyze(bytes, context: .doubleQuoted) { return verdict }
        return nil
    }

    private static func analyze(_ bytes: UnsafeBufferPointer<UInt8>, context: SQLiContext) -> SQLiVerdict? {
        var shapes: [SQLShape] = []
        var tokenStart = 0
        if context != .unquoted {
            // The value continues a literal the application opened: it escapes only at its first quote that is
            // not doubled (a doubled quote stays inside the literal).
            let quote = context == .singleQuoted ? UInt8(ascii: "'") : UInt8(ascii: "\"")
            var cursor = 0
            var closing: Int?
            while cursor < bytes.count {
                if bytes[cursor] == quote {
                    if cursor &+ 1 < bytes.count, bytes[cursor &+ 1] == quote {
                        cursor &+= 2
                        continue
                    }
                    closing = cursor
                    break
                }
                cursor &+= 1
            }
            guard let closing else { return nil }
            shapes.append(SQLShape(kind: .string, token: SQLToken(kind: .string, start: 0, end: closing &+ 1)))
            tokenStart = closing &+ 1
        }
        // A trailing `%00` (a NUL byte left URL-encoded) ends the statement for C-string-based drivers: a comment.
        var lexedCount = bytes.count
        var nulTerminator: SQLToken?
        if lexedCount >= 3, bytes[lexedCount &- 3] == UInt8(ascii: "%"), bytes[lexedCount &- 2] == UInt8(ascii: "0"),
           bytes[lexedCount &- 1] == UInt8(ascii: "0"), tokenStart <= lexedCount &- 3 {
            lexedCount &-= 3
            nulTerminator = SQLToken(kind: .comment, start: lexedCount, end: bytes.count)
        }
        var lexer = SQLLexer(bytes: UnsafeBufferPointer(rebasing: bytes[0..<lexedCount]), syntax: .untrustedInput)
        lexer.position = tokenStart
        var tokens: [SQLToken] = []
        while let token = lexer.next() {
            tokens.append(token)
        }
        if let nulTerminator { tokens.append(nulTerminator) }
        SQLShape.classify(tokens, in: bytes, into: &shapes)
        var parser = SQLShapeParser(shapes: shapes, bytes: bytes)
        guard let finding = parser.injection(context: context) else { return nil }
        let fingerprint = String(shapes.prefix(24).map { Character(Unicode.Scalar($0.kind.rawValue)) })
        let prefix: String
        switch context {
        case .unquoted: prefix = "unquoted, the value"
        case .singleQuoted: prefix = "after a single quote, the value closes the string and"
        case .doubleQuoted: prefix = "after a double quote, the value closes the string and"
        }
        return SQLiVerdict(fingerprint: fingerprint, context: context, reason: "\(prefix) \(finding)")
    }
}
