/// RASP SQL injection detector (`sqli_detector`): given the statement an application is about to run and the
/// request's parameters, a parameter is an injection when an occurrence of it in the statement is not confined to
/// one literal, identifier or number — it spans several tokens, or it supplies a comment, an operator or a keyword
/// that changes the statement.
public enum SQLInjectionDetector {
    public static let name = "sqli_detector"

    /// Parameters shorter than this (in characters) are ignored: they occur everywhere by coincidence.
    public static let minimumParameterLength = 2

    public static func detect(statement: String, dialect: SQLDialect, parameters: [UserParameter]) -> InjectionFinding? {
        guard !parameters.isEmpty else { return nil }
        var statementStorage = statement
        return statementStorage.withUTF8 { statementBytes -> InjectionFinding? in
            var analysis = StatementAnalysis(bytes: statementBytes, syntax: SQLSyntax(dialect: dialect))
            for parameter in parameters {
                var value = parameter.value
                let verdict = value.withUTF8 { untrimmed -> (Range<Int>, String)? in
                    // Leading and trailing whitespace never forms a token, and applications often trim it: look
                    // for the value without it.
                    var lower = 0
                    var upper = untrimmed.count
                    while lower < upper, SQLBytes.isSpace(untrimmed[lower]) { lower &+= 1 }
                    while upper > lower, SQLBytes.isSpace(untrimmed[upper &- 1]) { upper &-= 1 }
                    let valueBytes = UnsafeBufferPointer(rebasing: untrimmed[lower..<upper])
                    guard characterCount(valueBytes, atLeast: minimumParameterLength) else { return nil }
                    var result: (Range<Int>, String)?
                    var weak: (Range<Int>, String)?
                    var staysInPlaceSomewhere = false
                    SQLByteSearch.forEachOccurrence(of: valueBytes, in: statementBytes) { start in
                        let occurrence = start..<(start &+ valueBytes.count)
                        switch analysis.judge(occurrence) {
                        case .inPlace:
                            staysInPlaceSomewhere = true
                        case .injection(let reason):
                            result = (occurrence, reason)
                            return false
                        case .weakInjection(let reason):
                            if weak == nil { weak = (occurrence, reason) }
                        }
                        return true
                    }
                    // A one-token value (`OR`) that also sits inside a literal elsewhere is the application's own
                    // token matching a value used as data, not an insertion.
                    if result == nil, !staysInPlaceSomewhere { result = weak }
                    return result
                }
                if let (location, reason) = verdict {
                    return InjectionFinding(detector: name, parameter: parameter, operation: statement,
                                            location: location, reason: reason)
                }
            }
            return nil
        }
    }

    /// Counts UTF-8 lead bytes (not continuation bytes) up to `minimum`.
    private static func characterCount(_ bytes: UnsafeBufferPointer<UInt8>, atLeast minimum: Int) -> Bool {
        var count = 0
        for byte in bytes where byte & 0xC0 != 0x80 {
            count &+= 1
            if count >= minimum { return true }
        }
        return false
    }
}

/// The statement's tokens, lexed lazily only as far as the occurrences being judged need (most parameters never
/// occur in the statement, and a token depends only on what precedes it), and the rules that judge one occurrence.
struct StatementAnalysis {
    let bytes: UnsafeBufferPointer<UInt8>
    private var lexer: SQLLexer
    private var tokens: [SQLToken] = []
    private var exhausted = false

    init(bytes: UnsafeBufferPointer<UInt8>, syntax: SQLSyntax) {
        self.bytes = bytes
        self.lexer = SQLLexer(bytes: bytes, syntax: syntax)
    }

    /// Lexes until a token starts at or after `offset` (or the statement ends), so every token overlapping
    /// `..<offset` is known.
    private mutating func lex(through offset: Int) {
        if tokens.isEmpty { tokens.reserveCapacity(64) }
        while !exhausted, (tokens.last?.start ?? -1) < offset {
            if let token = lexer.next() {
                tokens.append(token)
            } else {
                exhausted = true
            }
        }
    }

    enum Judgement {
        case inPlace
        case injection(String)
        /// A parameter that is exactly one token (`OR`, `<=`, a comment): an injection only if the value never
        /// occurs as data elsewhere (otherwise that token is the statement's own).
        case weakInjection(String)
    }

    mutating func judge(_ occurrence: Range<Int>) -> Judgement {
        guard let (reason, weak) = injectionReason(for: occurrence) else { return .inPlace }
        return weak ? .weakInjection(reason) : .injection(reason)
    }

