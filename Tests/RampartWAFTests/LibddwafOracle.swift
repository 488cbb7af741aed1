import Foundation
import Testing

/// Runs the Python scripts that record what the real libddwaf (from PyPI `ddtrace`) does, for comparison tests.
/// In CI (`CI=true`) the comparison tests always run, so a missing ddtrace fails them; locally they are skipped
/// when ddtrace is not installed.
enum LibddwafOracle {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let isAvailable: Bool = (try? run(["python3", "-c", "import ddtrace.appsec._ddwaf.ddwaf_types"])) == 0
    static let shouldRun = isCI || isAvailable

    /// The shared request corpus: `../shared/corpus` beside the package (as CI clones it) or one level higher.
    static let corpus: URL? = ["../shared/corpus", "../../shared/corpus"]
        .map { packageRoot.appendingPathComponent($0).appendingPathComponent("requests-dev.jsonl").standardized }
        .first { FileManager.default.fileExists(atPath: $0.path) }

    @discardableResult
    static func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Runs `scripts/<script>` with `--out <temporary file>` plus `arguments` and returns what it wrote.
    static func data(script: String, arguments: [String] = []) throws -> Data {
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("rampart-\(script)-\(ProcessInfo.processInfo.processIdentifier).tsv")
        defer { try? FileManager.default.removeItem(at: output) }
        let status = try run(["python3", "scripts/\(script)", "--out", output.path] + arguments)
        try #require(status == 0, "\(script) failed with status \(status) (3 = ddtrace missing)")
        return try Data(contentsOf: output)
    }

    /// The output's lines, for the small oracles.
    static func lines(script: String, arguments: [String] = []) throws -> [Substring] {
        String(decoding: try data(script: script, arguments: arguments), as: UTF8.self).split(separator: "\n")
    }

    static func bytes(hex: Substring) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8? = nil
        for c in hex.utf8 {
            let v = c <= 0x39 ? c &- 0x30 : (c | 0x20) &- 0x61 &+ 10
            if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
        }
        return out
    }
}

extension Array where Element == UInt8 {
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] }, as: UTF8.self)
    }
}
