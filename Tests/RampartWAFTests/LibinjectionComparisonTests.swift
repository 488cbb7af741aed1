import Foundation
import Testing

/// Runs scripts/compare-libinjection.py on the shared request corpus: on its values, `rampart detect sqli|xss` must
/// catch every attack request libinjection catches and flag no more benign requests than it does.
/// Needs python3 with `libinjection-python` (scripts/test installs it) and the built `rampart` executable; in CI
/// (`CI=true`) their absence fails the test, locally it skips.
@Suite struct LibinjectionComparisonTests {
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let packageRoot = SQLCorpusLocation.packageRoot

    static var rampartExecutable: URL {
        if let path = ProcessInfo.processInfo.environment["RAMPART_EXECUTABLE"] { return URL(fileURLWithPath: path) }
        return packageRoot.appendingPathComponent(".build/debug/rampart")
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, stdout, stderr)
    }

    static var prerequisitesAvailable: Bool {
        let hasModule = (try? run(["python3", "-c", "import libinjection"]).status) == 0
        return hasModule && FileManager.default.isExecutableFile(atPath: rampartExecutable.path)
    }

    @Test(.enabled(if: isCI || prerequisitesAvailable, "needs python3 + libinjection-python and a built rampart"))
    func catchesWhatLibinjectionCatchesWithNoMoreFalsePositives() throws {
        let module = try Self.run(["python3", "-c", "import libinjection"])
        try #require(module.status == 0, "python3 module libinjection missing: pip install libinjection-python")
        try #require(FileManager.default.isExecutableFile(atPath: Self.rampartExecutable.path),
                     "build the CLI first: swift build --product rampart")

        let script = Self.packageRoot.appendingPathComponent("scripts/compare-libinjection.py").path
        let result = try Self.run(["python3", script, "--requests", SQLCorpusLocation.file("requests-dev.jsonl").path,
                                   "--rampart", Self.rampartExecutable.path, "--json"])
        let report = String(decoding: result.stderr, as: UTF8.self)
        try #require(result.status == 0, "compare-libinjection.py failed: \(report)")
        let summary = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])

        for detector in ["sqli", "xss"] {
            let stats = try #require(summary[detector] as? [String: Any])
            let theirs = try #require(stats["libinjection"] as? [String: Int])
            let ours = try #require(stats["rampart"] as? [String: Int])
            let missed = try #require(stats["missed_vs_libinjection"] as? [String])
            #expect(missed.isEmpty, "\(detector): attacks libinjection catches and rampart misses: \(missed)")
            #expect((ours["attacks_caught"] ?? 0) >= (theirs["attacks_caught"] ?? 0), "\(detector)\n\(report)")
            #expect((ours["benign_flagged"] ?? .max) <= (theirs["benign_flagged"] ?? 0), "\(detector)\n\(report)")
            #expect((ours["attacks_caught"] ?? 0) > 0)
        }
    }
}
