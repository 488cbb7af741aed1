import Foundation
import Testing
@testable import RampartWAF

/// Compares every transformer with the real libddwaf: `scripts/transformer-oracle.py` records libddwaf's output for
/// generated tricky inputs and every string of the shared request corpus; each must come out byte-identical here,
/// and `Transformer(ddwafName:)` must accept exactly the spellings libddwaf accepts.
@Suite struct TransformerOracleTests {
    @Test(.enabled(if: LibddwafOracle.shouldRun, "needs ddtrace (libddwaf) from PyPI"), .timeLimit(.minutes(20)))
    func transformersMatchLibddwaf() throws {
        if LibddwafOracle.isCI { #expect(LibddwafOracle.corpus != nil, "../shared/corpus/requests-dev.jsonl is missing") }
        var arguments: [String] = []
        if let corpus = LibddwafOracle.corpus { arguments += ["--corpus", corpus.path] }
        let file = try LibddwafOracle.data(script: "transformer-oracle.py", arguments: arguments)

        var chains: [Int: (names: String, transformers: [Transformer])] = [:]
        var cases = 0
        var nameChecks = 0
        var mismatches: [String: [String]] = [:]
        // Half a million lines: scanned as bytes, not split into Strings (debug builds are slow).
        try file.withUnsafeBytes { (all: UnsafeRawBufferPointer) in
            let bytes = all.bindMemory(to: UInt8.self)
            var lineStart = 0
            while lineStart < bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                defer { lineStart = lineEnd + 1 }
                let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd])
                let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
                func text(_ index: Int) -> String { String(decoding: fields[index], as: UTF8.self) }
                guard fields.count >= 3 else {
                    Issue.record("malformed oracle line: \(String(decoding: line.prefix(80), as: UTF8.self))")
                    continue
                }
                switch text(0) {
                case "name":
                    let name = text(1), accepted = text(2) == "accepted"
                    #expect((Transformer(ddwafName: name) != nil) == accepted, "libddwaf: \(name) \(text(2))")
                    nameChecks += 1
                case "chain":
                    let names = text(2).split(separator: ",").map(String.init)
                    let chain = try names.map { try #require(Transformer(ddwafName: $0), "unknown transformer \($0)") }
                    chains[Int(text(1)) ?? -1] = (names.joined(separator: "+"), chain)
                case "case":
                    guard fields.count == 4, let chain = chains[Int(text(1)) ?? -1] else {
                        Issue.record("malformed case line or case before its chain")
                        continue
                    }
                    let input = Self.bytes(hex: fields[2])
                    let actual = Transformer.apply(chain.transformers, to: input) ?? input
                    cases += 1
                    if !Self.equals(actual, hex: fields[3]) {
                        mismatches[chain.names, default: []].append(
                            "in=\(text(2)) libddwaf=\(text(3)) rampart=\(actual.hexString)")
                    }
                default:
                    Issue.record("unexpected oracle line: \(String(decoding: line.prefix(80), as: UTF8.self))")
                }
            }
        }
        #expect(cases > 5000)
        #expect(nameChecks > 30)
        for (chain, examples) in mismatches.sorted(by: { $0.key < $1.key }) {
            let shown = Array(examples.prefix(5)).joined(separator: "\n")
            Issue.record("\(chain): \(examples.count) mismatches, e.g.\n\(shown)")
        }
    }

    @inline(__always) static func nibble(_ c: UInt8) -> UInt8 { c <= 0x39 ? c &- 0x30 : (c | 0x20) &- 0x61 &+ 10 }

    static func bytes(hex: Slice<UnsafeBufferPointer<UInt8>>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: hex.count / 2)
        var index = hex.startIndex
        for position in out.indices {
            out[position] = nibble(hex[index]) << 4 | nibble(hex[index + 1])
            index += 2
        }
        return out
    }

    static func equals(_ value: [UInt8], hex: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard hex.count == value.count * 2 else { return false }
        var index = hex.startIndex
        for byte in value {
            if nibble(hex[index]) << 4 | nibble(hex[index + 1]) != byte { return false }
            index += 2
        }
        return true
    }
}
