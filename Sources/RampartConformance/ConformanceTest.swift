import RampartWAF
import Yams

/// One validator test file: a name, its runs, and whether libddwaf itself is known to fail it.
struct ConformanceTest {
    /// One evaluation and what it should report.
    struct Step {
        var input: [String: WAFValue]
        var expectsMatch: Bool
        /// The `rules` list: each entry maps rule ids to their expected condition matches.
        var ruleGroups: [[ExpectedRule]]
        var actions: Node?
        var attributes: Node?
    }

    /// A map run is evaluated in the test's context; a sequence in one subcontext of it.
    enum Run {
        case context(Step)
        case subcontext([Step])
    }

    /// `{rule_id: [one entry per condition]}`.
    struct ExpectedRule {
        var id: String
        var conditions: [Node]
    }

    var name: String
    var file: String
    var expectedFail: Bool
    var runs: [Run]

    init(file: String, text: String) throws(YAMLConversion.Failure) {
        self.file = file
        let root = try YAMLConversion.compose(text, file: file)
        name = YAMLConversion.field(root, "name").map(YAMLConversion.keyText) ?? file
        expectedFail = YAMLConversion.field(root, "expected-fail")?.bool ?? false
        guard case .sequence(let runNodes)? = YAMLConversion.field(root, "runs") else {
            throw YAMLConversion.Failure(description: "\(file): `runs` is missing or not a list")
        }
        var runs: [Run] = []
        for node in runNodes {
            if case .sequence(let steps) = node {
                var parsed: [Step] = []
                for step in steps { parsed.append(try Self.step(step, file: file)) }
                runs.append(.subcontext(parsed))
            } else {
                runs.append(.context(try Self.step(node, file: file)))
            }
        }
        self.runs = runs
    }

    private static func step(_ node: Node, file: String) throws(YAMLConversion.Failure) -> Step {
        guard case .mapping(let inputMapping)? = YAMLConversion.field(node, "input") else {
            throw YAMLConversion.Failure(description: "\(file): a run has no `input` map")
        }
        var input: [String: WAFValue] = [:]
        for pair in inputMapping { input[YAMLConversion.keyText(pair.key)] = YAMLConversion.wafValue(pair.value) }
        let code = YAMLConversion.field(node, "code").map(YAMLConversion.keyText) ?? "ok"
        guard code == "match" || code == "ok" else {
            throw YAMLConversion.Failure(description: "\(file): unknown code `\(code)`")
        }
        var ruleGroups: [[ExpectedRule]] = []
        if case .sequence(let ruleNodes)? = YAMLConversion.field(node, "rules") {
            for ruleNode in ruleNodes {
                guard case .mapping(let mapping) = ruleNode else {
                    throw YAMLConversion.Failure(description: "\(file): a `rules` entry is not a map")
                }
                var group: [ExpectedRule] = []
                for pair in mapping {
                    let conditions: [Node]
                    if case .sequence(let entries) = pair.value { conditions = Array(entries) } else { conditions = [] }
                    group.append(ExpectedRule(id: YAMLConversion.keyText(pair.key), conditions: conditions))
                }
                ruleGroups.append(group)
            }
        }
        return Step(
            input: input, expectsMatch: code == "match", ruleGroups: ruleGroups,
            actions: YAMLConversion.field(node, "actions"), attributes: YAMLConversion.field(node, "attributes"))
    }
}
