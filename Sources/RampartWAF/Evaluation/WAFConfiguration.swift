/// Engine settings fixed when a `WAF` is built.
public struct WAFConfiguration: Sendable {
    public var limits: WAFLimits
    /// Redaction applied to events; nil keeps values as matched.
    public var obfuscator: Obfuscator?
    /// How many strings found clean (no condition matched) are remembered so repeated values (common headers,
    /// cookies, parameter values) are not scanned again; 0 disables it. Bounded memory: about this many strings of
    /// at most 512 bytes.
    public var cleanValueCacheCapacity: Int

    public init(
        limits: WAFLimits = .default, obfuscator: Obfuscator? = Obfuscator.standard, cleanValueCacheCapacity: Int = 4096
    ) {
        self.limits = limits
        self.obfuscator = obfuscator
        self.cleanValueCacheCapacity = cleanValueCacheCapacity
    }
}
