/// Rampart's own ruleset, written by this project (no rule, regex or phrase list taken from another ruleset),
/// in libddwaf's JSON format 2.x. The canonical file is `Rules/default-ruleset.json` at the package root; it is
/// embedded in the library so protection works with nothing else deployed (serverless, scratch containers).
///
/// Every rule carries the usual libddwaf tags (`type`, `category`, `confidence`, `module`); rules that only
/// concern one technology also carry `stack` (`sql`, `nosql`, `php`, `java`, `node`) so an agent can move rules for
/// stacks the app does not use to monitor mode. IP and user blocking rules read the `blocked_ips` and
/// `blocked_users` data sets, which agents fill at run time.
public enum DefaultRuleset {
    /// The `metadata.rules_version` of the embedded document.
    public static let version = "rampart-1.0.0"
}

extension DefaultRuleset {
    /// The technology stacks rules are tagged with (`tags.stack`).
    public static let knownStacks: [String] = ["sql", "nosql", "php", "java", "node"]

    /// What to do with rules written for a stack the application does not use.
    public enum UnusedStackPolicy: Sendable {
        /// Keep evaluating them but never block (the default: nothing is silently lost, events still arrive).
        case monitor
        /// Stop evaluating them.
        case disable
    }

    /// A ruleset update (libddwaf `rules_override` document) that applies `policy` to the rules of every known stack
    /// not in `usedStacks`. Apply it with the WAF's update call; an empty override list when every stack is used.
    public static func stackOverrides(usedStacks: Set<String>, policy: UnusedStackPolicy = .monitor) -> String {
        let unused = knownStacks.filter { !usedStacks.contains($0) }
        let overrides = unused.map { stack -> String in
            let target = #"{"rules_target": [{"tags": {"stack": "\#(stack)"}}], "#
            switch policy {
            case .monitor: return target + #""on_match": []}"#
            case .disable: return target + #""enabled": false}"#
            }
        }
        return #"{"rules_override": ["# + overrides.joined(separator: ", ") + "]}"
    }
}
