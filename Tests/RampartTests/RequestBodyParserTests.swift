import RampartWAF
import Testing

@testable import Rampart

@Suite("Request bodies")
struct RequestBodyParserTests {
    @Test func mediaTypeIgnoresParametersSpacesAndCase() {
        #expect(RequestBodyParser.mediaType(of: " \tApplication/JSON ; charset=utf-8") == "application/json")
        #expect(RequestBodyParser.mediaType(of: "text/plain") == "text/plain")
        #expect(RequestBodyParser.mediaType(of: "multipart/form-data;boundary=XyZ") == "multipart/form-data")
        #expect(RequestBodyParser.mediaType(of: "") == "")
        #expect(RequestBodyParser.mediaType(of: " ; a=b") == "")
        #expect(RequestBodyParser.parse(Array("{}".utf8), contentType: "APPLICATION/problem+JSON").body == [:])
    }

    @Test func json() {
        let parsed = RequestBodyParser.parse(Array(#"{"q":"x","n":[1,2]}"#.utf8), contentType: "application/json; charset=utf-8")
        #expect(parsed.body == (try? WAFValue(jsonBytes: Array(#"{"q":"x","n":[1,2]}"#.utf8))))
    }

    @Test func malformedJSONIsNotInspectedNorFatal() {
        #expect(RequestBodyParser.parse(Array(#"{"q":"#.utf8), contentType: "application/json").body == nil)
        #expect(RequestBodyParser.parse([0xFF, 0xFE, 0x00], contentType: "application/json").body == nil)
    }

    @Test func urlEncoded() {
        let parsed = RequestBodyParser.parse(Array("a=1&b=%27+OR".utf8), contentType: "application/x-www-form-urlencoded")
        #expect(parsed.body == WAFValue.form("a=1&b=%27+OR"))
    }

    @Test("multipart: field values by name, file names apart, file contents skipped")
    func multipart() {
        let body = [
            "--XyZ", "Content-Disposition: form-data; name=\"comment\"", "", "<script>alert(1)</script>",
            "--XyZ", "Content-Disposition: form-data; name=\"upload\"; filename=\"../../etc/passwd\"",
            "Content-Type: application/octet-stream", "", "binary-content", "--XyZ--", "",
        ].joined(separator: "\r\n")
        let parsed = RequestBodyParser.parse(Array(body.utf8), contentType: "multipart/form-data; boundary=XyZ")
        #expect(parsed.fileNames == ["../../etc/passwd"])
        #expect(parsed.body == .map([WAFValue.Entry(key: "comment", value: .array([.string("<script>alert(1)</script>")]))]))
    }

    @Test func unknownTypes() {
        #expect(RequestBodyParser.parse(Array("abc".utf8), contentType: "application/octet-stream").body == nil)
        #expect(RequestBodyParser.parse([], contentType: "application/json").body == nil)
    }
}

@Suite("Percent decoding")
struct PercentDecodingTests {
    @Test func decoding() {
        #expect(PercentDecoding.decode("a%20b%2Fc") == "a b/c")
        #expect(PercentDecoding.decode("a+b", plusAsSpace: true) == "a b")
        #expect(PercentDecoding.decode("a+b") == "a+b")
        #expect(PercentDecoding.decode("100%") == "100%")
        #expect(PercentDecoding.decode("%zz%4") == "%zz%4")
        #expect(PercentDecoding.decode("%FF%FE") == "\u{FFFD}\u{FFFD}")
        #expect(PercentDecoding.decode("%C3%A9t%C3%A9") == "été")
    }
}
