import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RampartProtocol
import Testing

@testable import RampartPlatform

/// The agent protocol over real HTTP on 127.0.0.1 against real databases.
@Suite struct AgentAPITests {
    @Test(arguments: Backend.available)
    func loginThenHeartbeatStoresEventsOnceAcrossRetries(_ backend: Backend) async throws {
        try await PlatformHarness.run(backend) { harness, client in
            let agentID = UUID().uuidString
            let login = try await harness.login(client, agentID: agentID)
            #expect(login.agentID == agentID)
            #expect(login.heartbeatInterval == 20)
            #expect(login.commands.isEmpty)

            let batch = EventBatch(events: (0..<3).map { PlatformHarness.sampleEvent(ip: "198.51.100.\($0)") })
            let heartbeat = Heartbeat(
                agentID: agentID, sequence: 1, batches: [batch],
                metrics: AgentMetrics(requests: 50, blocked: 0, attacks: 3, droppedEvents: 2, wafTimeouts: 1, wafP99Micros: 120),
                rulesetVersion: "1.0.0")
            let first = try await harness.heartbeat(client, heartbeat)
            #expect(first.acknowledgedBatchUUIDs == [batch.batchID])

            // The response was "lost": the agent retries the same batch with a new batch beside it.
            let second = EventBatch(events: [PlatformHarness.sampleEvent(ip: "192.0.2.1")])
            var retry = heartbeat
            retry.sequence = 2
            retry.batches = [batch, second]
            let again = try await harness.heartbeat(client, retry)
            #expect(again.acknowledgedBatchUUIDs == [batch.batchID, second.batchID])

            let stored = try await harness.store.events(
                EventFilter(since: Date().addingTimeInterval(-3600), until: Date().addingTimeInterval(60), appID: harness.app.appID))
            #expect(stored.count == 4)
            #expect(Set(stored.map(\.event.eventID)) == Set((batch.events + second.events).map(\.eventID)))
            #expect(stored.first { $0.event.eventID == batch.events[0].eventID }?.event == batch.events[0])

            let agent = try #require(try await harness.store.agents(appID: harness.app.appID).first)
            #expect(agent.totalRequests == 100)
            #expect(agent.droppedEvents == 4)
            #expect(agent.rulesetVersion == "1.0.0")
            #expect(agent.routes.count == 2)
            #expect(agent.dependencies.first?.name == "hummingbird")
            #expect(agent.lastHeartbeat != nil)
        }
    }

