import Testing
@testable import RampartWAF

/// Malformed and hostile input never crashes the tokenizers or detectors: unterminated constructs, invalid UTF-8,
/// random bytes, and 1 MB values.
@Suite struct SQLDetectorRobustnessTests {
    /// Bytes biased towards SQL and HTML punctuation, so random inputs reach deep states.
    static let alphabet: [UInt8] = Array("'\"`[]()<>/*-#;=$:@?\\ \t\nqQeEnNxX0a1bOR&|.,!~^%{}".utf8) + [0x00, 0x80, 0xC3, 0xFF, 0xE2]

    static func randomBytes(count: Int, using generator: inout SplitMix64) -> [UInt8] {
        (0..<count).map { _ in
            Bool.random(using: &generator) ? alphabet.randomElement(using: &generator) ?? 0 : UInt8.random(in: 0...255, using: &generator)
        }
    }

    static func checkTokens(_ tokens: [SQLToken], count: Int) {
        var previousEnd = 0
        for token in tokens {
            #expect(token.start >= previousEnd && token.start < token.end && token.end <= count)
            previousEnd = token.end
        }
    }

    @Test func randomBytesEverywhere() {
        var generator = SplitMix64(seed: 0x5EED)
        for round in 0..<1500 {
            let bytes = Self.randomBytes(count: Int.random(in: 0...96, using: &generator), using: &generator)
            for dialect in SQLDialect.allCases {
                Self.checkTokens(SQLTokenizer.tokenize(bytes, dialect: dialect), count: bytes.count)
            }
            _ = SQLiStringDetector.detect(bytes)
            _ = XSSStringDetector.detect(bytes)
            let statement = String(decoding: bytes, as: UTF8.self)
            let start = Int.random(in: 0...max(0, bytes.count - 2), using: &generator)
            let fragment = String(decoding: bytes[start..<min(bytes.count, start + 6)], as: UTF8.self)
            _ = SQLInjectionDetector.detect(statement: statement, dialect: SQLDialect.allCases[round % 6],
                                            parameters: [UserParameter(value: fragment, address: "fuzz")])
        }
    }

    @Test(arguments: ["'", "\"", "`", "[", "/*", "/* /* */", "$$", "$tag$ x", "E'\\", "q'[", "nq'{", "N'", "x'", "-- ",
                      "#", "0x", "1e", "1e+", ".", "@", "@@", ":", "::", "?", "$", "<", "<a", "<a href", "<a href='",
                      "<a href=\"javascript", "<!--", "<!", "<?", "</", "&#", "&#x", "&", "<svg/on", "<style>"])
    func unterminatedConstructs(_ text: String) {
        for dialect in SQLDialect.allCases {
            Self.checkTokens(SQLTokenizer.tokenize(text, dialect: dialect), count: text.utf8.count)
            _ = SQLInjectionDetector.detect(statement: "SELECT \(text)", dialect: dialect,
                                            parameters: [UserParameter(value: text + text, address: "q")])
        }
        _ = SQLiStringDetector.detect(text)
        _ = XSSStringDetector.detect(text)
    }

    @Test func invalidUTF8() {
        let bytes: [UInt8] = [0x27, 0xFF, 0xFE, 0x20, 0x4F, 0x52, 0x20, 0x31, 0x3D, 0x31, 0x2D, 0x2D, 0xC3]
        for dialect in SQLDialect.allCases {
            Self.checkTokens(SQLTokenizer.tokenize(bytes, dialect: dialect), count: bytes.count)
        }
        // `\xFF\xFE' OR 1=1--` after a quote: still an injection, the invalid bytes are just part of the literal.
        #expect(SQLiStringDetector.detect([0xFF, 0xFE] + Array("' OR 1=1--".utf8)) != nil)
        #expect(XSSStringDetector.detect([0xFF] + Array("<script>".utf8) + [0xC3]) != nil)
        let statement = String(decoding: [0xFF, 0x27] + Array(" OR 1=1".utf8), as: UTF8.self)
        #expect(SQLInjectionDetector.detect(statement: "SELECT * FROM t WHERE a = '" + statement,
                                            dialect: .generic,
                                            parameters: [UserParameter(value: statement, address: "q")]) != nil)
    }

    @Test func oneMegabyteInputs() {
        let megabyte = 1 << 20
        let prose = String(repeating: "select a plan; it's union station -- ", count: megabyte / 37)
        #expect(SQLiStringDetector.detect(prose) == nil)
        #expect(XSSStringDetector.detect(prose) == nil)
        let quotes = String(repeating: "'", count: megabyte)
        _ = SQLiStringDetector.detect(quotes)
        _ = XSSStringDetector.detect(quotes)
        let parentheses = String(repeating: "(", count: megabyte)
        _ = SQLiStringDetector.detect(parentheses)
        #expect(SQLiStringDetector.detect("1 OR " + String(repeating: "(", count: megabyte / 2) + "1=1") != nil)
        let tags = String(repeating: "<a b=c ", count: megabyte / 7)
        #expect(XSSStringDetector.detect(tags) == nil)
        let words = String(repeating: "select a plan; union station and more ", count: megabyte / 38)
        for dialect in SQLDialect.allCases {
            let tokens = SQLTokenizer.tokenize(words, dialect: dialect)
            #expect(tokens.count > megabyte / 10)
        }
        let statement = "SELECT * FROM t WHERE a = '" + words + "'"
        #expect(SQLInjectionDetector.detect(statement: statement, dialect: .postgresql,
                                            parameters: [UserParameter(value: words, address: "q"),
                                                         UserParameter(value: "union station", address: "q")]) == nil)
    }
}
