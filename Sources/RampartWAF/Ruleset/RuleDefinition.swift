/// A rule as compiled from the ruleset, before overrides and ordering.
struct CompiledRule: Sendable {
    let id: String
    let name: String
    let tags: [String: String]
    let module: RuleModule
    let source: RuleSource
    var enabled: Bool
    var onMatch: [String]
    let conditions: [CompiledCondition]
    /// `output.event == false` (rules that only set attributes): no event is reported.
    let reportsEvent: Bool
    /// `output.attributes` literal values set when the rule matches.
    let attributes: [String: WAFValue]

    var type: String { tags["type"] ?? "" }

    /// Every address the rule's conditions read.
    var addressIDs: Set<Int> {
        Set(conditions.flatMap { $0.inputs.map(\.addressID) })
    }
}

/// Interns address names to small integers while compiling.
final class AddressTable {
    private(set) var names: [String] = []
    private(set) var ids: [String: Int] = [:]

    func id(for address: String) -> Int {
        if let id = ids[address] { return id }
        let id = names.count
        names.append(address)
        ids[address] = id
        return id
    }
}

/// Reads `rules` / `custom_rules` entries.
struct RuleParser {
    /// The libddwaf version whose ruleset format and operator set this engine implements; rules declaring
    /// `min_version` above it or `max_version` below it are skipped, as libddwaf does.
    static let compatibilityVersion = SemanticVersion(major: 2, minor: 1, patch: 0)

    let addresses: AddressTable
    let rulesData: RulesDataStore
    let artifacts: CompiledArtifacts
    let limits: WAFLimits

    func parseRule(_ value: WAFValue, source: RuleSource) throws(RulesetError) -> CompiledRule {
        let object = try ConfigObject(value, name: "rule")
        let id = try object.string("id")
        if let minimum = try object.optionalString("min_version") {
            guard let version = SemanticVersion(minimum) else { throw RulesetError("invalid min_version '\(minimum)'") }
            if Self.compatibilityVersion < version {
                throw RulesetError("rule requires version \(minimum)", skip: true)
            }
        }
        if let maximum = try object.optionalString("max_version") {
            guard let version = SemanticVersion(maximum) else { throw RulesetError("invalid max_version '\(maximum)'") }
            if version < Self.compatibilityVersion {
                throw RulesetError("rule is only for versions up to \(maximum)", skip: true)
            }
        }
        let name = try object.string("name")
        guard let tags = try object.stringMap("tags") else { throw .missing("tags") }
        guard tags["type"] != nil else { throw .missing("tags.type") }
        let enabled = try object.bool("enabled") ?? true
        let onMatch = try object.stringArray("on_match") ?? []
        let ruleTransformers = try object.stringArray("transformers") ?? []
        let ruleChain = try parseTransformers(ruleTransformers)
        let conditionValues = try object.array("conditions")
        guard !conditionValues.isEmpty else { throw RulesetError("rule has no conditions") }
        var conditions: [CompiledCondition] = []
        for conditionValue in conditionValues {
            conditions.append(try parseCondition(conditionValue, ruleID: id, ruleChain: ruleChain))
        }
        var reportsEvent = true
        var attributes: [String: WAFValue] = [:]
        if let output = try object.object("output") {
            reportsEvent = try output.bool("event") ?? true
            if let attributeMap = try output.object("attributes") {
                for entry in attributeMap.entries {
                    if let literal = (try? ConfigObject(entry.value, name: entry.key))?["value"] {
                        attributes[entry.key] = literal
                    }
                }
            }
        }
        return CompiledRule(
            id: id, name: name, tags: tags, module: RuleModule(tag: tags["module"]), source: source, enabled: enabled,
            onMatch: onMatch, conditions: conditions, reportsEvent: reportsEvent, attributes: attributes)
    }

    /// Rule- or input-level transformer names → the data source and transformation chain they describe.
    func parseTransformers(_ names: [String]) throws(RulesetError) -> (source: DataSource, chain: TransformerChain) {
        var source = DataSource.values
        var kept: [String] = []
        var steps: [any TransformStep] = []
        for name in names {
            switch name {
            case "keys_only": source = .keys
            case "values_only": source = .values
            default:
                guard let step = TransformerCatalog.step(named: name) else {
                    throw RulesetError("unknown transformer: '\(name)'")
                }
                kept.append(name)
                steps.append(step)
            }
        }
        return (source, TransformerChain(names: kept, steps: steps))
    }

