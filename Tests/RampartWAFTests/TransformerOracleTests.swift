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
        let lines = try LibddwafOracle.lines(script: "transformer-oracle.py", arguments: arguments)

        var chains: [Int: (names: String, transformers: [Transformer])] = [:]
        var cases = 0
        var nameChecks = 0
        var mismatches: [String: [String]] = [:]
        for line in lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3, fields[0] != "case" || fields.count == 4 else {
                Issue.record("malformed oracle line: \(line.prefix(80))")
                continue
            }
            switch fields[0] {
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
                let input = LibddwafOracle.bytes(hex: fields[2]), expected = LibddwafOracle.bytes(hex: fields[3])
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
