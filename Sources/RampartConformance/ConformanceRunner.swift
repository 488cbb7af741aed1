import Foundation
import RampartWAF
import Yams

/// The verdict on one test file.
public struct ConformanceOutcome: Sendable {
    public enum Status: Sendable, Equatable {
        case passed
        /// The first difference found.
        case failed(String)
        /// On the skip list, with its reason.
        case skipped(String)
    }

    /// Path relative to the tests folder, e.g. `rules/operators/equals/001_rule1_string_equals.yaml`.
    public let path: String
    public let name: String
    public let status: Status
}

/// Every outcome of a run over the tests folder.
public struct ConformanceReport: Sendable {
    public var outcomes: [ConformanceOutcome] = []

    public var passed: Int { outcomes.filter { $0.status == .passed }.count }
    public var failures: [ConformanceOutcome] {
        outcomes.filter { if case .failed = $0.status { true } else { false } }
    }
    public var skipped: Int { outcomes.filter { if case .skipped = $0.status { true } else { false } }.count }

    /// `N passed, M failed` (and the skipped count when there is one).
    public var summaryLine: String {
        "\(passed) passed, \(failures.count) failed" + (skipped > 0 ? ", \(skipped) skipped" : "")
    }

    /// Each failing test with its first difference, then the summary line.
    public var text: String {
        var lines: [String] = []
        for outcome in failures {
            guard case .failed(let difference) = outcome.status else { continue }
            lines.append("FAIL \(outcome.path) (\(outcome.name)): \(difference)")
        }
        lines.append(summaryLine)
        return lines.joined(separator: "\n")
    }
}

/// Runs libddwaf's validator tests: every folder holding a `ruleset.yaml` is a suite whose other `.yaml` files
/// are tests. A test's runs share one context in order; a run that is a list is evaluated in one subcontext
/// (`WAFContext.makeSubcontext()`: its data accumulates over the list, then is forgotten).
public enum ConformanceRunner {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs every suite under `directory`; tests whose relative path is a key of `skips` are reported as skipped.
    public static func run(directory: String, skips: [String: String] = [:]) throws(Failure) -> ConformanceReport {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        let suites = suiteFolders(root)
        if suites.isEmpty { throw Failure(description: "no ruleset.yaml under \(directory)") }
        var report = ConformanceReport()
        for suite in suites {
            report.outcomes += runSuite(suite, root: root, skips: skips)
        }
        return report
    }

    /// Parses a skip list: lines `- `path` — reason` (Markdown), keyed by path.
    public static func parseSkipList(_ text: String) -> [String: String] {
        var skips: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("- `") else { continue }
            let rest = trimmed.dropFirst(3)
            guard let end = rest.firstIndex(of: "`") else { continue }
            let path = String(rest[..<end])
            let reason = rest[rest.index(after: end)...]
                .trimmingCharacters(in: CharacterSet(charactersIn: " —-:"))
            skips[path] = reason
        }
        return skips
    }

    private static func suiteFolders(_ root: URL) -> [URL] {
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var folders: [URL] = []
        for case let url as URL in enumerator where url.lastPathComponent == "ruleset.yaml" {
            folders.append(url.deletingLastPathComponent().standardizedFileURL)
        }
        return folders.sorted { $0.path < $1.path }
    }

    private static func relativePath(_ url: URL, root: URL) -> String {
        let full = url.standardizedFileURL.path
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : full
    }

    private static func runSuite(_ folder: URL, root: URL, skips: [String: String]) -> [ConformanceOutcome] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") && $0 != "ruleset.yaml" }.sorted()
        let paths = files.map { relativePath(folder.appendingPathComponent($0), root: root) }
        let rulesetPath = relativePath(folder.appendingPathComponent("ruleset.yaml"), root: root)
        let waf: WAF
        let references: [String: RuleReference]
        do {
            let text = try String(contentsOf: folder.appendingPathComponent("ruleset.yaml"), encoding: .utf8)
            let node = try YAMLConversion.compose(text, file: rulesetPath)
            references = RuleReference.all(in: node)
            waf = try WAF(rulesetJSON: YAMLConversion.jsonBytes(node))
        } catch {
            return paths.map { path in
                let status: ConformanceOutcome.Status =
                    skips[path].map { .skipped($0) } ?? .failed("\(rulesetPath) did not load: \(error)")
                return ConformanceOutcome(path: path, name: path, status: status)
            }
        }
        let comparison = StepComparison(references: references)
        var outcomes: [ConformanceOutcome] = []
        for (file, path) in zip(files, paths) {
            let test: ConformanceTest
            do {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                test = try ConformanceTest(file: path, text: text)
            } catch {
                outcomes.append(ConformanceOutcome(path: path, name: path, status: .failed("unreadable: \(error)")))
                continue
            }
            if let reason = skips[path] {
                outcomes.append(ConformanceOutcome(path: path, name: test.name, status: .skipped(reason)))
                continue
            }
            let difference = run(test, waf: waf, comparison: comparison)
            let status: ConformanceOutcome.Status
            switch (difference, test.expectedFail) {
            case (nil, false), (.some, true): status = .passed
            case (.some(let difference), false): status = .failed(difference)
            case (nil, true): status = .failed("expected to fail (libddwaf's known gap) but passed")
            }
            outcomes.append(ConformanceOutcome(path: path, name: test.name, status: status))
        }
        return outcomes
    }

    /// The first difference over the test's runs, or nil when every run agrees.
    static func run(_ test: ConformanceTest, waf: WAF, comparison: StepComparison) -> String? {
        let context = waf.makeContext()
        for (runIndex, run) in test.runs.enumerated() {
            switch run {
            case .context(let step):
                let result = context.run(step.input, budget: .seconds(10))
                if result.timedOut { return "run \(runIndex): timed out" }
                if let difference = comparison.firstDifference(step, result) {
                    return "run \(runIndex): \(difference)"
                }
            case .subcontext(let steps):
                let subcontext = context.makeSubcontext()
                for (stepIndex, step) in steps.enumerated() {
                    let result = subcontext.run(step.input, budget: .seconds(10))
                    if result.timedOut { return "run \(runIndex).\(stepIndex): timed out" }
                    guard step.expectsMatch else { continue }
                    if let difference = comparison.firstDifference(step, result) {
                        return "run \(runIndex).\(stepIndex): \(difference)"
                    }
                }
            }
        }
        return nil
    }
}
