/// A small recursive-descent grammar over token shapes: it accepts only what an injected SQL fragment must look like
/// to execute, and records the evidence it met (comparisons of literals, function calls, subqueries).
struct SQLShapeParser {
    struct Evidence {
        /// A comparison with a literal, function or subquery on at least one side (`1=1`, `name='x'`).
        var comparisonWithLiteral = false
        /// A comparison of two literals (`'x'='x'`, `1=1`): a tautology or contradiction.
        var comparisonOfLiterals = false
        /// Any comparison, even of two names (`x=x`).
        var anyComparison = false
        /// `AND`/`OR` joined two operands.
        var usedLogic = false
        var functionName: String?
        var calledKnownFunction = false
        var calledDangerousFunction = false
        var subquery = false
        /// Parentheses nested deeper than `maximumDepth`: no query needs that, it is padding to exhaust a parser.
        var excessiveNesting = false
    }

    /// Recursion bound: deeper nesting is skipped (iteratively) and counted as evidence.
    static let maximumDepth = 32
    private var depth = 0

    let shapes: [SQLShape]
    let bytes: UnsafeBufferPointer<UInt8>
    var evidence = Evidence()

    init(shapes: [SQLShape], bytes: UnsafeBufferPointer<UInt8>) {
        self.shapes = shapes
        self.bytes = bytes
    }

    // MARK: Verdict

