import Testing

@testable import Rampart

@Suite("Scrubbing")
struct ScrubberTests {
    let scrubber = Scrubber()

    @Test("sensitive keys are redacted anywhere on the key path", arguments: [
        "password", "user_password", "X-Api-Key", "Authorization", "apikey", "access_token", "client_secret",
    ])
    func sensitiveKeys(key: String) {
        #expect(scrubber.scrub("hunter2", keyPath: ["body", key]) == Scrubber.redacted)
    }

    @Test func ordinaryKeysKeepTheirValue() {
        #expect(scrubber.scrub("' OR 1=1 --", keyPath: ["q"]) == "' OR 1=1 --")
    }

    @Test("card numbers are masked, other digit runs are kept")
    func cardNumbers() {
        #expect(Scrubber.maskingCardNumbers(in: "card 4111 1111 1111 1111 ok") == "card <redacted> ok")
        #expect(Scrubber.maskingCardNumbers(in: "4111-1111-1111-1111") == "<redacted>")
        #expect(Scrubber.maskingCardNumbers(in: "order 4111111111111112") == "order 4111111111111112")  // fails Luhn
        #expect(Scrubber.maskingCardNumbers(in: "id=12345") == "id=12345")
        #expect(Scrubber.maskingCardNumbers(in: "é5500005555555559é") == "é<redacted>é")
    }

    @Test func customMatchers() {
        let custom = Scrubber(sensitiveKeys: [], keyMatcher: { $0 == "pin" }, valueMatcher: { $0.hasPrefix("sk_") })
        #expect(custom.scrub("1234", keyPath: ["pin"]) == Scrubber.redacted)
        #expect(custom.scrub("sk_live_abc", keyPath: ["note"]) == Scrubber.redacted)
        #expect(custom.scrub("hello", keyPath: ["password"]) == "hello")
    }
}
