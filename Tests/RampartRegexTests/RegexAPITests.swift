import Testing
@testable import RampartRegex

/// The public API driven with pattern strings (parser + engines together).
@Suite struct RegexAPITests {
    @Test(arguments: [
        ("a|ab", "ab", 0..<1),
        ("(a|ab)(c|bcd)(d*)", "abcd", 0..<4),
        ("(?:\\b|a)+", "a", 0..<0),
        ("(?i)k", "\u{212A}", 0..<3),
        ("(?i)K", "k", 0..<1),
        ("x*?y", "xxy", 0..<3),
        ("(?m)^b$", "a\nb\nc", 2..<3),
        ("^b$", "a\nb\nc", nil),
        ("(?s).+", "a\nb", 0..<3),
        ("\\bUNION\\b", "xUNION UNION", 7..<12),
        ("[[:digit:]]{3}", "ab1234", 2..<5),
        ("\\p{Greek}+", "abγδε", 2..<8),
        ("(?i)straße", "STRASSE", nil),
        ("(?i)straße", "STRAẞE", 0..<8),
        ("(?U)a+", "aaa", 0..<1),
        ("a{2}?", "aaa", 0..<2),
        ("", "abc", 0..<0),
    ] as [(String, String, Range<Int>?)])
    func patternSpans(pattern: String, input: String, expected: Range<Int>?) throws {
        let regex = try SafeRegex(pattern)
        #expect(regex.firstMatch(in: input) == expected)
        #expect(regex.matches(input) == (expected != nil))
    }

    @Test func caseInsensitiveOption() throws {
        let regex = try SafeRegex("union\\s+select", options: .caseInsensitive)
        #expect(regex.firstMatch(in: "1 UNION\tSELECT 2") == 2..<14)
        #expect(regex.options == .caseInsensitive && regex.pattern == "union\\s+select")
    }

    @Test func invalidPatternsThrowWithOffset() {
        #expect(throws: RegexError.self) { try SafeRegex("a(?=b)") }
        do {
            _ = try RegexSet([.init("ok"), .init("(unclosed")])
            Issue.record("expected an error")
        } catch {
            #expect(error.index == 1)
        }
    }

    @Test func regexSetFromStringsMatchesSingles() throws {
        let patterns = [
            "(?i)union\\s+select", "<script[^>]*>", "\\.\\./", "(?i)\\bor\\b\\s+1=1", "etc/passwd", "^GET ",
            "\\$\\{jndi:", "(?:cmd|powershell)\\.exe", "[0-9]{16}", "a+b+c+",
        ]
        let set = try RegexSet(patterns.map { RegexSet.Pattern($0) })
        let singles = try patterns.map { try SafeRegex($0) }
        let inputs = [
            "GET /index.html", "id=1 UNION  SELECT password", "<script src=x>", "../../etc/passwd", "x or 1=1",
            "${jndi:ldap://x}", "run cmd.exe now", "card 1234567812345678", "aabbcc", "nothing to see", "",
        ]
        for input in inputs {
            let expected = singles.indices.filter { singles[$0].matches(input) }
            #expect(set.matchingIndices(in: input) == expected, "\(input)")
            #expect(set.matchesAny(in: input) == !expected.isEmpty)
            #expect(set.matchingIndices(in: Array(input.utf8)) == expected)
        }
        #expect(set.count == patterns.count)
    }

    @Test func regexSetFallsBackOnLongInputsThatKeepBuildingStates() throws {
        // `[ab]*a[ab]{10}c`-style patterns need a new DFA state for most positions of random a/b text.
        let patterns = (4..<12).map { "a[ab]{\($0)}c" } + ["zz+y"]
        let regexes = try patterns.map { try SafeRegex($0) }
        let set = try RegexSet(regexes)
        var rng = SplitMix64(seed: 42)
        var input = (0..<200_000).map { _ in UInt8(rng.next() % 2 == 0 ? 0x61 : 0x62) }
        input[150_000] = 0x63
        // The only `c` is at 150,000: `a[ab]{n}c` matches exactly when the byte n + 1 before it is `a`.
        let byPosition = (0..<8).filter { input[150_000 - (4 + $0) - 1] == 0x61 }
        let expected = regexes.indices.filter { regexes[$0].matches(input) }
        #expect(expected == byPosition)
        #expect(set.matchingIndices(in: input) == expected)
    }

    @Test func concurrentUseFromManyTasks() async throws {
        let regex = try SafeRegex("(?i)\\bselect\\b.+\\bfrom\\b")
        let set = try RegexSet(["(?i)select", "from", "where\\s+1"].map { RegexSet.Pattern($0) })
        let results = await withTaskGroup(of: Bool.self) { group in
            for task in 0..<32 {
                group.addTask {
                    var ok = true
                    for round in 0..<200 {
                        let input = "q\(task)-\(round): SELECT name FROM users where 1=1"
                        ok = ok && regex.firstMatch(in: input).map { input.utf8.count - $0.lowerBound > 20 } == true
                        ok = ok && set.matchingIndices(in: input) == [0, 2] && !regex.matches("selectfrom")
                    }
                    return ok
                }
            }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 32 && results.allSatisfy { $0 })
    }
}
