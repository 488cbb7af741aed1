/// The current `WAF` of an application, swapped atomically on ruleset updates. Contexts made before a swap
/// keep evaluating with the instance they were made from.
public final class WAFHandle: Sendable {
    private let instance: Locked<WAF>

    public init(_ waf: WAF) {
        instance = Locked(waf)
    }

    public var current: WAF { instance.withLock { $0 } }

    public func replace(with waf: WAF) {
        instance.withLock { $0 = waf }
    }

    /// Applies an update document to the current WAF and swaps the result in; on failure nothing changes.
    @discardableResult
    public func update(rulesetJSON: [UInt8]) throws(WAFLoadError) -> RulesetDiagnostics {
        let next = try current.updating(rulesetJSON: rulesetJSON)
        // Two concurrent updates both derive from the instance they read; the last swap wins, as with libddwaf
        // handles.
        replace(with: next)
        return next.diagnostics
    }

    @discardableResult
    public func update(rulesetJSON: String) throws(WAFLoadError) -> RulesetDiagnostics {
        try update(rulesetJSON: Array(rulesetJSON.utf8))
    }

    public func makeContext() -> WAFContext { current.makeContext() }
}