    @Test(arguments: Backend.available)
    func concurrentRetriesOfOneBatchStoreItOnce(_ backend: Backend) async throws {
        try await PlatformHarness.run(backend) { harness, client in
            let agentID = UUID().uuidString
            _ = try await harness.login(client, agentID: agentID)
            let batch = EventBatch(events: (0..<20).map { _ in PlatformHarness.sampleEvent() })
            let heartbeat = Heartbeat(agentID: agentID, sequence: 1, batches: [batch], metrics: AgentMetrics())
            try await withThrowingTaskGroup(of: Set<UUID>.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await harness.heartbeat(client, heartbeat).acknowledgedBatchUUIDs }
                }
                for try await acknowledged in group {
                    #expect(acknowledged == [batch.batchID])
                }
            }
            let count = try await harness.store.database.query(
                "SELECT COUNT(*) AS n FROM events WHERE app_id = $1", [.text(harness.app.appID)]).first?.int("n")
            #expect(count == 20)
        }
    }

    @Test(arguments: Backend.available)
    func authenticationAndValidationFailures(_ backend: Backend) async throws {
        try await PlatformHarness.run(backend) { harness, client in
            let login = PlatformHarness.sampleLogin(agentID: UUID().uuidString)
            // No Authorization header.
            let anonymous = try await client.executeRequest(
                uri: RampartProtocol.Endpoint.login, method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(bytes: try ProtocolCoding.encode(login)))
            #expect(anonymous.status == .unauthorized)
            let error = try ProtocolCoding.decode(ProtocolErrorResponse.self, from: Data(anonymous.body.readableBytesView))
            #expect(error.error == ProtocolErrorResponse.Code.unauthorized)
            // A well-formed key that does not exist, and a key with the right id but a wrong secret.
            let wrongKey = try await harness.post(client, RampartProtocol.Endpoint.login, json: login, key: APIKey.generate().text)
            #expect(wrongKey.status == .unauthorized)
            let real = try #require(APIKey(parsing: harness.apiKey))
            let forged = "rk_\(real.keyID)_\(String(repeating: "0", count: 48))"
            #expect(try await harness.post(client, RampartProtocol.Endpoint.login, json: login, key: forged).status == .unauthorized)
            #expect(try await harness.post(client, RampartProtocol.Endpoint.login, json: login, key: "not a key").status == .unauthorized)

            // Malformed body: invalid JSON, then a missing field.
            var headers: HTTPFields = [.contentType: "application/json"]
            headers[.authorization] = "Bearer \(harness.apiKey)"
            let garbage = try await client.executeRequest(
                uri: RampartProtocol.Endpoint.heartbeat, method: .post, headers: headers, body: ByteBuffer(string: "{\"agentID\": [}"))
            #expect(garbage.status == .badRequest)
            let missing = try await client.executeRequest(
                uri: RampartProtocol.Endpoint.heartbeat, method: .post, headers: headers, body: ByteBuffer(string: #"{"agentID":"x","sequence":1,"batches":[]}"#))
            #expect(missing.status == .badRequest)
            #expect(missing.text.contains("metrics"))

            // Unsupported protocol version.
            var future = login
            future.protocolVersion = 99
            let unsupported = try await harness.post(client, RampartProtocol.Endpoint.login, json: future)
            #expect(unsupported.status == .badRequest)
            let versionError = try ProtocolCoding.decode(ProtocolErrorResponse.self, from: Data(unsupported.body.readableBytesView))
            #expect(versionError.error == ProtocolErrorResponse.Code.unsupportedProtocolVersion)
            #expect(versionError.supportedVersions == [1])

            // A heartbeat from an agent that never logged in, and from another application's agent.
            let unknown = try await harness.post(
                client, RampartProtocol.Endpoint.heartbeat, json: Heartbeat(agentID: UUID().uuidString, sequence: 1, batches: [], metrics: AgentMetrics()))
            #expect(unknown.status == .notFound)
            let other = try await harness.store.createApp(name: "other-\(UUID().uuidString.prefix(8))")
            let agentID = UUID().uuidString
            _ = try await harness.login(client, agentID: agentID)
            let crossApp = try await harness.post(
                client, RampartProtocol.Endpoint.heartbeat, json: Heartbeat(agentID: agentID, sequence: 1, batches: [], metrics: AgentMetrics()),
                key: other.apiKey.text)
            #expect(crossApp.status == .notFound)

            // A rotated key stops working at once.
            let rotated = try await harness.store.rotateKey(appID: harness.app.appID)
            #expect(try await harness.post(client, RampartProtocol.Endpoint.login, json: login).status == .unauthorized)
            #expect(try await harness.post(client, RampartProtocol.Endpoint.login, json: login, key: rotated.text).status == .ok)
        }
    }

    @Test(arguments: Backend.available)
    func settingsReachAgentsAsCommandsAtTheNextHeartbeat(_ backend: Backend) async throws {
        try await PlatformHarness.run(backend) { harness, client in
            let store = harness.store
            let appID = harness.app.appID
            let agentID = UUID().uuidString
            let login = try await harness.login(client, agentID: agentID)
            var revision = login.settingsRevision
            func beat() async throws -> [AgentCommand] {
                let response = try await harness.heartbeat(
                    client, Heartbeat(agentID: agentID, sequence: 1, batches: [], metrics: AgentMetrics(), settingsRevision: revision))
                revision = response.settingsRevision
                return response.commands
            }
            #expect(try await beat().isEmpty)

            let expiry = ProtocolTimestamp.truncatedToMilliseconds(Date().addingTimeInterval(3600))
            try await store.setMode(.block, category: "sql_injection", appID: appID)
            try await store.setMode(.monitor, category: nil, appID: appID)
            try await store.setBudget(micros: 7500, appID: appID)
            try await store.block(.ip, value: "203.0.113.9", expiresAt: expiry, reason: "test", appID: appID)
            try await store.block(.ip, value: "198.51.100.0/24", expiresAt: Date().addingTimeInterval(-60), reason: "already expired", appID: appID)
            try await store.block(.user, value: "mallory", expiresAt: nil, reason: "test", appID: appID)
            let ruleset = #"{"version":"2.2","metadata":{"rules_version":"custom-1"},"rules":[{"id":"c1","name":"n","tags":{"type":"xss"},"conditions":[{"operator":"match_regex","parameters":{"inputs":[{"address":"server.request.query"}],"regex":"x"}}]}]}"#
            try await store.uploadRuleset(version: "custom-1", document: ruleset, diagnostics: "ok", appID: appID)

            let commands = try await beat()
            #expect(commands == [
                .setMode(category: nil, mode: .monitor), .setMode(category: "sql_injection", mode: .block), .setBudget(micros: 7500),
                .fetchRuleset(version: "custom-1", url: "/api/v1/agent/ruleset?version=custom-1"),
                .blockIPs([BlocklistEntry(value: "203.0.113.9", expiresAt: expiry)]), .blockUsers([BlocklistEntry(value: "mallory")]),
            ])
            #expect(revision == 7)
            // Nothing changed since: no commands.
            #expect(try await beat().isEmpty)

            try await store.unblock(.ip, value: "203.0.113.9", appID: appID)
            try await store.setMode(.monitor, category: "sql_injection", appID: appID)
            #expect(try await beat() == [.setMode(category: "sql_injection", mode: .monitor), .unblockIPs(["203.0.113.9"])])

            // A heartbeat without settingsRevision gets what was not yet delivered to this agent.
            try await store.setBudget(micros: 9000, appID: appID)
            let implicit = try await harness.heartbeat(client, Heartbeat(agentID: agentID, sequence: 9, batches: [], metrics: AgentMetrics()))
            #expect(implicit.commands == [.setBudget(micros: 9000)])

            // A new agent's login gets the whole current state.
            let fresh = try await harness.login(client)
            #expect(fresh.commands.contains(.fetchRuleset(version: "custom-1", url: "/api/v1/agent/ruleset?version=custom-1")))
            #expect(fresh.commands.contains(.blockUsers([BlocklistEntry(value: "mallory")])))
            #expect(!fresh.commands.contains { if case .blockIPs = $0 { true } else { false } })

            // The ruleset download.
            var headers: HTTPFields = [:]
            headers[.authorization] = "Bearer \(harness.apiKey)"
            let download = try await client.executeRequest(uri: "/api/v1/agent/ruleset?version=custom-1", method: .get, headers: headers, body: nil)
            #expect(download.status == .ok)
            #expect(download.text == ruleset)
            let missing = try await client.executeRequest(uri: "/api/v1/agent/ruleset?version=nope", method: .get, headers: headers, body: nil)
            #expect(missing.status == .notFound)
            let anonymous = try await client.executeRequest(uri: "/api/v1/agent/ruleset?version=custom-1", method: .get, headers: [:], body: nil)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test(arguments: Backend.available)
    func retentionDeletesOldEventsOnly(_ backend: Backend) async throws {
        try await PlatformHarness.run(backend) { harness, client in
            let agentID = UUID().uuidString
            _ = try await harness.login(client, agentID: agentID)
            let old = PlatformHarness.sampleEvent(at: Date().addingTimeInterval(-40 * 86_400))
            let recent = PlatformHarness.sampleEvent(at: Date().addingTimeInterval(-86_400))
            _ = try await harness.heartbeat(
                client, Heartbeat(agentID: agentID, sequence: 1, batches: [EventBatch(events: [old, recent])], metrics: AgentMetrics()))
            let service = RetentionService(store: harness.store, retentionDays: 30, interval: .seconds(3600), logger: .init(label: "test"))
            await service.runOnce()
            #expect(try await harness.store.event(id: old.eventID.uuidString) == nil)
            #expect(try await harness.store.event(id: recent.eventID.uuidString)?.event == recent)
            // Batch ids are kept while younger than the retention period: a late retry is still de-duplicated.
            await RetentionService(store: harness.store, retentionDays: 1, interval: .seconds(3600), logger: .init(label: "test")).runOnce()
            #expect(try await harness.store.event(id: recent.eventID.uuidString) == nil)
        }
    }

    @Test func postgresIsTestedInCI() {
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            #expect(Backend.postgresURL != nil, "CI must export RAMPART_TEST_POSTGRES_URL (.ci/run starts PostgreSQL)")
        }
    }
}

