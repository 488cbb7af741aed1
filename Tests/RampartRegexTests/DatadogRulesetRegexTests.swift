import Foundation
import Testing

/// Every regex of Datadog's bundled WAF ruleset (rules.json in the PyPI package ddtrace, read at test time) compiles
/// and agrees with RE2 on every string the WAF sees in ../shared/corpus/requests-dev.jsonl
/// (scripts/ddtrace_regexes.py).
@Suite struct DatadogRulesetRegexTests {
    /// `../shared` beside the clone (CI), or two levels up for a git worktree in `wt/<branch>`.
    static let corpus: URL = {
        let parent = ReferenceScript.packageRoot.deletingLastPathComponent()
        let candidates = [parent, parent.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("shared/corpus/requests-dev.jsonl") }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[0]
    }()

    static var prerequisitesMet: Bool {
        ReferenceScript.rampartExecutable != nil && FileManager.default.fileExists(atPath: corpus.path)
            && ReferenceScript.pythonModuleAvailable("re2") && ReferenceScript.pythonModuleAvailable("ddtrace.appsec")
    }

    @Test(.enabled(if: prerequisitesMet || ReferenceScript.isCI, "needs ddtrace, google-re2, the corpus and rampart"))
    func everyRulesetRegexCompilesAndAgreesWithRE2() throws {
        let rampart = try #require(ReferenceScript.rampartExecutable, "build the rampart executable first")
        let result = try ReferenceScript.run([
            "python3", "scripts/ddtrace_regexes.py", "--rampart", rampart.path, "--corpus", Self.corpus.path,
        ])
        #expect(result.status == 0, "ruleset regexes disagree with RE2:\n\(result.output)")
        let summary = try #require(ReferenceScript.summary(of: result.output), "no summary in: \(result.output)")
        #expect((summary["regexes"] as? Int ?? 0) >= 100)
        #expect((summary["values"] as? Int ?? 0) >= 1_000)
        #expect((summary["rampart_rejected"] as? Int) == 0)
        #expect((summary["disagreements"] as? Int) == 0)
        #expect((summary["matches"] as? Int ?? 0) > 0)
    }
}
