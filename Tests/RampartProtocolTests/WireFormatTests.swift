import Foundation
import Testing

@testable import RampartProtocol

/// Round trips of every wire type, and decoding of the literal JSON documented in docs/agent-protocol.md.
@Suite struct WireFormatTests {
    let timestamp = ProtocolTimestamp.date(from: "2026-12-03T08:41:07.125Z")!

    func roundTrip<Value: Codable & Equatable>(_ value: Value) throws -> Value {
        let data = try ProtocolCoding.encode(value)
        return try ProtocolCoding.decode(Value.self, from: data)
    }

    func jsonObject(_ value: some Encodable) throws -> [String: Any] {
        let data = try ProtocolCoding.encode(value)
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func sampleEvent() -> SecurityEvent {
        SecurityEvent(
            eventID: UUID(uuidString: "5B0E3C7A-8C1D-4F7E-9A55-0D6B7B1E2F10")!, timestamp: timestamp, kind: .waf,
            blocked: true, route: "/search", method: "GET", path: "/search", clientIP: "203.0.113.7",
            userID: "alice", userAgent: "sqlmap/1.7", status: 403,
            rules: [
                RuleMatchEvidence(
                    ruleID: "crs-942-100", ruleName: "SQL injection", category: "sql_injection", crsID: "942100",
                    operator: "is_sqli", address: "server.request.query", keyPath: ["q", "0"],
                    value: "1' OR '1'='1", highlight: ["s&sos"])
            ],
            request: RequestSummary(headers: ["user-agent": "sqlmap/1.7"], query: ["q": ["1' OR '1'='1"]]))
    }

    @Test func loginRoundTrips() throws {
        let login = AgentLogin(
            agentID: UUID().uuidString, appName: "shop", environment: "production", hostname: "web-1",
            rampartVersion: "0.1.0", swiftVersion: "6.3.1", os: "Linux", framework: "vapor 4.122.3",
            routes: [RouteInfo(method: "GET", path: "/users/:id")],
            dependencies: [Dependency(name: "vapor", version: "4.122.3")])
        #expect(try roundTrip(login) == login)
        #expect(try jsonObject(login)["protocolVersion"] as? Int == 1)
        let response = AgentLoginResponse(
            agentID: login.agentID, heartbeatInterval: 20,
            commands: [.setMode(category: nil, mode: .monitor), .setBudget(micros: 5000)], settingsRevision: 3)
        #expect(try roundTrip(response) == response)
    }

    @Test func heartbeatRoundTripsWithEvents() throws {
        let heartbeat = Heartbeat(
            agentID: "A", sequence: 7, batches: [EventBatch(events: [sampleEvent()])],
            metrics: AgentMetrics(requests: 100, blocked: 1, attacks: 2, droppedEvents: 3, wafTimeouts: 0, wafP99Micros: 250),
            settingsRevision: 2, rulesetVersion: "1.13.0")
        #expect(try roundTrip(heartbeat) == heartbeat)
        let response = HeartbeatResponse(
            acknowledgedBatchIDs: heartbeat.batches.map(\.batchID.uuidString), commands: [], settingsRevision: 2)
        let decoded = try roundTrip(response)
        #expect(decoded == response)
        #expect(decoded.acknowledgedBatchUUIDs == Set(heartbeat.batches.map(\.batchID)))
    }

    @Test func timestampsAreISO8601WithMillisecondsWhateverTheEncoder() throws {
        let event = sampleEvent()
        #expect(try jsonObject(event)["timestamp"] as? String == "2026-12-03T08:41:07.125Z")
        // A plain JSONEncoder/JSONDecoder (default date strategy) produces and reads the same wire format.
        let plain = try JSONEncoder().encode(event)
        let object = try #require(JSONSerialization.jsonObject(with: plain) as? [String: Any])
        #expect(object["timestamp"] as? String == "2026-12-03T08:41:07.125Z")
        #expect(try JSONDecoder().decode(SecurityEvent.self, from: plain) == event)
        #expect(ProtocolTimestamp.date(from: "2026-12-03T08:41:07Z") != nil)
        #expect(ProtocolTimestamp.date(from: "yesterday") == nil)
    }

    @Test(arguments: [
        AgentCommand.fetchRuleset(version: "1.13.0", url: "/api/v1/agent/ruleset?version=1.13.0"),
        .blockIPs([BlocklistEntry(value: "203.0.113.7", expiresAt: ProtocolTimestamp.date(from: "2026-12-04T00:00:00.000Z")),
                   BlocklistEntry(value: "2001:db8::/32")]),
        .unblockIPs(["203.0.113.7"]),
        .blockUsers([BlocklistEntry(value: "mallory")]),
        .unblockUsers(["mallory"]),
        .setMode(category: "sql_injection", mode: .block),
        .setMode(category: nil, mode: .monitor),
        .setBudget(micros: 5000),
    ])
    func commandsRoundTrip(_ command: AgentCommand) throws {
        #expect(try roundTrip(command) == command)
        #expect(try jsonObject(command)["type"] as? String == command.type)
    }

    @Test func commandsAreTaggedObjects() throws {
        let json = try jsonObject(AgentCommand.setMode(category: "xss", mode: .block))
        #expect(json["type"] as? String == "setMode")
        #expect(json["category"] as? String == "xss")
        #expect(json["mode"] as? String == "block")
        let block = try jsonObject(AgentCommand.blockIPs([BlocklistEntry(value: "198.51.100.1")]))
        let entries = try #require(block["entries"] as? [[String: Any]])
        #expect(entries.first?["value"] as? String == "198.51.100.1")
        #expect(entries.first?["expiresAt"] == nil)
    }

    @Test func unknownCommandTypesDecodeAsUnsupported() throws {
        let json = #"{"acknowledgedBatchIDs":[],"commands":[{"type":"rotateKeys","after":5},{"type":"setBudget","micros":10}],"settingsRevision":4}"#
        let response = try ProtocolCoding.decode(HeartbeatResponse.self, from: Data(json.utf8))
        #expect(response.commands == [.unsupported(type: "rotateKeys"), .setBudget(micros: 10)])
    }

    @Test func malformedCommandsAreErrorsNotCrashes() {
        for json in [#"{"type":"setMode","mode":"destroy"}"#, #"{"type":"blockIPs"}"#, #"{"mode":"block"}"#, "[]", "7"] {
            #expect(throws: DecodingError.self) {
                try ProtocolCoding.decode(AgentCommand.self, from: Data(json.utf8))
            }
        }
    }

