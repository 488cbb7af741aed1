import Foundation
import RampartConformance
import Testing

/// libddwaf's validator tests (../shared/conformance/libddwaf-validator/tests, read in place) against RampartWAF.
@Suite struct ValidatorSuiteTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the package root (as CI clones it), or one level higher for a nested git worktree.
    static var testsFolder: URL? {
        ["../shared", "../../shared"]
            .map { packageRoot.appendingPathComponent($0 + "/conformance/libddwaf-validator/tests").standardizedFileURL }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    static func skipList() throws -> [String: String] {
        let file = packageRoot.appendingPathComponent("Tests/RampartConformanceTests/Fixtures/conformance-skips.md")
        return ConformanceRunner.parseSkipList(try String(contentsOf: file, encoding: .utf8))
    }

    @Test func everyTestPassesOrIsOnTheSkipList() throws {
        guard let folder = Self.testsFolder else {
            // The suite is shared data beside the repository; CI must have it.
            #expect(ProcessInfo.processInfo.environment["CI"] != "true", "libddwaf validator tests not found")
            return
        }
        let skips = try Self.skipList()
        let report = try ConformanceRunner.run(directory: folder.path, skips: skips)
        print(report.text)
        #expect(report.failures.count == 0, Comment(rawValue: report.text))
        // Every skip names a real test, and the list stays under 5% of the suite.
        let paths = Set(report.outcomes.map(\.path))
        for path in skips.keys { #expect(paths.contains(path), "skip list names unknown test \(path)") }
        #expect(report.outcomes.count > 400)
        #expect(Double(report.skipped) < Double(report.outcomes.count) * 0.05)
    }

    @Test func skipListGivesAReasonForEachTest() throws {
        let skips = try Self.skipList()
        #expect(!skips.isEmpty)
        for (path, reason) in skips { #expect(reason.count > 10, "no reason given for \(path)") }
    }
}