/// Two platform instances (two stores, two connection pools) over one PostgreSQL database.
@Suite struct SharedDatabaseTests {
    @Test(.enabled(if: Backend.postgresURL != nil, "needs RAMPART_TEST_POSTGRES_URL"))
    func twoInstancesStoreARetriedBatchOnce() async throws {
        let location = Backend.postgres.location()
        try await PlatformStore.withStore(location, logger: .init(label: "instance-a")) { first in
            try await PlatformStore.withStore(location, logger: .init(label: "instance-b")) { second in
                let created = try await first.createApp(name: "shared-\(UUID().uuidString.prefix(8))")
                let agentID = UUID().uuidString
                try await first.recordLogin(PlatformHarness.sampleLogin(agentID: agentID), app: created.app, heartbeatInterval: 20)
                // The second instance sees the login and the settings written through the first.
                try await first.setMode(.block, category: "xss", appID: created.app.appID)
                let commands = try await second.commands(appID: created.app.appID, since: 0)
                #expect(commands.commands == [.setMode(category: "xss", mode: .block)])

                let batch = EventBatch(events: (0..<25).map { _ in PlatformHarness.sampleEvent() })
                let heartbeat = Heartbeat(agentID: agentID, sequence: 1, batches: [batch], metrics: AgentMetrics(requests: 1))
                async let a = first.ingest(heartbeat, app: created.app)
                async let b = second.ingest(heartbeat, app: created.app)
                let results = try await [a, b]
                #expect(results.map { $0?.acknowledgedBatchIDs } == [[batch.batchID.uuidString], [batch.batchID.uuidString]])
                #expect(results.compactMap { $0?.storedEvents }.sorted() == [0, 25])
                let count = try await second.database.query(
                    "SELECT COUNT(*) AS n FROM events WHERE app_id = $1", [.text(created.app.appID)]).first?.int("n")
                #expect(count == 25)
            }
        }
    }
}

