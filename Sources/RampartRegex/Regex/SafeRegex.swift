/// A compiled regular expression with RE2's syntax and semantics, matched in time linear in the input.
///
/// Searches pick the cheapest engine that can answer: a plain literal is found by a byte scan; otherwise a
/// required-literal prefilter rejects most inputs, a lazy DFA finds whether and where a match ends (a reverse DFA
/// finds where it starts), and the Pike VM takes over when the DFA's cache thrashes. Spans are UTF-8 byte offsets
/// and follow RE2's leftmost-first rule. Safe to share between threads.
public final class SafeRegex: Sendable {
    public let pattern: String
    public let options: RegexOptions
    let strategy: MatchStrategy

    public init(_ pattern: String, options: RegexOptions = [], limits: RegexLimits = .default) throws(RegexError) {
        self.pattern = pattern
        self.options = options
        let hir = try RegexParser.parse(pattern, options: options)
        self.strategy = try MatchStrategy(hir: hir, pattern: pattern, limits: limits)
    }

    /// Builds a regex from an already parsed (or hand-built) `HIR`.
    public init(hir: HIR, pattern: String = "", options: RegexOptions = [], limits: RegexLimits = .default)
        throws(RegexError)
    {
        self.pattern = pattern
        self.options = options
        self.strategy = try MatchStrategy(hir: hir, pattern: pattern, limits: limits)
    }

    // MARK: matches

    public func matches(_ input: String) -> Bool {
        withContiguousBytes(input.utf8) { strategy.matches($0) }
    }

    public func matches(_ input: Substring) -> Bool {
        withContiguousBytes(input.utf8) { strategy.matches($0) }
    }

    public func matches<C: Collection>(_ input: C) -> Bool where C.Element == UInt8 {
        withContiguousBytes(input) { strategy.matches($0) }
    }

    public func matches(_ input: UnsafeRawBufferPointer) -> Bool {
        strategy.matches(input)
    }

    // MARK: firstMatch

    /// The leftmost-first match, as UTF-8 byte offsets into `input`.
    public func firstMatch(in input: String) -> Range<Int>? {
        withContiguousBytes(input.utf8) { strategy.firstMatch($0) }
    }

    /// The leftmost-first match, as UTF-8 byte offsets from the start of `input`.
    public func firstMatch(in input: Substring) -> Range<Int>? {
        withContiguousBytes(input.utf8) { strategy.firstMatch($0) }
    }

    /// The leftmost-first match, as offsets from the collection's first element.
    public func firstMatch<C: Collection>(in input: C) -> Range<Int>? where C.Element == UInt8 {
        withContiguousBytes(input) { strategy.firstMatch($0) }
    }

    public func firstMatch(in input: UnsafeRawBufferPointer) -> Range<Int>? {
        strategy.firstMatch(input)
    }
}
