/// A compiled ruleset, immutable and shareable across threads. Make one `WAFContext` per request.
public final class WAF: Sendable {
    /// What loading did: loaded, failed and skipped rules and entries, errors grouped by message.
    public let diagnostics: RulesetDiagnostics
    public let configuration: WAFConfiguration
    let ruleset: CompiledRuleset
    /// The document's sections, kept so an update can replace only the sections it carries.
    let sections: [String: WAFValue]
    let artifacts: CompiledArtifacts
    /// Strings this ruleset's address scans found clean (nil when disabled).
    let cleanValues: CleanValueCache?

    /// `metadata.rules_version` of the ruleset.
    public var rulesetVersion: String? { diagnostics.rulesetVersion }

    /// Addresses some rule or exclusion reads: data under other addresses need not be collected.
    public var requiredAddresses: Set<String> { ruleset.requiredAddresses }

    /// Ids of the rules that are evaluated.
    public var ruleIDs: [String] { ruleset.rules.map(\.id) }

    /// Loads a libddwaf JSON ruleset. Throws only when the document is unusable (not JSON, not an object, or no
    /// usable rule at all); otherwise `diagnostics` lists what could not be loaded.
    public convenience init(rulesetJSON: String, configuration: WAFConfiguration = .init()) throws(WAFLoadError) {
        try self.init(rulesetJSON: Array(rulesetJSON.utf8), configuration: configuration)
    }

    public convenience init(rulesetJSON: [UInt8], configuration: WAFConfiguration = .init()) throws(WAFLoadError) {
        let sections = try Self.sections(of: rulesetJSON)
        try self.init(sections: sections, configuration: configuration, artifacts: CompiledArtifacts())
    }

    init(sections: [String: WAFValue], configuration: WAFConfiguration, artifacts: CompiledArtifacts)
        throws(WAFLoadError)
    {
        let compiler = RulesetCompiler(limits: configuration.limits, artifacts: artifacts)
        let (ruleset, diagnostics) = compiler.compile(sections)
        let hasAnyRule = sections["rules"] != nil || sections["custom_rules"] != nil
        if !hasAnyRule && sections["exclusions"] == nil && sections["rules_data"] == nil
            && sections["rules_override"] == nil && sections["actions"] == nil
        {
            throw WAFLoadError(message: "the ruleset has no rules", diagnostics: diagnostics)
        }
        if hasAnyRule && ruleset.rules.isEmpty {
            throw WAFLoadError(message: "no rule of the ruleset could be loaded", diagnostics: diagnostics)
        }
        self.diagnostics = diagnostics
        self.configuration = configuration
        self.ruleset = ruleset
        self.sections = sections
        self.artifacts = artifacts
        cleanValues = CleanValueCache(capacity: configuration.cleanValueCacheCapacity)
    }

    /// A new WAF with the sections present in `rulesetJSON` (rules, custom_rules, rules_data, exclusions,
    /// rules_override, actions, ...) replacing this one's. Compiled regexes and tables are shared.
    public func updating(rulesetJSON: [UInt8]) throws(WAFLoadError) -> WAF {
        var merged = sections
        for (key, value) in try Self.sections(of: rulesetJSON) { merged[key] = value }
        return try WAF(sections: merged, configuration: configuration, artifacts: artifacts)
    }

    public func updating(rulesetJSON: String) throws(WAFLoadError) -> WAF {
        try updating(rulesetJSON: Array(rulesetJSON.utf8))
    }

    public func makeContext() -> WAFContext {
        WAFContext(waf: self)
    }

    private static func sections(of json: [UInt8]) throws(WAFLoadError) -> [String: WAFValue] {
        let document: WAFValue
        do {
            document = try WAFValue(jsonBytes: json)
        } catch {
            throw WAFLoadError(message: "the ruleset is not valid JSON: \(error)")
        }
        guard case .map(let entries) = document else {
            throw WAFLoadError(message: "the ruleset must be a JSON object")
        }
        var sections: [String: WAFValue] = [:]
        for entry in entries { sections[entry.key] = entry.value }
        return sections
    }
}
