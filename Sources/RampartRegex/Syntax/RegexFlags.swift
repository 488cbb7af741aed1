/// Flags that change how a pattern is read, as RE2's `i m s U` (settable in the pattern with `(?flags)`).
public struct RegexOptions: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `i`: case-insensitive, with Unicode simple case folding.
    public static let caseInsensitive = RegexOptions(rawValue: 1 << 0)
    /// `m`: `^` and `$` match at line starts and ends.
    public static let multiline = RegexOptions(rawValue: 1 << 1)
    /// `s`: `.` matches `\n`.
    public static let dotMatchesNewline = RegexOptions(rawValue: 1 << 2)
    /// `U`: swap the meaning of `x*` and `x*?`.
    public static let ungreedy = RegexOptions(rawValue: 1 << 3)
}
