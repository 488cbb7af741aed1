/// What a lexical unit of SQL is. Words are not split into keywords and identifiers here: `SQLKeyword.lookup`
/// classifies the few words a detector looks at.
public enum SQLTokenKind: UInt8, Sendable, Hashable {
    /// A bare word: keyword, identifier or function name.
    case word
    /// `"ident"`, `` `ident` ``, `[ident]`.
    case quotedIdentifier
    /// `'…'` in any quoting style (`E''`, `N''`, `X''`, `q'[…]'`, `$tag$…$tag$`, MySQL `"…"`).
    case string
    /// Integer, decimal, exponent or hexadecimal/binary literal.
    case number
    /// `=`, `<=`, `||`, `::`, `+`, …
    case `operator`
    case comma
    case semicolon
    case openParenthesis
    case closeParenthesis
    case dot
    /// `-- …`, `# …`, `/* … */`.
    case comment
    /// Bind parameters and variables: `?`, `?1`, `$1`, `:name`, `@var`, `@@version`.
    case placeholder
    /// A byte no SQL token starts with.
    case other
}

/// One token: its kind and its UTF-8 byte range in the tokenized text.
public struct SQLToken: Sendable, Hashable {
    public var kind: SQLTokenKind
    public var start: Int
    public var end: Int
    /// False for a string, quoted identifier or block comment that runs to the end of the input unclosed.
    public var isTerminated: Bool

    public init(kind: SQLTokenKind, start: Int, end: Int, isTerminated: Bool = true) {
        self.kind = kind
        self.start = start
        self.end = end
        self.isTerminated = isTerminated
    }

    public var range: Range<Int> { start..<end }
}
