import Testing

@testable import Rampart

@Suite("Blocking responses")
struct BlockingResponseTests {
    let renderer = BlockingResponseRenderer(configuration: RampartConfiguration())

    @Test("Accept chooses JSON or HTML", arguments: [
        (nil, BlockingFormat.json),
        ("*/*", .json),
        ("application/json", .json),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", .html),
        ("application/json, text/html;q=0.5", .json),
        ("text/html;q=0.2, application/json;q=0.1", .html),
        ("text/plain", .json),
    ])
    func negotiation(accept: String?, expected: BlockingFormat) {
        #expect(BlockingResponseRenderer.preferredFormat(accept: accept) == expected)
    }

    @Test func defaultJSONBlock() {
        let response = renderer.render(.block(status: nil, format: .auto, securityResponseID: "abc-123"), accept: nil)
        #expect(response.status == 403)
        #expect(response.headers.contains(.init("Content-Type", "application/json")))
        #expect(response.body.contains(#""security_response_id":"abc-123""#))
    }

    @Test func customTemplateAndStatus() {
        var configuration = RampartConfiguration()
        configuration.blockedTemplateHTML = "<p>blocked [security_response_id]</p>"
        configuration.blockStatus = 406
        let custom = BlockingResponseRenderer(configuration: configuration)
        let response = custom.render(.block(status: nil, format: .html, securityResponseID: "id-9"), accept: "application/json")
        #expect(response.status == 406)
        #expect(response.body == "<p>blocked id-9</p>")
        #expect(custom.render(.block(status: 429, format: .json, securityResponseID: "x"), accept: nil).status == 429)
        #expect(custom.render(.block(status: 200, format: .json, securityResponseID: "x"), accept: nil).status == 406)
    }

    @Test func redirects() {
        let response = renderer.render(.redirect(status: 302, location: "/blocked", securityResponseID: "r"), accept: nil)
        #expect(response.status == 302)
        #expect(response.headers.contains(.init("Location", "/blocked")))
        let coerced = renderer.render(.redirect(status: 200, location: "/x", securityResponseID: "r"), accept: nil)
        #expect(coerced.status == 303)
    }
}
