import Foundation
import Testing

/// Rampart's WAF against libddwaf (from the `ddtrace` PyPI package) on ddtrace's bundled rules.json and the shared
/// development corpus, through scripts/waf-compat.py: matched rule ids must agree on ≥ 99% of requests and every
/// remaining difference must be explained in Fixtures/ddwaf-differences.md. Timing is reported by the script, not
/// asserted here.
@Suite struct WAFCompatibilityTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var rampartBinary: String? {
        for configuration in ["release", "debug"] {
            let path = repository.appendingPathComponent(".build/\(configuration)/rampart").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    @Test func agreesWithLibddwafOnTheDevelopmentCorpus() throws {
        let inCI = ProcessInfo.processInfo.environment["CI"] == "true"
        guard let binary = Self.rampartBinary else {
            #expect(!inCI, "build the rampart product first (scripts/test does)")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Self.repository.appendingPathComponent("scripts/waf-compat.py").path, "--json", "--repeat", "1",
            "--rampart", binary,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 2 {
            // ddtrace (libddwaf) is not installed: required in CI, optional locally.
            #expect(!inCI, "ddtrace must be installed in CI (scripts/test installs it)")
            return
        }
        try #require(process.terminationStatus == 0)
        let summary = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let agreement = try #require(summary["agreement_pct"] as? Double)
        #expect(agreement >= 99.0)
        let differences = try #require(summary["differences"] as? [[String: Any]])
        let explained = try String(
            contentsOf: Self.repository.appendingPathComponent("Tests/RampartWAFTests/Fixtures/ddwaf-differences.md"),
            encoding: .utf8)
        for difference in differences {
            let id = difference["id"] as? String ?? "?"
            #expect(explained.contains("`\(id)`"), "difference on \(id) is not explained in ddwaf-differences.md")
        }
    }
}
