/// Engine settings fixed when a `WAF` is built.
public struct WAFConfiguration: Sendable {
    public var limits: WAFLimits
    /// Redaction applied to events; nil keeps values as matched.
    public var obfuscator: Obfuscator?

    public init(limits: WAFLimits = .default, obfuscator: Obfuscator? = Obfuscator.standard) {
        self.limits = limits
        self.obfuscator = obfuscator
    }
}
