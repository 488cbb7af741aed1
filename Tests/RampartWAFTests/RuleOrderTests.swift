import Testing
@testable import RampartWAF

/// libddwaf's evaluation order among equal-priority rules comes from libc++'s hash table and `std::sort`.
/// Fixtures/libcxx-order-cases.tsv holds random key sets (`key:group ...`) and, after a tab, what a program built
/// against LLVM 19's libc++ printed: the `unordered_map` iteration order, `|`, then the order after
/// `std::sort` by group.
@Suite struct RuleOrderTests {
    static let fixture: [(items: [(String, Int)], iteration: [String], sorted: [String])] = {
        let path = #filePath.split(separator: "/").dropLast().joined(separator: "/")
        guard let text = try? String(contentsOfFile: "/" + path + "/Fixtures/libcxx-order-cases.tsv", encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count == 2 else { return nil }
            let items = columns[0].split(separator: " ").compactMap { token -> (String, Int)? in
                guard let colon = token.lastIndex(of: ":"), let group = Int(token[token.index(after: colon)...]) else {
                    return nil
                }
                return (String(token[..<colon]), group)
            }
            let parts = columns[1].split(separator: "|", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            return (items, parts[0].split(separator: " ").map(String.init), parts[1].split(separator: " ").map(String.init))
        }
    }()

    @Test func fixtureIsPresent() {
        #expect(Self.fixture.count == 48)
    }

    @Test func stringHashMatchesLibcxx() {
        // Values printed by std::hash<std::string> from LLVM 19's libc++ (one per length class of its hash).
        #expect(LibcxxStringHash.hash(Array("a".utf8)) == 2_603_192_927_274_642_682)
        #expect(LibcxxStringHash.hash(Array("abcd".utf8)) == 8_979_402_121_050_354_847)
        #expect(LibcxxStringHash.hash(Array("crs-942-100".utf8)) == 7_161_040_095_477_715_742)
        #expect(LibcxxStringHash.hash(Array("abcdefghijklmnopq".utf8)) == 237_482_408_704_357_350)
        #expect(
            LibcxxStringHash.hash(Array("0123456789012345678901234567890123456789".utf8)) == 5_006_506_542_363_679_120)
        #expect(
            LibcxxStringHash.hash(
                Array("x123456789012345678901234567890123456789012345678901234567890123456789012345".utf8))
                == 14_298_878_197_008_634_673)
    }

    @Test func hashTableIterationOrderMatchesLibcxx() {
        for (items, iteration, _) in Self.fixture {
            let order = LibddwafRuleOrder.hashTableIterationOrder(items.map(\.0))
            #expect(order.map { items[$0].0 } == iteration)
        }
    }

    @Test func introsortMatchesLibcxxOnEqualKeys() {
        for (items, iteration, sorted) in Self.fixture {
            var elements = LibddwafRuleOrder.hashTableIterationOrder(items.map(\.0)).map { items[$0] }
            #expect(elements.map(\.0) == iteration)
            LibddwafRuleOrder.sort(&elements) { $0.1 < $1.1 }
            #expect(elements.map(\.0) == sorted)
        }
    }

    @Test func sortIsCorrectForDistinctKeys() {
        var values = Array((0..<300).reversed())
        LibddwafRuleOrder.sort(&values, by: <)
        #expect(values == Array(0..<300))
    }
}
