import RampartWAF
import Yams

/// Compares one evaluation's result with a test step's expectations and names the first difference.
struct StepComparison {
    let references: [String: RuleReference]

    func firstDifference(_ step: ConformanceTest.Step, _ result: WAFResult) -> String? {
        let fired = result.events.map(\.rule.id)
        if step.expectsMatch && fired.isEmpty { return "code: expected match, got ok" }
        if !step.expectsMatch && !fired.isEmpty { return "code: expected ok, got match (rules \(fired))" }
        // As libddwaf's reference runner: one event per `rules` entry, each event's id a key of an entry, each
        // entry matched by an event, no rule reported twice.
        if step.expectsMatch || !step.ruleGroups.isEmpty {
            if fired.count != step.ruleGroups.count {
                let expected = step.ruleGroups.map { $0.map(\.id) }
                return "rules: expected \(step.ruleGroups.count) events \(expected), got \(fired.count) \(fired)"
            }
            if fired.count != Set(fired).count { return "rules: a rule reported more than once: \(fired)" }
            for group in step.ruleGroups where !group.contains(where: { fired.contains($0.id) }) {
                return "rules: none of \(group.map(\.id)) fired (got \(fired))"
            }
        }
        for event in result.events {
            if let difference = eventDifference(event) { return "rule \(event.rule.id): \(difference)" }
            guard step.expectsMatch || !step.ruleGroups.isEmpty else { continue }
            guard let expected = step.ruleGroups.lazy.compactMap({ $0.first(where: { $0.id == event.rule.id }) }).first
            else {
                return "rules: unexpected rule \(event.rule.id)"
            }
            if expected.conditions.count != event.ruleMatches.count {
                return "rule \(expected.id): expected \(expected.conditions.count) condition matches, "
                    + "got \(event.ruleMatches.count)"
            }
            for (index, entry) in expected.conditions.enumerated() {
                if let difference = Self.matchDifference(entry, event.ruleMatches[index]) {
                    return "rule \(expected.id) condition \(index): \(difference)"
                }
            }
        }
        if let expected = step.actions, let difference = Self.actionsDifference(expected, result.actions) {
            return "actions: \(difference)"
        }
        if let expected = step.attributes, let difference = Self.attributesDifference(expected, result.attributes) {
            return "attributes: \(difference)"
        }
        return nil
    }

    // MARK: Events

    /// The event must echo the rule's identity and one match per condition, in rule order.
    private func eventDifference(_ event: WAFEvent) -> String? {
        guard let reference = references[event.rule.id] else { return "not a rule of the ruleset" }
        if event.rule.name != reference.name { return "name \(quoted(event.rule.name)) ≠ \(quoted(reference.name))" }
        if event.rule.tags["type"] != reference.type {
            return "tags.type \(quoted(event.rule.tags["type"])) ≠ \(quoted(reference.type))"
        }
        if event.rule.tags["category"] != reference.category {
            return "tags.category \(quoted(event.rule.tags["category"])) ≠ \(quoted(reference.category))"
        }
        if event.rule.onMatch != reference.onMatch { return "on_match \(event.rule.onMatch) ≠ \(reference.onMatch)" }
        if event.ruleMatches.count != reference.conditions.count {
            return "\(event.ruleMatches.count) rule_matches for \(reference.conditions.count) conditions"
        }
        for (index, (match, condition)) in zip(event.ruleMatches, reference.conditions).enumerated() {
            let reported = String(match.operator.split(separator: "@", maxSplits: 1).first ?? "")
            if reported != condition.operatorName {
                return "rule_matches[\(index)].operator \(quoted(match.operator)) ≠ \(quoted(condition.operatorName))"
            }
            if let regex = condition.regex, match.operatorValue != regex {
                return "rule_matches[\(index)].operator_value \(quoted(match.operatorValue)) ≠ \(quoted(regex))"
            }
        }
        return nil
    }

    private static let scalarFields: Set<String> = ["address", "key_path", "value", "highlight"]

    /// A scalar entry checks the first parameter; a structured one checks each named parameter.
    static func matchDifference(_ entry: Node, _ match: RuleMatch) -> String? {
        guard case .mapping(let mapping) = entry else { return nil }
        let keys = mapping.map { YAMLConversion.keyText($0.key) }
        let structured = keys.contains { !scalarFields.contains($0) }
        if !structured {
            guard let parameter = match.parameters.first else { return "no parameters reported" }
            return parameterDifference(entry, parameter, highlights: parameter.highlight)
        }
        let allHighlights = match.parameters.flatMap(\.highlight)
        for pair in mapping {
            let name = YAMLConversion.keyText(pair.key)
            if name == "highlight" {
                let expected = YAMLConversion.keyText(pair.value)
                if !allHighlights.contains(expected) { return "highlight \(quoted(expected)) not in \(allHighlights)" }
                continue
            }
            guard let parameter = match.parameters.first(where: { $0.name == name }) else {
                return "no `\(name)` parameter reported (got \(match.parameters.map { $0.name ?? "?" }))"
            }
            if let difference = parameterDifference(pair.value, parameter, highlights: []) {
                return "\(name): \(difference)"
            }
        }
        return nil
    }

