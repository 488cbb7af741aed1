/// Resource limits applied to one compiled regex (or one `RegexSet`).
public struct RegexLimits: Sendable, Hashable {
    /// The most NFA instructions one compiled program may hold; larger patterns fail with `.programTooLarge`.
    public var maxProgramSize: Int
    /// Memory the lazy DFA may use for cached states per automaton and per concurrent user; when full, the cache
    /// is cleared, and a search that keeps filling it falls back to the Pike VM.
    public var dfaCacheBytes: Int

    public init(maxProgramSize: Int = 100_000, dfaCacheBytes: Int = 2 << 20) {
        self.maxProgramSize = maxProgramSize
        self.dfaCacheBytes = dfaCacheBytes
    }

    public static let `default` = RegexLimits()
}
