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
