/// Splits SQL text (UTF-8 bytes) into tokens following one dialect's quoting and comment rules.
/// Never fails: malformed input (unterminated strings, invalid UTF-8, stray bytes) still yields tokens.
public enum SQLTokenizer {
    public static func tokenize(_ text: String, dialect: SQLDialect) -> [SQLToken] {
        var text = text
        return text.withUTF8 { tokenize($0, syntax: SQLSyntax(dialect: dialect)) }
    }

    public static func tokenize(_ bytes: [UInt8], dialect: SQLDialect) -> [SQLToken] {
        bytes.withUnsafeBufferPointer { tokenize($0, syntax: SQLSyntax(dialect: dialect)) }
    }

    public static func tokenize(_ bytes: UnsafeRawBufferPointer, dialect: SQLDialect) -> [SQLToken] {
        tokenize(bytes.assumingMemoryBound(to: UInt8.self), syntax: SQLSyntax(dialect: dialect))
    }

    static func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, syntax: SQLSyntax) -> [SQLToken] {
        var tokens: [SQLToken] = []
        tokens.reserveCapacity(bytes.count / 4 + 4)
        var lexer = SQLLexer(bytes: bytes, syntax: syntax)
        while let token = lexer.next() {
            tokens.append(token)
        }
        return tokens
    }
}

/// A cursor over the bytes producing one token at a time (whitespace skipped).
struct SQLLexer {
    let bytes: UnsafeBufferPointer<UInt8>
    let syntax: SQLSyntax
    var position = 0
    /// Inside MySQL's `/*! … */`, whose content MySQL executes: the `*/` that ends it is a marker, not an operator.
    var insideExecutableComment = false

    init(bytes: UnsafeBufferPointer<UInt8>, syntax: SQLSyntax) {
        self.bytes = bytes
        self.syntax = syntax
    }

    @inline(__always) func byte(at index: Int) -> UInt8 {
        index >= 0 && index < bytes.count ? bytes[index] : 0
    }

    mutating func next() -> SQLToken? {
        let count = bytes.count
        while position < count, SQLBytes.isSpace(bytes[position]) { position &+= 1 }
        guard position < count else { return nil }
        let start = position
        let first = bytes[start]
        // Words and numbers are most tokens: take them before the punctuation switch.
        if SQLBytes.isIdentifierStart(first) { return wordOrPrefixedString(from: start) }
        if SQLBytes.isDigit(first) { return number(from: start) }
        let second = byte(at: start &+ 1)

        switch first {
        case UInt8(ascii: "'"):
            return quoted(from: start, opening: start, close: UInt8(ascii: "'"), kind: .string,
                          backslash: syntax.backslashEscapes)
        case UInt8(ascii: "\""):
            return syntax.doubleQuotedStrings
                ? quoted(from: start, opening: start, close: UInt8(ascii: "\""), kind: .string,
                         backslash: syntax.backslashEscapes)
                : quoted(from: start, opening: start, close: UInt8(ascii: "\""), kind: .quotedIdentifier,
                         backslash: false)
        case UInt8(ascii: "`") where syntax.backtickIdentifiers:
            return quoted(from: start, opening: start, close: UInt8(ascii: "`"), kind: .quotedIdentifier,
                          backslash: false)
        case UInt8(ascii: "[") where syntax.bracketIdentifiers:
            return quoted(from: start, opening: start, close: UInt8(ascii: "]"), kind: .quotedIdentifier,
                          backslash: false)
        case UInt8(ascii: "-") where second == UInt8(ascii: "-"):
            let third = byte(at: start &+ 2)
            if !syntax.dashCommentNeedsSpace || start &+ 2 >= count || SQLBytes.isSpace(third) || third < 0x20 {
                return lineComment(from: start)
            }
            return operatorToken(from: start)
        case UInt8(ascii: "#") where syntax.hashComments:
            return lineComment(from: start)
        case UInt8(ascii: "/") where second == UInt8(ascii: "*"):
            if syntax.executableComments, byte(at: start &+ 2) == UInt8(ascii: "!") {
                // `/*!50000 UNION*/`: the marker (with its version number) is a comment, the content is SQL.
                var cursor = start &+ 3
                while cursor < count, SQLBytes.isDigit(bytes[cursor]) { cursor &+= 1 }
                position = cursor
                insideExecutableComment = true
                return SQLToken(kind: .comment, start: start, end: cursor)
            }
            return blockComment(from: start)
        case UInt8(ascii: "*") where second == UInt8(ascii: "/") && insideExecutableComment:
            insideExecutableComment = false
            position = start &+ 2
            return SQLToken(kind: .comment, start: start, end: position)
        case UInt8(ascii: ","): position = start &+ 1; return SQLToken(kind: .comma, start: start, end: position)
        case UInt8(ascii: ";"): position = start &+ 1; return SQLToken(kind: .semicolon, start: start, end: position)
        case UInt8(ascii: "("): position = start &+ 1; return SQLToken(kind: .openParenthesis, start: start, end: position)
        case UInt8(ascii: ")"): position = start &+ 1; return SQLToken(kind: .closeParenthesis, start: start, end: position)
        case UInt8(ascii: "."):
            if SQLBytes.isDigit(second) { return number(from: start) }
            position = start &+ 1
            return SQLToken(kind: .dot, start: start, end: position)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return number(from: start)
        case UInt8(ascii: "?"):
            position = start &+ 1
            while position < count, SQLBytes.isDigit(bytes[position]) { position &+= 1 }
            return SQLToken(kind: .placeholder, start: start, end: position)
        case UInt8(ascii: "$"):
            if SQLBytes.isDigit(second) {
                position = start &+ 1
                while position < count, SQLBytes.isDigit(bytes[position]) { position &+= 1 }
                return SQLToken(kind: .placeholder, start: start, end: position)
            }
            if syntax.dollarQuotes, let token = dollarQuoted(from: start) { return token }
            if SQLBytes.isIdentifierStart(second) {
                position = wordEnd(from: start &+ 1)
                return SQLToken(kind: .placeholder, start: start, end: position)
            }
            return operatorToken(from: start)
        case UInt8(ascii: ":") where second != UInt8(ascii: ":") && SQLBytes.isIdentifierContinuation(second)
            && byte(at: start &- 1) != UInt8(ascii: ":"):
            position = wordEnd(from: start &+ 1)
            return SQLToken(kind: .placeholder, start: start, end: position)
        case UInt8(ascii: "@"):
            var cursor = start &+ 1
            if byte(at: cursor) == UInt8(ascii: "@") { cursor &+= 1 }
            if SQLBytes.isIdentifierStart(byte(at: cursor)) {
                position = wordEnd(from: cursor)
                return SQLToken(kind: .placeholder, start: start, end: position)
            }
            return operatorToken(from: start)
        case UInt8(ascii: "#") where syntax.hashIdentifiers && SQLBytes.isIdentifierStart(second):
            position = wordEnd(from: start &+ 1)
            return SQLToken(kind: .word, start: start, end: position)
        default:
            if SQLBytes.isIdentifierStart(first) { return wordOrPrefixedString(from: start) }
            if SQLBytes.isOperator(first) { return operatorToken(from: start) }
            // `{`, `}`, `]` and other bytes outside SQL's lexical grammar.
            position = start &+ 1
            return SQLToken(kind: .other, start: start, end: position)
        }
    }