    private static func parameterDifference(_ entry: Node, _ parameter: MatchParameter, highlights: [String]) -> String? {
        if let address = YAMLConversion.field(entry, "address").map(YAMLConversion.keyText),
            address != parameter.address
        {
            return "address \(quoted(parameter.address)) ≠ \(quoted(address))"
        }
        if let keyPathNode = YAMLConversion.field(entry, "key_path") {
            let expected = keyPath(keyPathNode)
            if expected != parameter.keyPath {
                return "key_path \(describe(parameter.keyPath)) ≠ \(describe(expected))"
            }
        }
        if let value = YAMLConversion.field(entry, "value").map(YAMLConversion.keyText), value != parameter.value {
            return "value \(quoted(parameter.value)) ≠ \(quoted(value))"
        }
        if let highlight = YAMLConversion.field(entry, "highlight").map(YAMLConversion.keyText),
            highlights.first != highlight
        {
            return "highlight \(highlights) ≠ \(quoted(highlight))"
        }
        return nil
    }

    /// Integers are array indices, anything else map keys.
    private static func keyPath(_ node: Node) -> [KeyPathComponent] {
        guard case .sequence(let components) = node else { return [] }
        return components.map { component in
            if component.tag.rawValue == Tag.Name.int.rawValue, let index = Int(YAMLConversion.keyText(component)) { return .index(index) }
            return .key(YAMLConversion.keyText(component))
        }
    }

    private static func describe(_ path: [KeyPathComponent]) -> String {
        "[" + path.map { component in
            switch component {
            case .key(let key): "\"\(key)\""
            case .index(let index): String(index)
            }
        }.joined(separator: ", ") + "]"
    }

    // MARK: Actions and attributes

    /// Action types must be exactly the expected ones; of their parameters, those `WAFAction` carries are
    /// compared (`status_code`, `type`, `location`, custom parameters). Identifiers libddwaf generates per run
    /// (`regex:` values such as `security_response_id`, `stack_id`) and `grpc_status_code`, which Rampart does
    /// not model, are not.
    static func actionsDifference(_ expected: Node, _ actions: [WAFAction]) -> String? {
        var reported: [String: [String: String]] = [:]
        for action in actions {
            switch action {
            case .block(let status, let type, _):
                reported[action.typeName] = ["status_code": String(status), "type": type.rawValue]
            case .redirect(let status, let location, _):
                reported[action.typeName] = ["status_code": String(status), "location": location]
            case .generateStack:
                reported[action.typeName] = [:]
            case .custom(_, let type, let parameters):
                reported[type] = parameters
            }
        }
        var expectedTypes: [String: Node] = [:]
        switch expected {
        case .mapping(let mapping):
            for pair in mapping { expectedTypes[YAMLConversion.keyText(pair.key)] = pair.value }
        case .sequence(let items):
            for item in items { expectedTypes[YAMLConversion.keyText(item)] = nil }
        default:
            break
        }
        if Set(expectedTypes.keys) != Set(reported.keys) {
            return "types \(reported.keys.sorted()) ≠ \(expectedTypes.keys.sorted())"
        }
        for (type, parametersNode) in expectedTypes {
            guard case .mapping(let parameters) = parametersNode, let ours = reported[type] else { continue }
            for pair in parameters {
                let key = YAMLConversion.keyText(pair.key)
                let value = YAMLConversion.keyText(pair.value)
                if value.hasPrefix("regex:") || key == "grpc_status_code" { continue }
                if ours[key] != value { return "\(type).\(key) \(quoted(ours[key])) ≠ \(quoted(value))" }
            }
        }
        return nil
    }

    /// Attributes compare as trees whose scalars compare by their text.
    static func attributesDifference(_ expected: Node, _ attributes: [String: WAFValue]) -> String? {
        let expectedValue = YAMLConversion.wafValue(expected)
        let reported = WAFValue.map(attributes.map { WAFValue.Entry(key: $0.key, value: $0.value) })
        return treeDifference(expectedValue, reported, path: "")
    }

    private static func treeDifference(_ expected: WAFValue, _ reported: WAFValue, path: String) -> String? {
        switch (expected, reported) {
        case (.map(let expectedEntries), .map(let reportedEntries)):
            let expectedKeys = Set(expectedEntries.map(\.key))
            let reportedKeys = Set(reportedEntries.map(\.key))
            if expectedKeys != reportedKeys {
                return "\(path.isEmpty ? "keys" : path) \(reportedKeys.sorted()) ≠ \(expectedKeys.sorted())"
            }
            for entry in expectedEntries {
                guard let other = reportedEntries.first(where: { $0.key == entry.key }) else { continue }
                if let difference = treeDifference(entry.value, other.value, path: path + "." + entry.key) {
                    return difference
                }
            }
            return nil
        case (.array(let expectedItems), .array(let reportedItems)):
            if expectedItems.count != reportedItems.count {
                return "\(path): \(reportedItems.count) items ≠ \(expectedItems.count)"
            }
            for (index, (lhs, rhs)) in zip(expectedItems, reportedItems).enumerated() {
                if let difference = treeDifference(lhs, rhs, path: path + "[\(index)]") { return difference }
            }
            return nil
        default:
            let lhs = scalarText(expected)
            let rhs = scalarText(reported)
            return lhs == rhs && lhs != nil ? nil : "\(path) \(quoted(rhs)) ≠ \(quoted(lhs))"
        }
    }

    private static func scalarText(_ value: WAFValue) -> String? {
        switch value {
        case .string(let text): text
        case .signed(let number): String(number)
        case .unsigned(let number): String(number)
        case .float(let number): String(number)
        case .bool(let flag): String(flag)
        case .null: "null"
        case .array, .map: nil
        }
    }
}

private func quoted(_ text: String?) -> String {
    guard let text else { return "nil" }
    return "\"\(text)\""
}