    /// Why the parameter occupying `occurrence` is an injection (and whether the evidence is weak), or nil when it
    /// stays in its place.
    mutating func injectionReason(for occurrence: Range<Int>) -> (String, weak: Bool)? {
        // Leading and trailing whitespace of a parameter never forms a token.
        var lower = occurrence.lowerBound
        var upper = occurrence.upperBound
        while lower < upper, SQLBytes.isSpace(bytes[lower]) { lower &+= 1 }
        while upper > lower, SQLBytes.isSpace(bytes[upper &- 1]) { upper &-= 1 }
        guard lower < upper else { return nil }

        lex(through: upper)
        // First token ending after `lower` (binary search: tokens are sorted and disjoint).
        var low = 0
        var high = tokens.count
        while low < high {
            let middle = (low &+ high) / 2
            if tokens[middle].end <= lower { low = middle &+ 1 } else { high = middle }
        }
        var last = low
        while last < tokens.count, tokens[last].start < upper { last &+= 1 }
        let covered = tokens[low..<last]
        guard let first = covered.first else { return nil }

        if covered.count == 1 {
            return singleTokenReason(first, lower: lower, upper: upper).map { ($0, true) }
        }
        if isBenignMultiToken(covered, lower: lower, upper: upper) { return nil }
        return (multiTokenReason(covered, lower: lower), false)
    }

    /// A parameter inside one token is in place, unless it is that whole token and the token is a comment, an
    /// operator or a keyword that changes the statement.
    private func singleTokenReason(_ token: SQLToken, lower: Int, upper: Int) -> String? {
        guard token.start == lower, token.end == upper else { return nil }
        switch token.kind {
        case .comment:
            return "parameter is a whole SQL comment"
        case .operator:
            return "parameter is the SQL operator \(text(token))"
        case .word:
            // Alone, only a logic keyword changes what a statement does (`OR` for `AND`); `UNION` or `DROP` need more.
            if let keyword = SQLKeyword.lookup(bytes, token.range), keyword.category == .logic {
                return "parameter is the SQL keyword \(keyword.name)"
            }
            return nil
        default:
            return nil
        }
    }

    /// Shapes of several tokens that still denote values in place: a qualified name (`users.name`, `"s"."t"`), a
    /// signed number (`-5`), or a list of numbers (`1,2,3` in `IN (…)`), covered exactly.
    private func isBenignMultiToken(_ covered: ArraySlice<SQLToken>, lower: Int, upper: Int) -> Bool {
        guard let first = covered.first, let last = covered.last, first.start == lower, last.end == upper else {
            return false
        }
        if isNumberList(covered) { return true }
        var expectName = true
        for token in covered {
            if expectName {
                switch token.kind {
                case .quotedIdentifier where token.isTerminated:
                    break
                case .word where SQLKeyword.lookup(bytes, token.range) == nil:
                    break
                default:
                    return false
                }
            } else if token.kind != .dot {
                return false
            }
            expectName.toggle()
        }
        return !expectName
    }

    /// Signed numbers separated by commas: `-5`, `1, 2, 3`.
    private func isNumberList(_ covered: ArraySlice<SQLToken>) -> Bool {
        var expectNumber = true
        var index = covered.startIndex
        while index < covered.endIndex {
            let token = covered[index]
            if expectNumber {
                if token.kind == .operator, token.end &- token.start == 1,
                   bytes[token.start] == UInt8(ascii: "-") || bytes[token.start] == UInt8(ascii: "+"),
                   index &+ 1 < covered.endIndex, covered[index &+ 1].kind == .number,
                   covered[index &+ 1].start == token.end {
                    index &+= 1
                    continue
                }
                guard token.kind == .number else { return false }
            } else if token.kind != .comma {
                return false
            }
            expectNumber.toggle()
            index &+= 1
        }
        return !expectNumber
    }

    private func multiTokenReason(_ covered: ArraySlice<SQLToken>, lower: Int) -> String {
        var keyword: SQLKeyword?
        var addsComment = false
        var operatorText: String?
        var addsStatementSeparator = false
        for token in covered where token.start >= lower {
            switch token.kind {
            case .word:
                if let found = SQLKeyword.lookup(bytes, token.range) {
                    if keyword == nil || (!(keyword?.changesStatementAlone ?? false) && found.changesStatementAlone) {
                        keyword = found
                    }
                }
            case .comment: addsComment = true
            case .operator: if operatorText == nil { operatorText = text(token) }
            case .semicolon: addsStatementSeparator = true
            default: break
            }
        }
        var reason = "parameter"
        if let first = covered.first, first.start < lower {
            switch first.kind {
            case .string: reason += " closes the string literal it was placed in,"
            case .quotedIdentifier: reason += " closes the quoted identifier it was placed in,"
            default: break
            }
        }
        reason += " spans \(covered.count) SQL tokens"
        var additions: [String] = []
        if let keyword { additions.append("the keyword \(keyword.name)") }
        if addsStatementSeparator { additions.append("a statement separator") }
        if addsComment { additions.append("a comment") }
        if additions.isEmpty, let operatorText { additions.append("the operator \(operatorText)") }
        if !additions.isEmpty {
            reason += " and adds " + additions.joined(separator: ", ")
        }
        return reason
    }

    private func text(_ token: SQLToken) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]), as: UTF8.self)
    }
}