    // MARK: Words and prefixed strings

    func wordEnd(from start: Int) -> Int {
        var cursor = start
        while cursor < bytes.count, SQLBytes.isIdentifierContinuation(bytes[cursor]) { cursor &+= 1 }
        return cursor
    }

    mutating func wordOrPrefixedString(from start: Int) -> SQLToken {
        let end = wordEnd(from: start)
        let length = end &- start
        let quote = UInt8(ascii: "'")
        if byte(at: end) == quote, length <= 2 {
            let a = bytes[start] | 0x20
            let b = length == 2 ? bytes[start &+ 1] | 0x20 : 0
            if length == 1 {
                switch a {
                case UInt8(ascii: "n"), UInt8(ascii: "x"), UInt8(ascii: "b"):
                    return quoted(from: start, opening: end, close: quote, kind: .string,
                                  backslash: syntax.backslashEscapes)
                case UInt8(ascii: "e") where syntax.escapeStrings:
                    return quoted(from: start, opening: end, close: quote, kind: .string, backslash: true)
                case UInt8(ascii: "q") where syntax.alternativeQuoting:
                    if let token = alternativeQuoted(from: start, quote: end) { return token }
                default: break
                }
            } else if a == UInt8(ascii: "n"), b == UInt8(ascii: "q"), syntax.alternativeQuoting {
                if let token = alternativeQuoted(from: start, quote: end) { return token }
            }
        }
        position = end
        return SQLToken(kind: .word, start: start, end: end)
    }

    // MARK: Strings and quoted identifiers

    /// A string or identifier from `opening` (the quote byte) to the matching `close`; a doubled `close` is an
    /// escaped one, and with `backslash` a `\` escapes the next byte.
    mutating func quoted(from start: Int, opening: Int, close: UInt8, kind: SQLTokenKind, backslash: Bool) -> SQLToken {
        var cursor = opening &+ 1
        let count = bytes.count
        while cursor < count {
            let current = bytes[cursor]
            if backslash, current == UInt8(ascii: "\\") {
                cursor &+= 2
                continue
            }
            if current == close {
                if cursor &+ 1 < count, bytes[cursor &+ 1] == close {
                    cursor &+= 2
                    continue
                }
                position = cursor &+ 1
                return SQLToken(kind: kind, start: start, end: position)
            }
            cursor &+= 1
        }
        position = count
        return SQLToken(kind: kind, start: start, end: count, isTerminated: false)
    }