    /// The injected construct, described as the end of a sentence, or nil when the shapes are not an injection.
    mutating func injection(context: SQLiContext) -> String? {
        let quoted = context != .unquoted
        // Unquoted words alone — no number, quote, operator or punctuation — are prose, even when they happen to
        // spell SQL ("union select ls from profile drop …").
        if !quoted, shapes.allSatisfy({ $0.token.kind == .word }) { return nil }
        // An unquoted value that starts with a number replaces a number the application meant to write.
        let numericStart = !quoted && (kind(at: 0) == .number || (kind(at: 0) == .operator && kind(at: 1) == .number))
        var index = 0
        var leftIsLiteral = true
        // Unquoted and starting with an operator word: appended after an operand the application wrote.
        var appended = false
        if quoted {
            index = 1  // the literal the value closed
        } else if let first = kind(at: 0), first == .setOperation || first == .semicolon || first == .statement
                    || first == .keyword || (first == .logic && !isWord(at: 0, "NOT")) {
            // ` AND SLEEP(5)`, ` UNION SELECT 1`: the value is appended after an operand the application wrote.
            // A clause only counts with numbers (` ORDER BY 3--`), not words ("order by 5pm -- thanks").
            if first == .keyword {
                let numberIndex = isWord(at: 1, "BY") ? 2 : 1
                guard kind(at: numberIndex) == .number || isWord(at: 0, "PROCEDURE") || isWord(at: 0, "INTO") else {
                    return nil
                }
            }
            index = 0
            appended = true
        } else {
            guard let (next, literal) = operand(at: 0) else { return nil }
            if onlyComments(from: next) {
                if evidence.subquery, kind(at: 0) == .open { return "is a subquery" }
                if evidence.calledDangerousFunction, let name = evidence.functionName {
                    return "calls the SQL function \(name)"
                }
                if numericStart, hasTerseComment(from: next) { return "comments out the rest of the statement" }
                return nil
            }
            index = next
            leftIsLiteral = literal
        }
        let afterOperand = index
        while kind(at: index) == .close { index &+= 1 }
        // `')…`, `1)…`: the value closes a parenthesis the application opened.
        let closesParenthesis = (quoted || numericStart) && index > afterOperand
        guard let continuation = kind(at: index) else { return nil }

        switch continuation {
        case .comment:
            // `admin'--`, `admin'#`: a bare cut-off marker. `"#section"` in markup is a fragment link, not a cut.
            return quoted && hasTerseComment(from: index)
                ? "comments out the rest of the statement" : nil

        case .logic:
            guard !isWord(at: index, "NOT"), let end = expression(at: index &+ 1) else { return nil }
            let clauseEnd = trailingClauses(at: end)
            let complete = onlyComments(from: clauseEnd)
            // `' AND 1=0 UNION SELECT …`, `1 OR 1=1; DROP …`: the condition leads into a second construct.
            if !complete, let chained = setOperationOrStackedStatement(at: clauseEnd) { return chained }
            // After closing a quote, the breakout is evidence already: a condition is enough even when what
            // follows it does not parse (`' OR 'a'='a AND '1'='1`).
            let strong = evidence.comparisonOfLiterals || evidence.subquery || evidence.calledKnownFunction
            guard complete || quoted || strong else { return nil }
            let word = text(at: index).uppercased()
            if evidence.subquery { return "adds \(word) with a subquery" }
            if evidence.excessiveNesting { return "adds \(word) with parentheses nested over \(Self.maximumDepth) deep" }
            if let name = evidence.functionName, quoted || evidence.calledKnownFunction {
                return "adds \(word) with a call to \(name)"
            }
            if evidence.comparisonWithLiteral || (quoted && evidence.anyComparison) {
                return "adds \(word) with a comparison"
            }
            if complete, end == index &+ 2, isConstant(at: index &+ 1),
               quoted || ((numericStart || appended) && (kind(at: index &+ 1) != .number || hasTerseComment(from: clauseEnd))) {
                return "adds \(word) with the constant \(text(at: index &+ 1))"
            }
            if complete, closesParenthesis, evidence.anyComparison || (end == index &+ 2 && isConstant(at: index &+ 1)) {
                return "closes a parenthesis and adds \(word)"
            }
            if complete, numericStart || appended, evidence.anyComparison, hasTerseComment(from: clauseEnd) {
                return "adds \(word) with a comparison and comments out the rest of the statement"
            }
            return nil

        case .setOperation, .semicolon:
            return setOperationOrStackedStatement(at: index)

        case .comparison, .operator:
            guard let end = expressionTail(at: index, leftIsLiteral: leftIsLiteral) else { return nil }
            let clauseEnd = trailingClauses(at: end)
            guard onlyComments(from: clauseEnd) else { return setOperationOrStackedStatement(at: clauseEnd) }
            if evidence.subquery { return "adds an expression with a subquery" }
            if let name = evidence.functionName, quoted || evidence.calledKnownFunction {
                return "adds an expression calling \(name)"
            }
            if quoted, evidence.comparisonOfLiterals { return "adds a comparison of literals" }
            if numericStart, evidence.usedLogic, evidence.comparisonWithLiteral {
                return "adds a condition with a comparison"
            }
            if quoted ? hasComment(from: clauseEnd) : numericStart && hasTerseComment(from: clauseEnd) {
                return "adds an expression and comments out the rest of the statement"
            }
            if closesParenthesis { return "closes a parenthesis and adds an expression" }
            return nil

        case .keyword:
            let clauseEnd = trailingClauses(at: index)
            guard clauseEnd > index else { return nil }
            var clause = text(at: index).uppercased()
            if clause == "INTO" || clause == "PROCEDURE" { return "adds \(clause)" }
            if clause == "ORDER" || clause == "GROUP" { clause += " BY" }
            let numeric = kind(at: isWord(at: index &+ 1, "BY") ? index &+ 2 : index &+ 1) == .number
            if onlyComments(from: clauseEnd) {
                if quoted ? hasComment(from: clauseEnd) : hasTerseComment(from: clauseEnd) {
                    return "adds \(clause) and comments out the rest of the statement"
                }
                if quoted || numericStart, numeric { return "adds \(clause)" }
                return nil
            }
            if let chained = setOperationOrStackedStatement(at: clauseEnd) { return chained }
            return quoted && numeric ? "adds \(clause)" : nil

        case .statement:
            if isWord(at: index, "WAITFOR"), isWord(at: index &+ 1, "DELAY") || isWord(at: index &+ 1, "TIME") {
                return "adds WAITFOR \(text(at: index &+ 1).uppercased())"
            }
            return nil

        default:
            return nil
        }
    }

    /// `UNION [ALL] SELECT …` or `; <statement>` at `index`.
    func setOperationOrStackedStatement(at index: Int) -> String? {
        switch kind(at: index) {
        case .setOperation:
            var next = index &+ 1
            if isWord(at: next, "ALL") || isWord(at: next, "DISTINCT") { next &+= 1 }
            while kind(at: next) == .open { next &+= 1 }
            guard isWord(at: next, "SELECT"), selectList(at: next &+ 1) else { return nil }
            return "adds \(text(at: index).uppercased()) SELECT"
        case .semicolon:
            guard let statement = stackedStatement(at: index &+ 1) else { return nil }
            return "ends the statement and starts another: \(statement)"
        default:
            return nil
        }
    }