    @Test func metricsDefaultMissingCountersToZero() throws {
        let metrics = try ProtocolCoding.decode(AgentMetrics.self, from: Data(#"{"requests":5}"#.utf8))
        #expect(metrics == AgentMetrics(requests: 5))
    }

    @Test func blocklistExpiry() {
        let entry = BlocklistEntry(value: "203.0.113.7", expiresAt: timestamp)
        #expect(entry.isActive(at: timestamp.addingTimeInterval(-1)))
        #expect(!entry.isActive(at: timestamp))
        #expect(BlocklistEntry(value: "x").isActive(at: .distantFuture))
    }

    @Test func rulesetPathEncodesTheVersion() {
        #expect(RampartProtocol.Endpoint.ruleset(version: "1.13.0") == "/api/v1/agent/ruleset?version=1.13.0")
        #expect(RampartProtocol.Endpoint.ruleset(version: "a b&c") == "/api/v1/agent/ruleset?version=a%20b%26c")
    }

    @Test func errorResponseRoundTrips() throws {
        let error = ProtocolErrorResponse(
            error: ProtocolErrorResponse.Code.unsupportedProtocolVersion, message: "version 9 is not supported",
            supportedVersions: [1])
        #expect(try roundTrip(error) == error)
    }
}

@Suite struct TimestampTests {
    @Test func millisecondDatesRoundTripExactly() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let date = Date(timeIntervalSince1970: Double.random(in: 0..<4_000_000_000, using: &generator))
            let truncated = ProtocolTimestamp.truncatedToMilliseconds(date)
            let text = ProtocolTimestamp.string(from: truncated)
            #expect(ProtocolTimestamp.date(from: text) == truncated, "\(text)")
            #expect(ProtocolTimestamp.string(from: try #require(ProtocolTimestamp.date(from: text))) == text)
        }
    }

    @Test func parsesTheAcceptedForms() {
        #expect(ProtocolTimestamp.date(from: "1970-01-01T00:00:01.5Z") == Date(timeIntervalSince1970: 1.5))
        #expect(ProtocolTimestamp.date(from: "1970-01-01T00:00:01.123456Z") == Date(timeIntervalSince1970: 1.123))
        #expect(ProtocolTimestamp.date(from: "1970-01-01T00:00:01Z") == Date(timeIntervalSince1970: 1))
        #expect(ProtocolTimestamp.string(from: Date(timeIntervalSince1970: 0.007)) == "1970-01-01T00:00:00.007Z")
        for bad in ["", "1970-01-01", "1970-01-01T00:00:01.Z", "1970-01-01T00:00:01.1234567890Z", "x.5Z"] {
            #expect(ProtocolTimestamp.date(from: bad) == nil, "\(bad)")
        }
    }
}
