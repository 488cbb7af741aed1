/// A token reduced to the class that matters for judging injected SQL. The raw value is the fingerprint letter.
enum SQLShapeKind: UInt8, Sendable {
    case string = 0x73          // s
    case number = 0x31          // 1
    case name = 0x6E            // n: identifier
    case variable = 0x76        // v: @var, @@version, ?, $1, :name
    case function = 0x66        // f: a word followed by `(`
    case logic = 0x26           // &: AND, OR, XOR, NOT, &&, ||
    case setOperation = 0x55    // U: UNION, INTERSECT, EXCEPT, MINUS
    case statement = 0x45       // E: SELECT, DROP, EXEC, WAITFOR, …
    case keyword = 0x6B         // k: other reserved words
    case comparison = 0x3D      // =: =, <>, <, LIKE, IN, IS, BETWEEN, …
    case `operator` = 0x6F      // o: arithmetic, bitwise, concatenation, casts
    case comma = 0x2C           // ,
    case semicolon = 0x3B       // ;
    case open = 0x28            // (
    case close = 0x29           // )
    case dot = 0x2E             // .
    case comment = 0x63         // c
    case other = 0x3F           // ?
}

struct SQLShape {
    var kind: SQLShapeKind
    var token: SQLToken
    var keyword: SQLKeyword?

    /// Reserved words that are also function names when followed by `(`.
    private static let functionKeywords: Set<String> = [
        "CONVERT", "CAST", "LEFT", "RIGHT", "REPLACE", "USER", "DATABASE", "SCHEMA", "MOD", "INSERT", "IF",
        "CHAR", "DEFAULT", "VALUES", "TRUNCATE",
    ]

    static func classify(_ tokens: [SQLToken], in bytes: UnsafeBufferPointer<UInt8>, into shapes: inout [SQLShape]) {
        shapes.reserveCapacity(shapes.count &+ tokens.count)
        for (index, token) in tokens.enumerated() {
            // `/**/` between words is whitespace to SQL (and a classic filter evasion); only a comment that ends
            // the value cuts the statement short.
            if token.kind == .comment, token.isTerminated, index &+ 1 < tokens.count,
               bytes[token.start] == UInt8(ascii: "/") || bytes[token.start] == UInt8(ascii: "*") {
                continue
            }
            // A call has its `(` right after the name (as MySQL requires for built-ins); "menu (select one)" is prose.
            let followedByParenthesis = index &+ 1 < tokens.count && tokens[index &+ 1].kind == .openParenthesis
                && tokens[index &+ 1].start == token.end
            shapes.append(classify(token, followedByParenthesis: followedByParenthesis, in: bytes))
        }
    }

    static func classify(_ token: SQLToken, followedByParenthesis: Bool, in bytes: UnsafeBufferPointer<UInt8>) -> SQLShape {
        switch token.kind {
        case .string: return SQLShape(kind: .string, token: token)
        case .number: return SQLShape(kind: .number, token: token)
        case .quotedIdentifier: return SQLShape(kind: .name, token: token)
        case .placeholder: return SQLShape(kind: .variable, token: token)
        case .comma: return SQLShape(kind: .comma, token: token)
        case .semicolon: return SQLShape(kind: .semicolon, token: token)
        case .openParenthesis: return SQLShape(kind: .open, token: token)
        case .closeParenthesis: return SQLShape(kind: .close, token: token)
        case .dot: return SQLShape(kind: .dot, token: token)
        case .comment: return SQLShape(kind: .comment, token: token)
        case .other: return SQLShape(kind: .other, token: token)
        case .operator:
            return SQLShape(kind: operatorKind(token, in: bytes), token: token)
        case .word:
            guard let keyword = SQLKeyword.lookup(bytes, token.range) else {
                return SQLShape(kind: followedByParenthesis ? .function : .name, token: token)
            }
            if followedByParenthesis, functionKeywords.contains(keyword.name) {
                return SQLShape(kind: .function, token: token, keyword: keyword)
            }
            let kind: SQLShapeKind
            switch keyword.category {
            case .logic: kind = .logic
            case .setOperation: kind = .setOperation
            case .statement: kind = .statement
            case .predicate:
                kind = keyword.name == "DIV" || keyword.name == "MOD" ? .operator : .comparison
            case .literal, .sortDirection, .clause, .other: kind = .keyword
            }
            return SQLShape(kind: kind, token: token, keyword: keyword)
        }
    }

    private static func operatorKind(_ token: SQLToken, in bytes: UnsafeBufferPointer<UInt8>) -> SQLShapeKind {
        let length = token.end &- token.start
        let first = bytes[token.start]
        let second = length > 1 ? bytes[token.start &+ 1] : 0
        if length == 2, first == second, first == UInt8(ascii: "|") || first == UInt8(ascii: "&") { return .logic }
        switch first {
        case UInt8(ascii: "="):
            return .comparison
        case UInt8(ascii: "<"), UInt8(ascii: ">"):
            return length == 1 || second == UInt8(ascii: "=") || second == UInt8(ascii: ">") ? .comparison : .operator
        case UInt8(ascii: "!"):
            return second == UInt8(ascii: "=") || second == UInt8(ascii: "<") || second == UInt8(ascii: ">")
                ? .comparison : .operator
        default:
            return .operator
        }
    }
}