@Suite struct AutomationTests {
    @Test(arguments: Backend.available)
    func autoBlockPlaybookBlocksABusyAttacker(_ backend: Backend) async throws {
        try await PlatformHarness.run(backend) { harness, client in
            let appID = harness.app.appID
            try await harness.store.setAutoBlock(try AutoBlockPlaybook(threshold: 3, windowMinutes: 10, blockMinutes: 30), appID: appID)
            let agentID = UUID().uuidString
            let login = try await harness.login(client, agentID: agentID)
            func beat(_ events: [SecurityEvent], revision: Int) async throws -> HeartbeatResponse {
                try await harness.heartbeat(
                    client, Heartbeat(agentID: agentID, sequence: 1, batches: [EventBatch(events: events)], metrics: AgentMetrics(), settingsRevision: revision))
            }
            // Two attacks from the busy IP (below the threshold), and an old one outside the window.
            let first = try await beat(
                [PlatformHarness.sampleEvent(ip: "203.0.113.50"), PlatformHarness.sampleEvent(ip: "203.0.113.50"),
                 PlatformHarness.sampleEvent(at: Date().addingTimeInterval(-3600), ip: "203.0.113.50"),
                 PlatformHarness.sampleEvent(ip: "192.0.2.8")], revision: login.settingsRevision)
            #expect(first.commands.isEmpty)
            let second = try await beat([PlatformHarness.sampleEvent(ip: "203.0.113.50")], revision: first.settingsRevision)
            guard case .blockIPs(let entries) = try #require(second.commands.first) else {
                Issue.record("expected a blockIPs command, got \(second.commands)")
                return
            }
            #expect(entries.map(\.value) == ["203.0.113.50"])
            let expiry = try #require(entries.first?.expiresAt)
            #expect(abs(expiry.timeIntervalSinceNow - 1800) < 120)
            // Already blocked: further attacks do not re-block (no new revision).
            let third = try await beat([PlatformHarness.sampleEvent(ip: "203.0.113.50")], revision: second.settingsRevision)
            #expect(third.commands.isEmpty)
            #expect(third.settingsRevision == second.settingsRevision)
            try await harness.store.setAutoBlock(nil, appID: appID)
            #expect(try await harness.store.autoBlock(appID: appID) == nil)
        }
    }

    /// A tracked login as the agent sends it (`Rampart.trackLogin`).
    static func loginEvent(user: String, success: Bool, at date: Date = Date(), ip: String = "198.51.100.20") -> SecurityEvent {
        let ruleID = success ? EventKind.loginSuccessRuleID : EventKind.loginFailureRuleID
        return SecurityEvent(
            timestamp: ProtocolTimestamp.truncatedToMilliseconds(date), kind: .login, blocked: false, route: "/login",
            method: "POST", path: "/login", clientIP: ip, userID: user, status: success ? 200 : 401,
            rules: [RuleMatchEvidence(ruleID: ruleID, ruleName: ruleID, category: "login", operator: "track", address: "metadata",
                                      keyPath: ["success"], value: String(success))])
    }

    @Test(arguments: Backend.available)
    func failedLoginPlaybookFlagsAndBlocksATargetedUser(_ backend: Backend) async throws {
        try await PlatformHarness.run(backend) { harness, client in
            let appID = harness.app.appID
            try await harness.store.setFailedLoginPlaybook(
                try FailedLoginPlaybook(threshold: 3, windowMinutes: 10, blockMinutes: 15), appID: appID)
            let agentID = UUID().uuidString
            let login = try await harness.login(client, agentID: agentID)
            func beat(_ events: [SecurityEvent], revision: Int) async throws -> HeartbeatResponse {
                try await harness.heartbeat(
                    client, Heartbeat(agentID: agentID, sequence: 1, batches: [EventBatch(events: events)], metrics: AgentMetrics(), settingsRevision: revision))
            }
            // Two recent failures for alice, one old one outside the window, successes that do not count, and one
            // failure for bob: nobody reaches 3.
            let first = try await beat(
                [Self.loginEvent(user: "alice", success: false), Self.loginEvent(user: "alice", success: false),
                 Self.loginEvent(user: "alice", success: false, at: Date().addingTimeInterval(-3600)),
                 Self.loginEvent(user: "alice", success: true), Self.loginEvent(user: "alice", success: true),
                 Self.loginEvent(user: "bob", success: false),
                 PlatformHarness.sampleEvent(ip: "198.51.100.20")], revision: login.settingsRevision)
            #expect(first.commands.isEmpty)
            #expect(try await harness.store.flaggedUsers(appID: appID).isEmpty)
            // The third recent failure flags alice and blocks her for 15 minutes.
            let second = try await beat([Self.loginEvent(user: "alice", success: false)], revision: first.settingsRevision)
            guard case .blockUsers(let entries) = try #require(second.commands.first) else {
                Issue.record("expected a blockUsers command, got \(second.commands)")
                return
            }
            #expect(entries.map(\.value) == ["alice"])
            let expiry = try #require(entries.first?.expiresAt)
            #expect(abs(expiry.timeIntervalSinceNow - 900) < 120)
            let flagged = try await harness.store.flaggedUsers(appID: appID)
            #expect(flagged.map(\.userID) == ["alice"])
            #expect(flagged.first?.failures == 3)
            // Still within the window: more failures neither flag her again nor send new commands.
            let third = try await beat([Self.loginEvent(user: "alice", success: false)], revision: second.settingsRevision)
            #expect(third.commands.isEmpty)
            #expect(try await harness.store.flaggedUsers(appID: appID).count == 1)
            try await harness.store.unflagUser("alice", appID: appID)
            #expect(try await harness.store.flaggedUsers(appID: appID).isEmpty)
            try await harness.store.setFailedLoginPlaybook(nil, appID: appID)
            #expect(try await harness.store.failedLoginPlaybook(appID: appID) == nil)
        }
    }

    @Test func playbookLimitsAreValidated() {
        #expect(throws: StorageError.self) { try FailedLoginPlaybook(threshold: 0, windowMinutes: 5) }
        #expect(throws: StorageError.self) { try FailedLoginPlaybook(threshold: 5, windowMinutes: 5, blockMinutes: -1) }
        #expect(FailedLoginPlaybook(stored: "5:10:0") == (try? FailedLoginPlaybook(threshold: 5, windowMinutes: 10)))
        #expect(throws: StorageError.self) { try AutoBlockPlaybook(threshold: 0, windowMinutes: 5, blockMinutes: 5) }
        #expect(throws: StorageError.self) { try AutoBlockPlaybook(threshold: 5, windowMinutes: 0, blockMinutes: 5) }
        #expect(AutoBlockPlaybook(stored: "5:10:60") == (try? AutoBlockPlaybook(threshold: 5, windowMinutes: 10, blockMinutes: 60)))
        #expect(AutoBlockPlaybook(stored: "5:x:60") == nil)
    }
}
