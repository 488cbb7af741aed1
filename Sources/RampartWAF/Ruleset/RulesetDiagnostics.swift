/// What loading a ruleset did, section by section, in libddwaf's diagnostics shape.
public struct RulesetDiagnostics: Sendable, Codable, Hashable {
    /// Per-section outcome: which entries loaded, failed or were skipped, and errors grouped by message.
    public struct Section: Sendable, Codable, Hashable {
        public var loaded: [String] = []
        public var failed: [String] = []
        public var skipped: [String] = []
        /// message → ids of the entries that failed with it.
        public var errors: [String: [String]] = [:]
        /// message → ids of the entries skipped or loaded with a warning.
        public var warnings: [String: [String]] = [:]
        /// A problem with the section itself (not an array, ...).
        public var error: String?

        public init() {}

        mutating func recordLoaded(_ id: String) { loaded.append(id) }

        mutating func recordFailure(_ id: String, _ problem: RulesetError) {
            if problem.isSkip {
                skipped.append(id)
                warnings[problem.message, default: []].append(id)
            } else {
                failed.append(id)
                errors[problem.message, default: []].append(id)
            }
        }
    }

    public var rules: Section?
    /// `rules_compat`: base rules gated by engine version.
    public var rulesCompat: Section?
    public var customRules: Section?
    public var rulesData: Section?
    public var exclusions: Section?
    public var rulesOverride: Section?
    public var actions: Section?
    public var processors: Section?
    public var scanners: Section?
    public var rulesetVersion: String?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case rules
        case rulesCompat = "rules_compat"
        case customRules = "custom_rules"
        case rulesData = "rules_data"
        case exclusions
        case rulesOverride = "rules_override"
        case actions, processors, scanners
        case rulesetVersion = "ruleset_version"
    }

    /// True when some entry failed (not merely skipped) or a section was malformed.
    public var hasErrors: Bool {
        [rules, rulesCompat, customRules, rulesData, exclusions, rulesOverride, actions, processors, scanners]
            .contains { section in
                guard let section else { return false }
                return !section.failed.isEmpty || section.error != nil
            }
    }

    /// Rule ids that loaded (base and custom).
    public var loadedRuleIDs: [String] { (rules?.loaded ?? []) + (customRules?.loaded ?? []) }
    public var failedRuleIDs: [String] { (rules?.failed ?? []) + (customRules?.failed ?? []) }
    public var skippedRuleIDs: [String] { (rules?.skipped ?? []) + (customRules?.skipped ?? []) }
}

/// The document could not be used at all.
public struct WAFLoadError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let diagnostics: RulesetDiagnostics

    public init(message: String, diagnostics: RulesetDiagnostics = .init()) {
        self.message = message
        self.diagnostics = diagnostics
    }

    public var description: String { message }
}
