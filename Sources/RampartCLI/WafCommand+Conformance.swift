import ArgumentParser
import Foundation
import RampartConformance

extension WafCommand {
    /// `rampart waf conformance DIR`: libddwaf's validator tests against Rampart's WAF.
    struct Conformance: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run libddwaf's validator tests (YAML); print each failing test's first difference, then "
                + "`N passed, M failed`. Exit 1 when a test fails.")

        @Argument(help: "The validator's tests folder (folders holding a ruleset.yaml are suites).")
        var directory: String
        @Option(help: "Skip list (Markdown lines \"- `relative/path.yaml` — reason\").") var skips: String?

        func run() throws {
            var skipList: [String: String] = [:]
            if let skips { skipList = ConformanceRunner.parseSkipList(try String(contentsOfFile: skips, encoding: .utf8)) }
            let report = try ConformanceRunner.run(directory: directory, skips: skipList)
            print(report.text)
            if !report.failures.isEmpty { throw ExitCode(1) }
        }
    }
}
