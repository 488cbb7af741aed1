/// Why an event fired: one rule and the input it matched (a flattened libddwaf rule match).
public struct RuleMatchEvidence: Codable, Sendable, Hashable {
    public var ruleID: String
    public var ruleName: String
    /// The rule's `type` tag, e.g. `sql_injection`, `xss`, `lfi`; modes are set per category.
    public var category: String
    /// The rule's `crs_id` tag when it has one.
    public var crsID: String?
    /// e.g. `match_regex`, `is_sqli`, `sqli_detector`.
    public var `operator`: String
    /// The operator's argument (a regex pattern, a list name), empty when it has none.
    public var operatorValue: String
    /// e.g. `server.request.query`.
    public var address: String
    /// Keys and indices into the address's value, as strings (`["q", "0"]`).
    public var keyPath: [String]
    /// The matched input, scrubbed by the agent.
    public var value: String
    /// The parts of `value` that matched.
    public var highlight: [String]

    public init(
        ruleID: String, ruleName: String, category: String, crsID: String? = nil, operator: String,
        operatorValue: String = "", address: String, keyPath: [String] = [], value: String, highlight: [String] = []
    ) {
        self.ruleID = ruleID
        self.ruleName = ruleName
        self.category = category
        self.crsID = crsID
        self.operator = `operator`
        self.operatorValue = operatorValue
        self.address = address
        self.keyPath = keyPath
        self.value = value
        self.highlight = highlight
    }
}