    /// Oracle `q'<delimiter>…<closing delimiter>'`: brackets pair up, any other byte closes itself.
    mutating func alternativeQuoted(from start: Int, quote: Int) -> SQLToken? {
        let delimiterIndex = quote &+ 1
        guard delimiterIndex < bytes.count else { return nil }
        let delimiter = bytes[delimiterIndex]
        guard !SQLBytes.isSpace(delimiter) else { return nil }
        let closing: UInt8
        switch delimiter {
        case UInt8(ascii: "["): closing = UInt8(ascii: "]")
        case UInt8(ascii: "("): closing = UInt8(ascii: ")")
        case UInt8(ascii: "{"): closing = UInt8(ascii: "}")
        case UInt8(ascii: "<"): closing = UInt8(ascii: ">")
        default: closing = delimiter
        }
        var cursor = delimiterIndex &+ 1
        while cursor &+ 1 < bytes.count {
            if bytes[cursor] == closing, bytes[cursor &+ 1] == UInt8(ascii: "'") {
                position = cursor &+ 2
                return SQLToken(kind: .string, start: start, end: position)
            }
            cursor &+= 1
        }
        position = bytes.count
        return SQLToken(kind: .string, start: start, end: bytes.count, isTerminated: false)
    }

    /// PostgreSQL `$$…$$` / `$tag$…$tag$`; nil when the `$` does not open a dollar quote.
    mutating func dollarQuoted(from start: Int) -> SQLToken? {
        var tagEnd = start &+ 1
        if byte(at: tagEnd) != UInt8(ascii: "$") {
            guard SQLBytes.isIdentifierStart(byte(at: tagEnd)) else { return nil }
            while tagEnd < bytes.count, SQLBytes.isIdentifierContinuation(bytes[tagEnd]),
                  bytes[tagEnd] != UInt8(ascii: "$") {
                tagEnd &+= 1
            }
            guard byte(at: tagEnd) == UInt8(ascii: "$") else { return nil }
        }
        let tagLength = tagEnd &- start &+ 1  // includes both dollars
        var cursor = tagEnd &+ 1
        while cursor < bytes.count {
            if bytes[cursor] == UInt8(ascii: "$"), cursor &+ tagLength <= bytes.count {
                var matches = true
                var offset = 0
                while offset < tagLength {
                    if bytes[cursor &+ offset] != bytes[start &+ offset] { matches = false; break }
                    offset &+= 1
                }
                if matches {
                    position = cursor &+ tagLength
                    return SQLToken(kind: .string, start: start, end: position)
                }
            }
            cursor &+= 1
        }
        position = bytes.count
        return SQLToken(kind: .string, start: start, end: bytes.count, isTerminated: false)
    }

    // MARK: Comments

    mutating func lineComment(from start: Int) -> SQLToken {
        var cursor = start
        while cursor < bytes.count, bytes[cursor] != UInt8(ascii: "\n") { cursor &+= 1 }
        position = cursor
        return SQLToken(kind: .comment, start: start, end: cursor)
    }

    mutating func blockComment(from start: Int) -> SQLToken {
        var cursor = start &+ 2
        var depth = 1
        let count = bytes.count
        while cursor < count {
            let current = bytes[cursor]
            let following = byte(at: cursor &+ 1)
            if current == UInt8(ascii: "*"), following == UInt8(ascii: "/") {
                depth &-= 1
                cursor &+= 2
                if depth == 0 {
                    position = cursor
                    return SQLToken(kind: .comment, start: start, end: cursor)
                }
                continue
            }
            if syntax.nestedBlockComments, current == UInt8(ascii: "/"), following == UInt8(ascii: "*") {
                depth &+= 1
                cursor &+= 2
                continue
            }
            cursor &+= 1
        }
        position = count
        return SQLToken(kind: .comment, start: start, end: count, isTerminated: false)
    }

    // MARK: Numbers and operators

