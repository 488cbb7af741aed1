import Foundation
import RampartProtocol
import Testing

@testable import RampartPlatform

/// The hand-written event document against the protocol's JSON coding: every document decodes back to the event
/// it was written from, and for events whose keys Foundation sorts the same way, the bytes are the encoder's.
@Suite struct EventDocumentTests {
    static let awkward = ["", "plain", "quote \" and backslash \\", "/path/with/slashes", "tab\tnew\nline\rcr",
        "\u{08}\u{0C}\u{01}\u{1F}\u{7F}", "<script>alert(1)</script>", "ünïcødé Ω 漢字 🛡️", "\u{2028}\u{2029}"]

    static func events() -> [SecurityEvent] {
        var events: [SecurityEvent] = []
        var generator = SeededGenerator(seed: 11)
        for (index, text) in awkward.enumerated() {
            let millis = Int64.random(in: 0...4_102_444_800_000, using: &generator)
            events.append(SecurityEvent(
                timestamp: Date(timeIntervalSince1970: Double(millis) / 1000), kind: EventKind.allCases[index % EventKind.allCases.count],
                blocked: index % 2 == 0, route: "/r/\(text)", method: "POST", path: text, clientIP: "2001:db8::\(index)",
                userID: index % 3 == 0 ? nil : "user \(text)", userAgent: index % 4 == 0 ? nil : text, status: index % 2 == 0 ? 403 : nil,
                rules: index % 5 == 4 ? [] : [
                    RuleMatchEvidence(ruleID: "r-\(index)", ruleName: text, category: "xss", crsID: index % 2 == 0 ? "941100" : nil,
                        operator: "match_regex", operatorValue: "(?i)<script", address: "server.request.query",
                        keyPath: ["q", text], value: text, highlight: [text]),
                    RuleMatchEvidence(ruleID: "second", ruleName: "", category: "lfi", operator: "phrase_match", address: "a", value: "v"),
                ],
                stack: index % 3 == 1 ? ["frame 1", text] : nil,
                request: index % 4 == 3 ? nil : RequestSummary(headers: ["user-agent": text, "x-b": "1", "accept": "*/*"], query: ["q": [text, "2"], "a": []])))
        }
        return events
    }

    @Test func documentsDecodeToTheEventsTheyWereWrittenFrom() throws {
        for event in Self.events() {
            let document = EventDocument.json(event)
            let decoded = try ProtocolCoding.decode(SecurityEvent.self, from: Data(document.utf8))
            #expect(decoded == event, "\(document)")
        }
    }

    @Test func documentsAreTheEncodersBytesForLowerCaseKeys() throws {
        // Foundation's sorted keys and this writer's agree whenever header and query keys are lower-case ASCII, as
        // agents send them.
        for event in Self.events() {
            let encoded = String(decoding: try ProtocolCoding.encode(event), as: UTF8.self)
            #expect(EventDocument.json(event) == encoded)
        }
    }

    @Test func timestampsAreTheProtocolsFormat() {
        var generator = SeededGenerator(seed: 3)
        var dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.001), Date(timeIntervalSince1970: 951_782_400.999),
                     Date(timeIntervalSince1970: -62_135_596_800), Date(timeIntervalSince1970: 253_402_300_799.999), .distantPast, .distantFuture]
        for _ in 0..<2_000 {
            dates.append(Date(timeIntervalSince1970: Double(Int64.random(in: -30_000_000_000_000...300_000_000_000_000, using: &generator)) / 1000))
        }
        for date in dates {
            #expect(EventDocument.timestamp(date) == ProtocolTimestamp.string(from: date), "\(date.timeIntervalSince1970)")
        }
    }
}
