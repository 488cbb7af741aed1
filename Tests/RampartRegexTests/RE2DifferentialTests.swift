import Foundation
import Testing

/// RampartRegex against RE2 on ≥ 10,000 generated pattern/input pairs (scripts/re2_reference.py): pattern
/// acceptance, match/no-match and span must agree, except for patterns listed in Fixtures/re2-known-issues.md.
@Suite struct RE2DifferentialTests {
    static var prerequisitesMet: Bool {
        ReferenceScript.rampartExecutable != nil && ReferenceScript.pythonModuleAvailable("re2")
    }

    @Test(.enabled(if: prerequisitesMet || ReferenceScript.isCI, "needs google-re2 and a built rampart"))
    func agreesWithRE2OnGeneratedPairs() throws {
        let rampart = try #require(ReferenceScript.rampartExecutable, "build the rampart executable first")
        let knownIssues = ReferenceScript.packageRoot
            .appendingPathComponent("Tests/RampartRegexTests/Fixtures/re2-known-issues.md")
        let result = try ReferenceScript.run([
            "python3", "scripts/re2_reference.py", "--rampart", rampart.path, "--cases", "10000",
            "--known-issues", knownIssues.path,
        ])
        #expect(result.status == 0, "disagreements with RE2:\n\(result.output)")
        let summary = try #require(ReferenceScript.summary(of: result.output), "no summary in: \(result.output)")
        #expect((summary["cases"] as? Int ?? 0) >= 10_000)
        #expect((summary["disagreements"] as? Int) == 0)
        // The workload must exercise both outcomes and some rejected patterns to mean anything.
        #expect((summary["matched"] as? Int ?? 0) > 1_000)
        #expect((summary["re2_rejected"] as? Int ?? 0) > 50)
    }
}
