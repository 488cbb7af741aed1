import Testing
@testable import RampartWAF

/// Compares `IPSet` with libddwaf's `ip_match` on random lists (valid and malformed entries) and probes recorded by
/// `scripts/ip-oracle.py`: for every probe, exactly the same lists must contain it.
@Suite struct IPSetOracleTests {
    @Test(.enabled(if: LibddwafOracle.shouldRun, "needs ddtrace (libddwaf) from PyPI"))
    func ipMatchAgreesWithLibddwaf() throws {
        var sets: [IPSet] = []
        var probes = 0, hits = 0
        var mismatches: [String] = []
        for line in try LibddwafOracle.lines(script: "ip-oracle.py") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3 else {
                Issue.record("malformed oracle line: \(line.prefix(80))")
                continue
            }
            if fields[0] == "list" {
                let entries = fields[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                sets.append(IPSet.skippingInvalid(entries).0)
                continue
            }
            let probe = String(fields[1])
            let expected = Set(fields[2].split(separator: ",").compactMap { Int($0) })
            let actual = Set(sets.indices.filter { sets[$0].contains(probe) })
            probes += 1
            hits += expected.count
            if actual != expected {
                mismatches.append("\(probe): libddwaf \(expected.sorted()) rampart \(actual.sorted())")
            }
        }
        #expect(probes > 30 && hits > 50)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(5))")
    }
}