    // MARK: Grammar

    /// One operand; `literal` when its value does not come from a column (number, string, call, subquery).
    mutating func operand(at index: Int) -> (next: Int, literal: Bool)? {
        guard let shape = peek(index) else { return nil }
        switch shape.kind {
        case .string, .number, .variable:
            return (index &+ 1, true)
        case .open:
            if isWord(at: index &+ 1, "SELECT") {
                evidence.subquery = true
                return (skipBalanced(from: index), true)
            }
            if depth >= Self.maximumDepth {
                evidence.excessiveNesting = true
                return (skipBalanced(from: index), true)
            }
            depth &+= 1
            defer { depth &-= 1 }
            guard var next = expression(at: index &+ 1) else { return nil }
            while kind(at: next) == .comma, let following = expression(at: next &+ 1) { next = following }
            if kind(at: next) == .close { return (next &+ 1, true) }
            return next >= shapes.count ? (next, true) : nil
        case .operator:
            let byte = bytes[shape.token.start]
            guard shape.token.end &- shape.token.start == 1,
                  byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "~")
                    || byte == UInt8(ascii: "!") else { return nil }
            return prefixed(at: index &+ 1)
        case .logic:
            guard isWord(at: index, "NOT") else { return nil }
            return prefixed(at: index &+ 1)
        case .function:
            noteCall(shape)
            if isWord(at: index &+ 2, "SELECT") { evidence.subquery = true }
            return (skipBalanced(from: index &+ 1), true)
        case .name:
            var next = index &+ 1
            while kind(at: next) == .dot, let following = peek(next &+ 1) {
                if following.kind == .function {
                    noteCall(following)
                    return (skipBalanced(from: next &+ 2), true)
                }
                guard following.kind == .name || following.kind == .keyword else { break }
                next &+= 2
            }
            return (next, false)
        case .keyword:
            guard let keyword = shape.keyword else { return nil }
            if keyword.category == .literal { return (index &+ 1, true) }
            if keyword.name == "CASE" {
                var next = index &+ 1
                while next < shapes.count, !isWord(at: next, "END") { next &+= 1 }
                return (min(next &+ 1, shapes.count), true)
            }
            return nil
        case .comparison:
            // EXISTS (SELECT …)
            guard isWord(at: index, "EXISTS"), kind(at: index &+ 1) == .open else { return nil }
            return operand(at: index &+ 1)
        default:
            return nil
        }
    }

    /// The operand after a prefix operator (`-`, `NOT`), with the same recursion bound as parentheses.
    private mutating func prefixed(at index: Int) -> (next: Int, literal: Bool)? {
        guard depth < Self.maximumDepth else {
            evidence.excessiveNesting = true
            return nil
        }
        depth &+= 1
        defer { depth &-= 1 }
        return operand(at: index)
    }

    /// operand (binary-operator operand)*; the index after it.
    mutating func expression(at index: Int) -> Int? {
        guard let (next, literal) = operand(at: index) else { return nil }
        return expressionTail(at: next, leftIsLiteral: literal) ?? next
    }

    /// (binary-operator operand)* starting at `index`; nil when an operator has no operand after it.
    mutating func expressionTail(at index: Int, leftIsLiteral: Bool) -> Int? {
        var index = index
        var leftLiteral = leftIsLiteral
        while let shape = peek(index) {
            var operatorEnd = index &+ 1
            let isComparison: Bool
            switch shape.kind {
            case .comparison:
                isComparison = true
                // EXISTS is not binary; IN needs a parenthesised list.
                if isWord(at: index, "EXISTS") { return index }
                if isWord(at: index, "IN"), kind(at: operatorEnd) != .open { return index }
                if isWord(at: index, "IS"), isWord(at: operatorEnd, "NOT") { operatorEnd &+= 1 }
                if isWord(at: index, "SOUNDS"), isWord(at: operatorEnd, "LIKE") { operatorEnd &+= 1 }
                if isWord(at: index, "SIMILAR"), isWord(at: operatorEnd, "TO") { operatorEnd &+= 1 }
            case .operator:
                isComparison = false
            case .logic:
                if isWord(at: index, "NOT") {
                    guard kind(at: operatorEnd) == .comparison else { return index }
                    operatorEnd &+= 1
                    isComparison = true
                } else {
                    isComparison = false
                    evidence.usedLogic = true
                }
            default:
                return index
            }
            guard let (next, rightLiteral) = operand(at: operatorEnd) else { return nil }
            if isComparison {
                evidence.anyComparison = true
                if leftLiteral || rightLiteral { evidence.comparisonWithLiteral = true }
                if leftLiteral && rightLiteral { evidence.comparisonOfLiterals = true }
            }
            leftLiteral = rightLiteral
            index = next
        }
        return index
    }

    /// ORDER BY / GROUP BY lists, HAVING, LIMIT, OFFSET, INTO OUTFILE, PROCEDURE after an injected condition.
    mutating func trailingClauses(at index: Int) -> Int {
        var index = index
        while true {
            if (isWord(at: index, "ORDER") || isWord(at: index, "GROUP")), isWord(at: index &+ 1, "BY") {
                guard var next = expression(at: index &+ 2) else { return index }
                while true {
                    if isWord(at: next, "ASC") || isWord(at: next, "DESC") { next &+= 1 }
                    guard kind(at: next) == .comma, let following = expression(at: next &+ 1) else { break }
                    next = following
                }
                index = next
            } else if isWord(at: index, "LIMIT") || isWord(at: index, "OFFSET") || isWord(at: index, "HAVING") {
                guard var next = expression(at: index &+ 1) else { return index }
                if kind(at: next) == .comma, let following = expression(at: next &+ 1) { next = following }
                index = next
            } else if isWord(at: index, "INTO"), isWord(at: index &+ 1, "OUTFILE") || isWord(at: index &+ 1, "DUMPFILE"),
                      kind(at: index &+ 2) == .string {
                index &+= 3
            } else if isWord(at: index, "PROCEDURE"), kind(at: index &+ 1) == .function {
                index = skipBalanced(from: index &+ 2)
            } else {
                return index
            }
        }
    }

    /// The start of a `SELECT` list that reads like SQL rather than prose.
    func selectList(at index: Int) -> Bool {
        var index = index
        while isWord(at: index, "DISTINCT") || isWord(at: index, "ALL") { index &+= 1 }
        if isWord(at: index, "TOP"), kind(at: index &+ 1) == .number { index &+= 2 }
        guard let first = peek(index) else { return false }
        switch first.kind {
        case .number, .string, .variable, .function, .open:
            return true
        case .keyword:
            return first.keyword?.category == .literal || first.keyword?.name == "CASE"
        case .operator:
            let byte = bytes[first.token.start]
            return byte == UInt8(ascii: "*") || (byte == UInt8(ascii: "-") && kind(at: index &+ 1) == .number)
        case .name:
            guard let following = peek(index &+ 1) else { return true }
            switch following.kind {
            case .comma, .dot, .comment: return true
            default: return isWord(at: index &+ 1, "FROM") || isWord(at: index &+ 1, "AS") || isWord(at: index &+ 1, "INTO")
            }
        default:
            return false
        }
    }

    /// A statement stacked after `;`, described, or nil when the words after `;` are not a statement.
    func stackedStatement(at index: Int) -> String? {
        guard let shape = peek(index), shape.kind == .statement, let keyword = shape.keyword else { return nil }
        let next = peek(index &+ 1)
        let nextKeyword = next?.keyword?.name
        let valid: Bool
        switch keyword.name {
        case "SELECT": valid = selectList(at: index &+ 1)
        case "INSERT", "REPLACE": valid = nextKeyword == "INTO"
        case "UPDATE": valid = next?.kind == .name && isWord(at: index &+ 2, "SET")
        case "DELETE": valid = nextKeyword == "FROM" || (next?.kind == .name && onlyComments(from: index &+ 2))
        case "DROP", "CREATE", "ALTER":
            valid = ["TABLE", "DATABASE", "SCHEMA", "VIEW", "INDEX", "TRIGGER", "FUNCTION", "PROCEDURE", "USER"]
                .contains(nextKeyword ?? "")
        case "TRUNCATE": valid = nextKeyword == "TABLE" || next?.kind == .name
        case "EXEC", "EXECUTE", "CALL": valid = next?.kind == .name || next?.kind == .function || next?.kind == .open
            || next?.kind == .variable
        case "WAITFOR": valid = nextKeyword == "DELAY" || isWord(at: index &+ 1, "TIME")
        case "DECLARE": valid = next?.kind == .variable
        case "SHUTDOWN": valid = onlyComments(from: index &+ 1) || isWord(at: index &+ 1, "WITH")
        case "GRANT", "REVOKE", "KILL", "LOAD", "HANDLER", "ATTACH", "PRAGMA", "OPENROWSET", "DBCC":
            valid = next != nil && next?.kind != .comment
        default: valid = false
        }
        guard valid else { return nil }
        if let nextKeyword, keyword.name != "SELECT" { return "\(keyword.name) \(nextKeyword)" }
        return keyword.name
    }

    // MARK: Helpers

    mutating func noteCall(_ shape: SQLShape) {
        let range = shape.token.range
        if evidence.functionName == nil || SQLFunctions.isKnown(bytes, range) && !evidence.calledKnownFunction {
            evidence.functionName = text(shape.token)
        }
        if SQLFunctions.isKnown(bytes, range) { evidence.calledKnownFunction = true }
        if SQLFunctions.isDangerous(bytes, range) { evidence.calledDangerousFunction = true }
    }

    /// The index after the `)` matching the `(` at `openIndex` (the end when unbalanced).
    func skipBalanced(from openIndex: Int) -> Int {
        var depth = 0
        var index = openIndex
        while index < shapes.count {
            switch shapes[index].kind {
            case .open: depth &+= 1
            case .close:
                depth &-= 1
                if depth <= 0 { return index &+ 1 }
            default: break
            }
            index &+= 1
        }
        return shapes.count
    }

    /// A number, variable or `TRUE`: a condition that is constant on its own (`' OR 1--`).
    func isConstant(at index: Int) -> Bool {
        switch kind(at: index) {
        case .number, .variable: return true
        case .keyword: return isWord(at: index, "TRUE")
        default: return false
        }
    }

    /// A comment with no letters (`--`, `-- -`, `--+`, `#`, `/*`): the cut-off marker of an injection, unlike
    /// the prose after a dash in "5 -- great product".
    func hasTerseComment(from index: Int) -> Bool {
        var index = index
        while index < shapes.count {
            let token = shapes[index].token
            if shapes[index].kind == .comment {
                // A trailing `%00` (see `SQLiStringDetector`) is a terminator.
                if bytes[token.start] == UInt8(ascii: "%") { return true }
                var offset = token.start
                while offset < token.end, !SQLBytes.isLetter(bytes[offset]), !SQLBytes.isDigit(bytes[offset]) {
                    offset &+= 1
                }
                return offset == token.end
            }
            index &+= 1
        }
        return false
    }

    func hasComment(from index: Int) -> Bool {
        var index = index
        while index < shapes.count {
            if shapes[index].kind == .comment { return true }
            index &+= 1
        }
        return false
    }

    /// Whether nothing but the statement's cut-off tail follows `index`: semicolons, comments, and at the very end a
    /// string left open (the application's own closing quote will end it).
    func onlyComments(from index: Int) -> Bool {
        var index = index
        while index < shapes.count {
            let shape = shapes[index]
            switch shape.kind {
            case .comment, .semicolon:
                break
            case .string where !shape.token.isTerminated && index &+ 1 == shapes.count && index > 0:
                break
            default:
                return false
            }
            index &+= 1
        }
        return true
    }

    func peek(_ index: Int) -> SQLShape? {
        index >= 0 && index < shapes.count ? shapes[index] : nil
    }

    func kind(at index: Int) -> SQLShapeKind? { peek(index)?.kind }

    func isWord(at index: Int, _ upperCased: String) -> Bool {
        guard let shape = peek(index), shape.token.kind == .word else { return false }
        let token = shape.token
        guard token.end &- token.start == upperCased.utf8.count else { return false }
        var offset = token.start
        for expected in upperCased.utf8 {
            var byte = bytes[offset]
            if byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z") { byte &-= 0x20 }
            if byte != expected { return false }
            offset &+= 1
        }
        return true
    }

    func text(at index: Int) -> String {
        guard let shape = peek(index) else { return "" }
        return text(shape.token)
    }

    func text(_ token: SQLToken) -> String {
        let start = max(0, token.start)
        let end = min(bytes.count, token.end)
        guard start < end else { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
}
