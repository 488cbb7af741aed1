import RampartWAF
import Testing

@testable import Rampart

@Suite("Non-HTTP entry points")
struct InvocationTests {
    @Test("a queue message with an attack is refused in block mode; a clean one runs with RASP active")
    func queueMessages() async throws {
        let (agent, exporter) = makeAgent(mode: .block)
        let attack = try WAFValue(jsonBytes: Array(#"{"comment":"<script>alert(1)</script>"}"#.utf8))
        await #expect(throws: RampartBlockedError.self) {
            try await agent.protectInvocation(named: "comments-queue", payload: attack) { "processed" }
        }
        let clean = try WAFValue(jsonBytes: Array(#"{"webhook":"http://169.254.169.254/latest/meta-data/"}"#.utf8))
        // No request rule looks at URLs in payloads, so the message passes the WAF phase; the outgoing call built
        // from it is caught by the RASP check inside the invocation.
        let outcome: String = try await {
            do {
                return try await agent.protectInvocation(named: "orders-queue", payload: clean) {
                    try RASPCheck.outgoingURL("http://169.254.169.254/latest/meta-data/")
                    return "ran"
                }
            } catch is RampartBlockedError {
                return "blocked"
            }
        }()
        #expect(outcome == "blocked")
        #expect(exporter.events.contains { $0.kind == .rasp && $0.route == "orders-queue" })
        let benign = try await agent.protectInvocation(named: "orders-queue", payload: ["id": "42"]) {
            try RASPCheck.sqlStatement("SELECT * FROM orders WHERE id = 42", system: "postgresql")
            return "ran"
        }
        #expect(benign == "ran")
    }
}