    func parseInputs(
        _ values: [WAFValue], key: String, ruleChain: (source: DataSource, chain: TransformerChain)
    ) throws(RulesetError) -> [ConditionInput] {
        var inputs: [ConditionInput] = []
        for value in values {
            let object = try ConfigObject(value, name: key)
            let address = try object.string("address")
            var keyPath: [KeyPathComponent] = []
            if let components = try object.optionalArray("key_path") {
                for component in components {
                    switch component {
                    case .string(let text): keyPath.append(.key(text))
                    case .signed(let index): keyPath.append(.index(Int(truncatingIfNeeded: index)))
                    case .unsigned(let index): keyPath.append(.index(Int(truncatingIfNeeded: index)))
                    default: throw .invalidType("key_path", expected: "string", got: component)
                    }
                }
            }
            var transform = ruleChain
            if let names = try object.stringArray("transformers") {
                transform = try parseTransformers(names)
            }
            inputs.append(
                ConditionInput(
                    address: address, addressID: addresses.id(for: address), keyPath: keyPath,
                    transformers: transform.chain, source: transform.source))
        }
        return inputs
    }

    func parseCondition(
        _ value: WAFValue, ruleID: String, ruleChain: (source: DataSource, chain: TransformerChain)
    ) throws(RulesetError) -> CompiledCondition {
        let object = try ConfigObject(value, name: "condition")
        let operatorName = try object.string("operator")
        guard let parsed = OperatorRegistry.parse(operatorName) else {
            throw RulesetError("invalid operator name '\(operatorName)'")
        }
        guard let factory = OperatorRegistry.byName[parsed.name] else {
            throw RulesetError("unknown operator: '\(parsed.name)'", skip: true)
        }
        guard parsed.version <= factory.latestVersion else {
            throw RulesetError("unsupported operator version: '\(operatorName)'", skip: true)
        }
        if parsed.negated && !factory.supportsNegation {
            throw RulesetError("operator '\(parsed.name)' cannot be negated")
        }
        guard let parameters = try object.object("parameters") else { throw .missing("parameters") }
        let request = ConditionRequest(
            ruleID: ruleID, parameters: parameters, version: parsed.version, negated: parsed.negated,
            rulesData: rulesData, artifacts: artifacts)
        let kind = try factory.makeCondition(request)
        if case .structured(let structured) = kind {
            var arguments: [StructuredArgument] = []
            for (name, required) in structured.argumentNames {
                guard let values = try parameters.optionalArray(name) else {
                    if required { throw .missing(name) }
                    continue
                }
                if required && values.isEmpty { throw RulesetError("empty argument '\(name)'") }
                arguments.append(
                    StructuredArgument(name: name, inputs: try parseInputs(values, key: name, ruleChain: ruleChain)))
            }
            return CompiledCondition(kind: kind, inputs: arguments.flatMap(\.inputs), arguments: arguments)
        }
        let inputs = try parseInputs(parameters.array("inputs"), key: "inputs", ruleChain: ruleChain)
        guard !inputs.isEmpty else { throw RulesetError("empty inputs") }
        switch kind {
        case .negatedScalar, .exists(negated: true):
            guard inputs.count == 1 else { throw RulesetError("multiple targets for non-scalar condition") }
        default: break
        }
        return CompiledCondition(kind: kind, inputs: inputs, arguments: [])
    }
}

/// `major.minor.patch`, for rule `min_version` / `max_version`.
struct SemanticVersion: Sendable, Comparable {
    let major: Int
    let minor: Int
    let patch: Int

    init(major: Int, minor: Int, patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    init?(_ text: String) {
        let parts = text.split(separator: ".").map { Int($0) }
        guard (1...3).contains(parts.count), parts.allSatisfy({ $0 != nil }) else { return nil }
        let numbers = parts.compactMap { $0 }
        major = numbers[0]
        minor = numbers.count > 1 ? numbers[1] : 0
        patch = numbers.count > 2 ? numbers[2] : 0
    }

    static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }
}