    mutating func number(from start: Int) -> SQLToken {
        var cursor = start
        let count = bytes.count
        let second = byte(at: start &+ 1) | 0x20
        if bytes[start] == UInt8(ascii: "0"), second == UInt8(ascii: "x") || second == UInt8(ascii: "b") {
            let hex = second == UInt8(ascii: "x")
            cursor = start &+ 2
            let digitsStart = cursor
            while cursor < count, hex ? SQLBytes.isHexDigit(bytes[cursor]) : (bytes[cursor] == 0x30 || bytes[cursor] == 0x31) {
                cursor &+= 1
            }
            if cursor > digitsStart, !SQLBytes.isIdentifierContinuation(byte(at: cursor)) {
                position = cursor
                return SQLToken(kind: .number, start: start, end: cursor)
            }
            cursor = start
        }
        while cursor < count, SQLBytes.isDigit(bytes[cursor]) { cursor &+= 1 }
        if byte(at: cursor) == UInt8(ascii: "."), byte(at: cursor &+ 1) != UInt8(ascii: ".") {
            cursor &+= 1
            while cursor < count, SQLBytes.isDigit(bytes[cursor]) { cursor &+= 1 }
        }
        if byte(at: cursor) | 0x20 == UInt8(ascii: "e") {
            var exponent = cursor &+ 1
            if byte(at: exponent) == UInt8(ascii: "+") || byte(at: exponent) == UInt8(ascii: "-") { exponent &+= 1 }
            if SQLBytes.isDigit(byte(at: exponent)) {
                cursor = exponent
                while cursor < count, SQLBytes.isDigit(bytes[cursor]) { cursor &+= 1 }
            }
        }
        // `123abc` is one identifier in SQL, not a number then a word.
        if cursor < count, SQLBytes.isIdentifierContinuation(bytes[cursor]), bytes[cursor] != UInt8(ascii: "$") {
            position = wordEnd(from: cursor)
            return SQLToken(kind: .word, start: start, end: position)
        }
        position = cursor
        return SQLToken(kind: .number, start: start, end: cursor)
    }

    mutating func operatorToken(from start: Int) -> SQLToken {
        let a = bytes[start]
        let b = byte(at: start &+ 1)
        let c = byte(at: start &+ 2)
        var length = 1
        if SQLBytes.isThreeByteOperator(a, b, c) {
            length = 3
        } else if SQLBytes.isTwoByteOperator(a, b) {
            length = 2
        }
        position = start &+ length
        return SQLToken(kind: .operator, start: start, end: position)
    }
}

/// Byte classes shared by the SQL and HTML tokenizers.
enum SQLBytes {
    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) || byte == 0x00
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    @inline(__always) static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
    }

    @inline(__always) static func isLetter(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")
    }

    /// Letters, `_` and every non-ASCII byte (identifiers may be written in any script).
    @inline(__always) static func isIdentifierStart(_ byte: UInt8) -> Bool {
        isLetter(byte) || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    @inline(__always) static func isIdentifierContinuation(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || isDigit(byte) || byte == UInt8(ascii: "$")
    }

    static func isOperator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "%"),
             UInt8(ascii: "="), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "!"), UInt8(ascii: "~"),
             UInt8(ascii: "^"), UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "#"), UInt8(ascii: "@"),
             UInt8(ascii: ":"), UInt8(ascii: "?"), UInt8(ascii: "$"), UInt8(ascii: "\\"):
            return true
        default:
            return false
        }
    }

    static func isTwoByteOperator(_ a: UInt8, _ b: UInt8) -> Bool {
        switch (a, b) {
        case (UInt8(ascii: "<"), UInt8(ascii: "=")), (UInt8(ascii: ">"), UInt8(ascii: "=")),
             (UInt8(ascii: "<"), UInt8(ascii: ">")), (UInt8(ascii: "!"), UInt8(ascii: "=")),
             (UInt8(ascii: "="), UInt8(ascii: "=")), (UInt8(ascii: "|"), UInt8(ascii: "|")),
             (UInt8(ascii: "&"), UInt8(ascii: "&")), (UInt8(ascii: ":"), UInt8(ascii: ":")),
             (UInt8(ascii: ":"), UInt8(ascii: "=")), (UInt8(ascii: "<"), UInt8(ascii: "<")),
             (UInt8(ascii: ">"), UInt8(ascii: ">")), (UInt8(ascii: "-"), UInt8(ascii: ">")),
             (UInt8(ascii: "~"), UInt8(ascii: "*")), (UInt8(ascii: "!"), UInt8(ascii: "~")),
             (UInt8(ascii: "@"), UInt8(ascii: ">")), (UInt8(ascii: "<"), UInt8(ascii: "@")),
             (UInt8(ascii: "!"), UInt8(ascii: "<")), (UInt8(ascii: "!"), UInt8(ascii: ">")),
             (UInt8(ascii: "#"), UInt8(ascii: ">")):
            return true
        default:
            return false
        }
    }

    static func isThreeByteOperator(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
        switch (a, b, c) {
        case (UInt8(ascii: "<"), UInt8(ascii: "="), UInt8(ascii: ">")),
             (UInt8(ascii: "-"), UInt8(ascii: ">"), UInt8(ascii: ">")),
             (UInt8(ascii: "!"), UInt8(ascii: "~"), UInt8(ascii: "*")),
             (UInt8(ascii: "#"), UInt8(ascii: ">"), UInt8(ascii: ">")):
            return true
        default:
            return false
        }
    }
}
