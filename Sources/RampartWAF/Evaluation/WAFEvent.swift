/// Evaluation/: the compiled WAF, per-request contexts, and what a run reports (events, actions, timing).

/// One rule that matched, in libddwaf's event shape (encodes to the same JSON).
public struct WAFEvent: Sendable, Codable, Hashable {
    public var rule: RuleSummary
    public var ruleMatches: [RuleMatch]
    /// The id of the blocking/redirect action applied because of this rule, if any.
    public var securityResponseID: String?

    public init(rule: RuleSummary, ruleMatches: [RuleMatch], securityResponseID: String? = nil) {
        self.rule = rule
        self.ruleMatches = ruleMatches
        self.securityResponseID = securityResponseID
    }

    enum CodingKeys: String, CodingKey {
        case rule
        case ruleMatches = "rule_matches"
        case securityResponseID = "security_response_id"
    }
}

/// Identity of a rule as reported in events.
public struct RuleSummary: Sendable, Codable, Hashable {
    public var id: String
    public var name: String
    public var tags: [String: String]
    public var onMatch: [String]

    public init(id: String, name: String, tags: [String: String], onMatch: [String] = []) {
        self.id = id
        self.name = name
        self.tags = tags
        self.onMatch = onMatch
    }

    enum CodingKeys: String, CodingKey {
        case id, name, tags
        case onMatch = "on_match"
    }
}

/// Why one condition of a rule matched.
public struct RuleMatch: Sendable, Codable, Hashable {
    public var `operator`: String
    public var operatorValue: String
    public var parameters: [MatchParameter]

    public init(operator: String, operatorValue: String, parameters: [MatchParameter]) {
        self.operator = `operator`
        self.operatorValue = operatorValue
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey {
        case `operator`
        case operatorValue = "operator_value"
        case parameters
    }
}

/// The piece of request data a condition matched: where it is and what matched in it.
public struct MatchParameter: Sendable, Codable, Hashable {
    public var address: String
    public var keyPath: [KeyPathComponent]
    public var value: String
    public var highlight: [String]
    /// For structured operators (RASP detectors), which argument this is (`resource`, `params`, `db_type`);
    /// nil for scalar operators. Not part of the encoded event.
    public var name: String?

    public init(
        address: String, keyPath: [KeyPathComponent], value: String, highlight: [String], name: String? = nil
    ) {
        self.address = address
        self.keyPath = keyPath
        self.value = value
        self.highlight = highlight
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case address
        case keyPath = "key_path"
        case value, highlight
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        address = try container.decode(String.self, forKey: .address)
        value = try container.decodeIfPresent(String.self, forKey: .value) ?? ""
        highlight = try container.decodeIfPresent([String].self, forKey: .highlight) ?? []
        var path: [KeyPathComponent] = []
        if var components = try? container.nestedUnkeyedContainer(forKey: .keyPath) {
            while !components.isAtEnd {
                if let index = try? components.decode(Int.self) {
                    path.append(.index(index))
                } else {
                    path.append(.key(try components.decode(String.self)))
                }
            }
        }
        keyPath = path
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(address, forKey: .address)
        var components = container.nestedUnkeyedContainer(forKey: .keyPath)
        for component in keyPath {
            switch component {
            case .key(let key): try components.encode(key)
            case .index(let index): try components.encode(index)
            }
        }
        try container.encode(value, forKey: .value)
        try container.encode(highlight, forKey: .highlight)
    }
}
