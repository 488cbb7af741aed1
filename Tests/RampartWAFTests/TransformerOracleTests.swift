import Foundation
import Testing
@testable import RampartWAF

/// Compares every transformer with the real libddwaf (from PyPI `ddtrace`): `scripts/transformer-oracle.py` records
/// libddwaf's output for generated tricky inputs and every string of the shared request corpus; each must come out
/// byte-identical here. In CI (`CI=true`) a missing ddtrace or corpus is a failure; locally the test is skipped.
@Suite struct TransformerOracleTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let corpus: URL? = ["../shared/corpus", "../../shared/corpus"]
        .map { packageRoot.appendingPathComponent($0).appendingPathComponent("requests-dev.jsonl").standardized }
        .first { FileManager.default.fileExists(atPath: $0.path) }

    static func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    static let libddwafAvailable: Bool =
        (try? run(["python3", "-c", "import ddtrace.appsec._ddwaf.ddwaf_types"])) == 0

    static func bytes(hex: Substring) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8? = nil
        for c in hex.utf8 {
            let v = c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10
            if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
        }
        return out
    }

    @Test(.enabled(if: isCI || libddwafAvailable, "needs ddtrace (libddwaf) from PyPI"), .timeLimit(.minutes(20)))
    func transformersMatchLibddwaf() throws {
        if Self.isCI { #expect(Self.corpus != nil, "../shared/corpus/requests-dev.jsonl is missing") }
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("rampart-transformer-oracle-\(ProcessInfo.processInfo.processIdentifier).tsv")
        defer { try? FileManager.default.removeItem(at: output) }
        var arguments = ["python3", "scripts/transformer-oracle.py", "--out", output.path]
        if let corpus = Self.corpus { arguments += ["--corpus", corpus.path] }
        let status = try Self.run(arguments)
        try #require(status == 0, "transformer-oracle.py failed with status \(status) (3 = ddtrace missing)")

        let text = try String(contentsOf: output, encoding: .utf8)
        var chains: [Int: (names: String, transformers: [Transformer])] = [:]
        var cases = 0
        var nameChecks = 0
        var mismatches: [String: [String]] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3, fields[0] != "case" || fields.count == 4 else {
                Issue.record("malformed oracle line: \(line.prefix(80))")
                continue
            }
            switch fields.first {
            case "name":
                let name = String(fields[1]), accepted = fields[2] == "accepted"
                #expect((Transformer(ddwafName: name) != nil) == accepted, "libddwaf: \(name) \(fields[2])")
                nameChecks += 1
            case "chain":
                let names = fields[2].split(separator: ",").map(String.init)
                let chain = try names.map { try #require(Transformer(ddwafName: $0), "unknown transformer \($0)") }
                chains[Int(fields[1]) ?? -1] = (names.joined(separator: "+"), chain)
            case "case":
                let chain = try #require(chains[Int(fields[1]) ?? -1], "case before its chain: \(line)")
                let input = Self.bytes(hex: fields[2]), expected = Self.bytes(hex: fields[3])
                let actual = Transformer.apply(chain.transformers, to: input) ?? input
                cases += 1
                if actual != expected {
                    mismatches[chain.names, default: []].append(
                        "in=\(fields[2]) libddwaf=\(fields[3]) rampart=\(actual.hexString)")
                }
            default:
                Issue.record("unexpected oracle line: \(line.prefix(80))")
            }
        }
        #expect(cases > 5000)
        #expect(nameChecks > 30)
        for (chain, examples) in mismatches.sorted(by: { $0.key < $1.key }) {
            let shown = Array(examples.prefix(5)).joined(separator: "\n")
            Issue.record("\(chain): \(examples.count) mismatches, e.g.\n\(shown)")
        }
    }
}

extension Array where Element == UInt8 {
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] }, as: UTF8.self)
    }
}
