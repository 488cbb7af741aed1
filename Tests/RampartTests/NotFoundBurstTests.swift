import RampartProtocol
import Testing

@testable import Rampart

@Suite("Behavioural scanner check: bursts of 404s per client")
struct NotFoundBurstTests {
    let start = ContinuousClock.now

    @Test("the 404 that reaches the threshold reports once per window and client")
    func reportsOncePerWindow() {
        let detector = NotFoundBurstDetector(threshold: 3, window: .seconds(60))
        #expect(detector.recordNotFound(clientIP: "203.0.113.7", now: start) == nil)
        #expect(detector.recordNotFound(clientIP: "203.0.113.7", now: start + .seconds(1)) == nil)
        #expect(detector.recordNotFound(clientIP: "203.0.113.7", now: start + .seconds(2)) == 3)
        #expect(detector.recordNotFound(clientIP: "203.0.113.7", now: start + .seconds(3)) == nil)
        // Another client has its own count.
        #expect(detector.recordNotFound(clientIP: "203.0.113.8", now: start + .seconds(3)) == nil)
        // A new window starts the count again, and a scan that goes on is reported again.
        let later = start + .seconds(61)
        #expect(detector.recordNotFound(clientIP: "203.0.113.7", now: later) == nil)
        #expect(detector.recordNotFound(clientIP: "203.0.113.7", now: later) == nil)
        #expect(detector.recordNotFound(clientIP: "203.0.113.7", now: later) == 3)
    }

    @Test("404s spread wider than the window are no burst")
    func slowClientsAreNoBurst() {
        let detector = NotFoundBurstDetector(threshold: 3, window: .seconds(10))
        for second in stride(from: 0, to: 100, by: 6) {
            #expect(detector.recordNotFound(clientIP: "198.51.100.1", now: start + .seconds(second)) == nil)
        }
    }

    @Test("threshold 0 turns the check off; an unknown client IP is not counted")
    func disabledAndUnknownClient() {
        let off = NotFoundBurstDetector(threshold: 0, window: .seconds(60))
        for _ in 0..<100 { #expect(off.recordNotFound(clientIP: "198.51.100.1", now: start) == nil) }
        #expect(off.trackedClients == 0)
        let detector = NotFoundBurstDetector(threshold: 1, window: .seconds(60))
        #expect(detector.recordNotFound(clientIP: "", now: start) == nil)
        #expect(detector.recordNotFound(clientIP: "198.51.100.1", now: start) == 1)
    }

    @Test("memory stays bounded by the capacity under a flood of addresses")
    func boundedMemory() {
        let detector = NotFoundBurstDetector(threshold: 5, window: .seconds(60), capacity: 100)
        for index in 0..<10_000 {
            _ = detector.recordNotFound(clientIP: "10.0.\(index / 256).\(index % 256)", now: start + .milliseconds(index))
            #expect(detector.trackedClients <= 100)
        }
        // The newest clients are still counted after the evictions.
        for _ in 0..<3 { _ = detector.recordNotFound(clientIP: "10.0.39.15", now: start + .seconds(11)) }
        #expect(detector.recordNotFound(clientIP: "10.0.39.15", now: start + .seconds(11)) == 5)
    }

    @Test("a request context reports the burst as one security_scanner event, never blocking")
    func contextReportsScannerEvent() throws {
        var configuration = RampartConfiguration()
        configuration.mode = .block
        configuration.scannerNotFoundThreshold = 4
        configuration.wafBudget = .milliseconds(100)
        let exporter = CollectingExporter()
        let agent = RampartAgent(configuration: configuration, rulesetJSON: agentTestRuleset, exporters: [exporter])
        for index in 0..<10 {
            let context = agent.makeContext(for: request("/backup-\(index).zip", peer: "192.0.2.44"))
            #expect(context.inspectHeaders() == nil)
            #expect(context.inspectResponse(status: 404) == nil)
            context.finish(status: 404)
        }
        // Found pages and other clients do not count.
        for peer in ["192.0.2.45", "192.0.2.46"] {
            let context = agent.makeContext(for: request("/missing", peer: peer))
            _ = context.inspectResponse(status: 404)
            context.finish(status: 404)
        }
        let events = exporter.events
        #expect(events.count == 1)
        let event = try #require(events.first)
        #expect(!event.blocked)
        #expect(event.clientIP == "192.0.2.44")
        #expect(event.path == "/backup-3.zip")
        #expect(event.status == 404)
        let rule = try #require(event.rules.first)
        #expect(rule.ruleID == RequestSecurityContext.notFoundBurstRuleID)
        #expect(rule.category == "security_scanner")
        #expect(rule.value == "4 responses with status 404")
    }
}
