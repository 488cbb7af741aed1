import Foundation

/// The agent tests' own small ruleset (scanner user agents, is_sqli, is_xss, path traversal, RASP rules, all
/// blocking), shared by the agent and integration test targets from Tests/Shared, so these tests do not depend on
/// how the default ruleset tunes its rules.
let agentTestRuleset: String = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Shared/agent-test-ruleset.json")
    return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
}()
