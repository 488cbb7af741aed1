import Testing
@testable import RampartWAF

@Suite struct WAFValueTests {
    @Test func parsesJSONScalarsAndContainers() throws {
        let value = try WAFValue(json: #"{"a": [1, -2, 18446744073709551615, 1.5, true, null, "x\u00e9\ud83d\ude00"], "b": {}}"#)
        #expect(value["a"]?[0] == .signed(1))
        #expect(value["a"]?[1] == .signed(-2))
        #expect(value["a"]?[2] == .unsigned(18_446_744_073_709_551_615))
        #expect(value["a"]?[3] == .float(1.5))
        #expect(value["a"]?[4] == .bool(true))
        #expect(value["a"]?[5] == .null)
        #expect(value["a"]?[6] == .string("xé😀"))
        #expect(value["b"] == .map([]))
    }

    @Test func rejectsMalformedJSONWithOffset() {
        #expect(throws: JSONParseError.self) { try WAFValue(json: #"{"a": }"#) }
        #expect(throws: JSONParseError.self) { try WAFValue(json: "[1, 2") }
        #expect(throws: JSONParseError.self) { try WAFValue(json: "[1] x") }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParseError.self) { try WAFValue(json: deep) }
    }

    @Test func jsonRoundTrip() throws {
        let value: WAFValue = ["k": ["a\"b\n", 3, false, nil]]
        #expect(try WAFValue(json: value.jsonText) == value)
    }

    @Test func queryKeepsRepeatsBlanksAndDecodes() {
        let value = WAFValue.query("a=1&b=x+y%21&a=3&flag&c=%zz")
        #expect(value == ["a": ["1", "3"], "b": ["x y!"], "flag": [""], "c": ["%zz"]])
    }

    @Test func cookiesTrimAndDecodeWithoutPlus() {
        let value = WAFValue.cookies("session=abc%20d; theme = dark ;junk; p=a+b")
        #expect(value == ["session": ["abc d"], "theme": ["dark"], "p": ["a+b"]])
    }

    @Test func parsingIsByteLevelAroundASCIISeparators() {
        // A combining mark after `;` or `&` does not glue the separator to the next part (Character splitting would).
        #expect(WAFValue.cookies("a=1;\u{301}b=2") == ["a": ["1"], "\u{301}b": ["2"]])
        #expect(WAFValue.query("a=1&\u{301}b=2&=&&c") == ["a": ["1"], "\u{301}b": ["2"], "": [""], "c": [""]])
        #expect(WAFValue.cookies("") == [:])
        #expect(WAFValue.cookies(";; =x;  y\t=\t2  ") == ["": ["x"], "y": ["2"]])
        #expect(WAFValue.query("") == [:])
    }

    @Test func manyKeysKeepFirstSeenOrderAndGroupRepeats() {
        let text = (0..<40).map { "k\($0)=\($0)" }.joined(separator: "&") + "&k3=again&k30=again"
        guard case .map(let entries) = WAFValue.query(text) else {
            Issue.record("not a map")
            return
        }
        #expect(entries.map(\.key) == (0..<40).map { "k\($0)" })
        #expect(entries[3].value == ["3", "again"])
        #expect(entries[30].value == ["30", "again"])
    }

    @Test func headersLowercaseGroupAndDropCookie() {
        let value = WAFValue.headers([("Accept", "a"), ("X-Id", "1"), ("accept", "b"), ("Cookie", "s=1")])
        #expect(value == ["accept": ["a", "b"], "x-id": ["1"]])
    }

    @Test func headersHandOverCookieFieldsInOrder() {
        var cookies: [String] = []
        let value = WAFValue.headers(
            fields: [("Accept", "a"), ("cookie", "s=1"), ("X-Id", "1"), ("Cookie", "t=2; u=3")], cookies: &cookies)
        #expect(value == ["accept": ["a"], "x-id": ["1"]])
        #expect(cookies == ["s=1", "t=2; u=3"])
    }

    @Test func cookieFieldsReadAsOneHeader() {
        let fields = ["a=1; b=x%20y", "a=2", "junk", " c = 3 "]
        #expect(WAFValue.cookies(headers: fields) == WAFValue.cookies(fields.joined(separator: "; ")))
        #expect(WAFValue.cookies(headers: fields) == ["a": ["1", "2"], "b": ["x y"], "c": ["3"]])
        #expect(WAFValue.cookies(headers: []) == [:])
    }

    @Test func integersAreReadWithoutOverflowAtEveryLength() throws {
        let cases: [(String, WAFValue)] = [
            ("0", .signed(0)), ("-0", .signed(0)), ("007", .signed(7)), ("-12", .signed(-12)),
            ("999999999999999999", .signed(999_999_999_999_999_999)),
            ("-999999999999999999", .signed(-999_999_999_999_999_999)),
            ("9223372036854775807", .signed(.max)), ("-9223372036854775808", .signed(.min)),
            ("9223372036854775808", .unsigned(9_223_372_036_854_775_808)),
            ("-9223372036854775809", .float(-9_223_372_036_854_775_809.0)),
            ("1e3", .float(1000)), ("-2.5E-1", .float(-0.25)),
        ]
        for (text, expected) in cases {
            #expect(try WAFValue(json: "[\(text)]") == [expected], "\(text)")
        }
    }

    @Test func stringLimitCutsOnCharacterBoundary() {
        let limits = WAFLimits(maxStringLength: 4)
        let text = Array("abcé".utf8)  // é is 2 bytes: bytes 3..4
        let length = text.withUnsafeBytes { limits.inspectedLength(of: $0) }
        #expect(length == 3)
        let short = Array("ab".utf8)
        #expect(short.withUnsafeBytes { limits.inspectedLength(of: $0) } == 2)
    }
}
