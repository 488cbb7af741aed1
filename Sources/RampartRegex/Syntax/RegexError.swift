/// Why a pattern was rejected, and where.
///
/// `offset` is a UTF-8 byte offset into `pattern`, pointing at the construct that failed.
public struct RegexError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A construct RE2 deliberately does not support (backreference, lookaround, possessive repeat, atomic group, ...).
        case unsupported(String)
        case missingClosingParenthesis
        case unexpectedClosingParenthesis
        case missingClosingBracket
        case invalidEscape(String)
        case invalidCharacterRange(String)
        case invalidCharacterClass(String)
        case invalidUnicodeClass(String)
        case invalidRepetition(String)
        /// `{n,m}` with a bound over RE2's limit of 1000.
        case repetitionTooLarge
        /// A repetition operator with nothing before it (`*a`, `a**` is allowed by RE2 only in some forms).
        case missingRepetitionArgument
        case invalidGroupName(String)
        case duplicateGroupName(String)
        case invalidFlags(String)
        case trailingBackslash
        /// The pattern is not valid UTF-8.
        case invalidUTF8
        /// Nesting deeper than the parser's limit.
        case nestingTooDeep
        /// The compiled program would exceed the configured size limit.
        case programTooLarge(limit: Int)
    }

    public let kind: Kind
    /// UTF-8 byte offset in the pattern.
    public let offset: Int
    public let pattern: String

    public init(_ kind: Kind, offset: Int, pattern: String) {
        self.kind = kind
        self.offset = offset
        self.pattern = pattern
    }

    public var description: String {
        let what: String
        switch kind {
        case .unsupported(let construct): what = "unsupported construct: \(construct)"
        case .missingClosingParenthesis: what = "missing closing )"
        case .unexpectedClosingParenthesis: what = "unexpected )"
        case .missingClosingBracket: what = "missing closing ]"
        case .invalidEscape(let text): what = "invalid escape sequence: \(text)"
        case .invalidCharacterRange(let text): what = "invalid character class range: \(text)"
        case .invalidCharacterClass(let text): what = "invalid character class: \(text)"
        case .invalidUnicodeClass(let text): what = "invalid Unicode class: \(text)"
        case .invalidRepetition(let text): what = "invalid repetition: \(text)"
        case .repetitionTooLarge: what = "bad repetition operator: bound exceeds 1000"
        case .missingRepetitionArgument: what = "missing argument to repetition operator"
        case .invalidGroupName(let name): what = "invalid named capture group: \(name)"
        case .duplicateGroupName(let name): what = "duplicate capture group name: \(name)"
        case .invalidFlags(let text): what = "invalid or unsupported flags: \(text)"
        case .trailingBackslash: what = "trailing \\"
        case .invalidUTF8: what = "invalid UTF-8 in pattern"
        case .nestingTooDeep: what = "pattern nests too deeply"
        case .programTooLarge(let limit): what = "pattern too large: compiled program exceeds \(limit) instructions"
        }
        return "\(what) at offset \(offset) in pattern"
    }
}
