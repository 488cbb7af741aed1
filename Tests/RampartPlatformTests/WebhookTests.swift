import AsyncHTTPClient
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import RampartProtocol
import ServiceLifecycle
import Testing

@testable import RampartPlatform

/// Webhooks end to end: a real HTTP receiver on 127.0.0.1 (allowed by the opt-in flag), batched event
/// notifications, retries, playbook runs, the dashboard page, and the SSRF refusals.
@Suite struct WebhookTests {
    /// What the receiver got, and how many requests it should still fail.
    actor Received {
        var requests: [(headers: HTTPFields, body: Data)] = []
        var failuresLeft: Int

        init(failuresLeft: Int) { self.failuresLeft = failuresLeft }

        func record(_ headers: HTTPFields, _ body: Data) -> Bool {
            requests.append((headers, body))
            guard failuresLeft > 0 else { return true }
            failuresLeft -= 1
            return false
        }

        func payloads() throws -> [WebhookPayload] {
            try requests.map { try ProtocolCoding.decode(WebhookPayload.self, from: $0.body) }
        }
    }

    /// Runs a Hummingbird server on 127.0.0.1 that records POST /hook, answering 500 for the first
    /// `failFirst` requests and 204 afterwards.
    static func withReceiver(failFirst: Int = 0, _ body: @Sendable (_ url: String, _ received: Received) async throws -> Void) async throws {
        let received = Received(failuresLeft: failFirst)
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let ok = await received.record(request.headers, Data(buffer.readableBytesView))
            return Response(status: ok ? .noContent : .internalServerError)
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "webhook.receiver")
        // Cancelling the receiver at the end logs shutdown noise at error level.
        logger.logLevel = .critical
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            try await body("http://127.0.0.1:\(port)/hook", received)
            group.cancelAll()
        }
    }

    static var fastConfiguration: PlatformConfiguration {
        var configuration = PlatformConfiguration(heartbeatInterval: 20)
        configuration.allowInternalWebhooks = true
        configuration.webhookSettings.initialBackoff = .milliseconds(50)
        configuration.webhookSettings.requestTimeout = .seconds(5)
        configuration.webhookSettings.maxEventsPerDelivery = 3
        return configuration
    }

    /// Polls the delivery log until `done` holds (deliveries run in the background).
    /// Tests share the PostgreSQL database, so everything is read per webhook.
    static func waitForDeliveries(
        _ store: PlatformStore, of webhook: WebhookRecord, timeout: Duration = .seconds(15), until done: ([WebhookDeliveryRecord]) -> Bool
    ) async throws -> [WebhookDeliveryRecord] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let deliveries = try await store.webhookDeliveries(webhookID: webhook.webhookID, limit: 100)
            if done(deliveries) || ContinuousClock.now > deadline { return deliveries }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func heartbeat(agentID: String, sequence: Int, _ batches: [EventBatch]) -> Heartbeat {
        Heartbeat(agentID: agentID, sequence: sequence, batches: batches,
            metrics: AgentMetrics(requests: 10, blocked: 0, attacks: batches.count, droppedEvents: 0, wafTimeouts: 0, wafP99Micros: 50))
    }

    @Test(arguments: Backend.available)
    func oneBatchedPostPerHeartbeatAndNoneForResentBatches(_ backend: Backend) async throws {
        try await Self.withReceiver { url, received in
            try await PlatformHarness.run(backend, configuration: Self.fastConfiguration) { harness, client in
                let hook = try await harness.store.addWebhook(url: url, appID: harness.app.appID, onEvents: true, onPlaybooks: false, createdBy: "test")
                let agentID = UUID().uuidString
                _ = try await harness.login(client, agentID: agentID)
                let events = (0..<5).map { PlatformHarness.sampleEvent(ip: "203.0.113.\($0)") }
                let batches = [EventBatch(events: Array(events[0..<2])), EventBatch(events: Array(events[2...]))]
                _ = try await harness.heartbeat(client, Self.heartbeat(agentID: agentID, sequence: 1, batches))
                let deliveries = try await Self.waitForDeliveries(harness.store, of: hook) { $0.contains { $0.status == .delivered } }
                #expect(deliveries.count == 1)
                #expect(deliveries.first?.status == .delivered)
                #expect(deliveries.first?.itemCount == 5)
                #expect(deliveries.first?.attempts == 1)

                // The same batches again (an agent retrying): acknowledged, stored once, not announced again.
                _ = try await harness.heartbeat(client, Self.heartbeat(agentID: agentID, sequence: 2, batches))
                try await Task.sleep(for: .milliseconds(500))
                let payloads = try await received.payloads()
                #expect(payloads.count == 1)
                let payload = try #require(payloads.first)
                #expect(payload.type == "security_events")
                #expect(payload.app.id == harness.app.appID)
                #expect(payload.eventCount == 5)
                // At most maxEventsPerDelivery summaries; the rest only counted.
                #expect(payload.events?.map(\.eventID) == events.prefix(3).map(\.eventID.uuidString))
                #expect(payload.events?.first?.categories == ["sql_injection"])
                let headers = try #require(await received.requests.first?.headers)
                #expect(headers[.contentType] == "application/json")
                #expect(headers[HTTPField.Name("X-Rampart-Event")!] == "security_events")
                #expect(try await harness.store.webhookDeliveries(webhookID: hook.webhookID).count == 1)
            }
        }
    }

    /// A receiver on 127.0.0.1 that checks `Rampart-Signature` the way docs/platform.md tells receivers to, with its
    /// own HMAC: it accepts the platform's delivery and refuses the same request with the body altered.
    @Test func deliveriesAreSignedAndAReceiverRejectsATamperedBody() async throws {
        let secretBox = Locked("")
        let verifications = Locked<[Bool]>([])
        let router = Router()
        router.post("/signed") { request, _ -> Response in
            let body = Data(try await request.body.collect(upTo: 1 << 20).readableBytesView)
            let valid = Self.receiverVerifies(
                header: request.headers[HTTPField.Name("Rampart-Signature")!] ?? "", body: body, secret: secretBox.withLock { $0 })
            verifications.withLock { $0.append(valid) }
            return Response(status: valid ? .noContent : .unauthorized)
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "webhook.signed-receiver")
        logger.logLevel = .critical
        let receiver = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await receiver.runService(gracefulShutdownSignals: []) }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let url = "http://127.0.0.1:\(port)/signed"
            try await PlatformHarness.run(.sqlite, configuration: Self.fastConfiguration) { harness, client in
                let hook = try await harness.store.addWebhook(url: url, appID: harness.app.appID, onEvents: true, onPlaybooks: false, createdBy: "test")
                secretBox.withLock { $0 = hook.signingSecret }
                let agentID = UUID().uuidString
                _ = try await harness.login(client, agentID: agentID)
                _ = try await harness.heartbeat(client, Self.heartbeat(agentID: agentID, sequence: 1, [EventBatch(events: [PlatformHarness.sampleEvent()])]))
                let deliveries = try await Self.waitForDeliveries(harness.store, of: hook) { $0.first?.status != .pending && !$0.isEmpty }
                // Delivered on the first attempt: the receiver's check passed.
                #expect(deliveries.first?.status == .delivered)
                #expect(deliveries.first?.attempts == 1)
                #expect(verifications.withLock { $0 } == [true])
            }

            // Replays of a signed request: with the body altered the receiver refuses it.
            let timestamp = Int64(Date().timeIntervalSince1970)
            let body = Data(#"{"type":"security_events","eventCount":1}"#.utf8)
            let secret = secretBox.withLock { $0 }
            let header = WebhookSignature.header(secret: secret, timestamp: timestamp, body: body)
            var tampered = body
            tampered[tampered.startIndex + 30] = UInt8(ascii: "9")
            for (payload, expected) in [(body, 204), (tampered, 401)] {
                var request = HTTPClientRequest(url: url)
                request.method = .POST
                request.headers.add(name: "Rampart-Signature", value: header)
                request.body = .bytes(ByteBuffer(bytes: payload))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                #expect(Int(response.status.code) == expected)
            }
            // The platform's own helper agrees, and refuses a stale timestamp or another secret.
            #expect(WebhookSignature.verify(header: header, body: body, secret: secret))
            #expect(!WebhookSignature.verify(header: header, body: tampered, secret: secret))
            #expect(!WebhookSignature.verify(header: header, body: body, secret: secret, now: Date().addingTimeInterval(3600)))
            #expect(!WebhookSignature.verify(header: header, body: body, secret: "whsec_other"))
            #expect(!WebhookSignature.verify(header: "t=x,v1=", body: body, secret: secret))
        }
    }

    /// The receiver's side of the recipe in docs/platform.md, written independently of ``WebhookSignature``.
    static func receiverVerifies(header: String, body: Data, secret: String, now: Date = Date()) -> Bool {
        var fields: [String: String] = [:]
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        guard let timestampText = fields["t"], let timestamp = Int64(timestampText), let signature = fields["v1"],
            abs(now.timeIntervalSince1970 - Double(timestamp)) <= 300
        else { return false }
        let mac = HMAC<SHA256>.authenticationCode(for: Data(timestampText.utf8) + Data(".".utf8) + body, using: SymmetricKey(data: Data(secret.utf8)))
        let expected = mac.map { String(format: "%02x", $0) }.joined()
        return expected == signature
    }

    @Test func failedPostsAreRetriedWithBackoff() async throws {
        try await Self.withReceiver(failFirst: 2) { url, received in
            try await PlatformHarness.run(.sqlite, configuration: Self.fastConfiguration) { harness, client in
                let hook = try await harness.store.addWebhook(url: url, appID: nil, onEvents: true, onPlaybooks: true, createdBy: "test")
                let agentID = UUID().uuidString
                _ = try await harness.login(client, agentID: agentID)
                _ = try await harness.heartbeat(client, Self.heartbeat(agentID: agentID, sequence: 1, [EventBatch(events: [PlatformHarness.sampleEvent()])]))
                let deliveries = try await Self.waitForDeliveries(harness.store, of: hook) { $0.first?.status == .delivered }
                #expect(deliveries.first?.status == .delivered)
                #expect(deliveries.first?.attempts == 3)
                #expect(await received.requests.count == 3)
                // Every attempt carried the same delivery id, so receivers can deduplicate.
                let ids = Set(await received.requests.map { $0.headers[HTTPField.Name("X-Rampart-Delivery")!] ?? "" })
                #expect(ids.count == 1)
            }
        }
    }

    @Test func deliveriesFailAfterTheLastAttempt() async throws {
        let configuration = {
            var configuration = Self.fastConfiguration
            configuration.webhookSettings.maxAttempts = 2
            return configuration
        }()
        try await Self.withReceiver(failFirst: 100) { url, received in
            try await PlatformHarness.run(.sqlite, configuration: configuration) { harness, client in
                let hook = try await harness.store.addWebhook(url: url, appID: harness.app.appID, onEvents: true, onPlaybooks: false, createdBy: "test")
                let agentID = UUID().uuidString
                _ = try await harness.login(client, agentID: agentID)
                _ = try await harness.heartbeat(client, Self.heartbeat(agentID: agentID, sequence: 1, [EventBatch(events: [PlatformHarness.sampleEvent()])]))
                let deliveries = try await Self.waitForDeliveries(harness.store, of: hook) { $0.first?.status == .failed }
                #expect(deliveries.first?.status == .failed)
                #expect(deliveries.first?.attempts == 2)
                #expect(deliveries.first?.detail.contains("HTTP 500") == true)
                #expect(await received.requests.count == 2)
            }
        }
    }

    @Test func playbookRunsArePosted() async throws {
        try await Self.withReceiver { url, received in
            try await PlatformHarness.run(.sqlite, configuration: Self.fastConfiguration) { harness, client in
                let hook = try await harness.store.addWebhook(url: url, appID: harness.app.appID, onEvents: false, onPlaybooks: true, createdBy: "test")
                try await harness.store.setAutoBlock(try AutoBlockPlaybook(threshold: 3, windowMinutes: 5, blockMinutes: 10), appID: harness.app.appID)
                let agentID = UUID().uuidString
                _ = try await harness.login(client, agentID: agentID)
                let events = (0..<3).map { _ in PlatformHarness.sampleEvent(ip: "198.51.100.9") }
                _ = try await harness.heartbeat(client, Self.heartbeat(agentID: agentID, sequence: 1, [EventBatch(events: events)]))
                let deliveries = try await Self.waitForDeliveries(harness.store, of: hook) { $0.contains { $0.status == .delivered } }
                #expect(deliveries.map(\.kind) == [.playbookRun])
                let payload = try #require(try await received.payloads().first)
                #expect(payload.type == "playbook_run")
                #expect(payload.playbook?.name == "auto-block")
                #expect(payload.playbook?.blockedIPs == ["198.51.100.9"])
                #expect(payload.events == nil)
            }
        }
    }

    @Test func sendTimeCheckRefusesURLsThatBecameInternal() async throws {
        // Saved while the name resolved to a public address; at send time it resolves to the metadata service.
        let resolver = HostResolver { host in host == "hooks.example.com" ? ["169.254.169.254"] : [] }
        let validator = WebhookURLValidator(allowInternal: false, resolver: resolver)
        await #expect(throws: WebhookURLError.self) { try await validator.validate("https://hooks.example.com/x") }
        do {
            _ = try await validator.validate("https://hooks.example.com/x")
        } catch {
            #expect("\(error)".contains("resolves to 169.254.169.254, which is cloud metadata service"), "\(error)")
        }
        let publicResolver = HostResolver { _ in ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"] }
        let accepted = try await WebhookURLValidator(allowInternal: false, resolver: publicResolver).validate("https://hooks.example.com/x")
        #expect(accepted.addresses.count == 2)
        // One internal address among public ones is enough to refuse.
        let mixed = HostResolver { _ in ["93.184.216.34", "10.0.0.7"] }
        await #expect(throws: WebhookURLError.self) { try await WebhookURLValidator(allowInternal: false, resolver: mixed).validate("https://hooks.example.com/x") }

        // The dispatcher records a refused delivery instead of sending it.
        try await PlatformHarness.run(.sqlite) { harness, _ in
            let hook = try await harness.store.addWebhook(url: "https://hooks.example.com/x", appID: harness.app.appID, onEvents: true, onPlaybooks: false, createdBy: "test")
            let dispatcher = WebhookDispatcher(store: harness.store, validator: validator, logger: Logger(label: "test"))
            let delivery = WebhookDispatcher.Delivery(
                webhook: hook, kind: .securityEvents, itemCount: 1,
                payload: WebhookPayload(type: "security_events", deliveryID: UUID().uuidString, sentAt: Date(), platformVersion: "test",
                    app: .init(id: harness.app.appID, name: harness.app.name), events: [], eventCount: 0, playbook: nil))
            let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
            await dispatcher.deliver(delivery, client: httpClient)
            try await httpClient.shutdown()
            let recorded = try await harness.store.webhookDeliveries(webhookID: hook.webhookID)
            #expect(recorded.first?.status == .rejected)
            #expect(recorded.first?.attempts == 1)
            #expect(recorded.first?.detail.contains("cloud metadata service") == true)
        }
    }

    @Test func systemResolverResolvesLocalhost() async throws {
        let addresses = try await HostResolver.system.resolve("localhost")
        #expect(!addresses.isEmpty)
        #expect(addresses.allSatisfy { $0 == "127.0.0.1" || $0 == "::1" })
    }

    @Test(arguments: Backend.available)
    func dashboardAddsListsAndRemovesWebhooksAndRefusesInternalURLs(_ backend: Backend) async throws {
        // Without the opt-in flag: internal URLs refused when saved.
        try await PlatformHarness.run(backend) { harness, client in
            let username = "admin-\(harness.app.appID.prefix(6))"
            let password = try await harness.store.createUser(username: username, role: .admin, hasher: PlatformHarness.testHasher)
            var browser = DashboardTests.Browser(client: client)
            _ = try await browser.logIn(username, password)
            let page = try await browser.get("/webhooks")
            #expect(page.status == .ok)
            let csrf = try #require(browser.csrf(from: page))
            let refusedURLs = ["http://127.0.0.1:9/hook", "http://169.254.169.254/latest", "http://10.0.0.1/", "file:///etc/passwd", "http://localhost/x"]
            for url in refusedURLs {
                let refused = try await browser.post("/webhooks/add", [("csrf", csrf), ("url", url), ("app", harness.app.appID), ("events", "on")])
                #expect(refused.status == .ok)
                #expect(refused.text.contains("Webhook URL refused"), "\(url)")
            }
            // Tests share the PostgreSQL database: look at this application's webhooks only.
            let ownWebhooks = { @Sendable in try await harness.store.webhooks().filter { $0.appID == harness.app.appID } }
            #expect(try await ownWebhooks().isEmpty)
            let forged = try await browser.post("/webhooks/add", [("url", "https://203.0.113.5/hook"), ("events", "on")])
            #expect(forged.status == .forbidden)

            // A public literal address needs no resolution: accepted.
            let added = try await browser.post(
                "/webhooks/add", [("csrf", csrf), ("url", "https://203.0.113.5/hook?<b>"), ("app", harness.app.appID), ("events", "on")])
            #expect(added.status == .ok)
            let hooks = try await ownWebhooks()
            #expect(hooks.map(\.url) == ["https://203.0.113.5/hook?<b>"])
            #expect(hooks.first?.onPlaybooks == false)
            // The signing secret is shown on the answer to the POST, and never again.
            let secret = try #require(hooks.first?.signingSecret)
            #expect(secret.hasPrefix("whsec_") && secret.count == 70)
            #expect(added.text.contains(secret))
            let listed = try await browser.get("/webhooks")
            #expect(listed.text.contains("https://203.0.113.5/hook?&lt;b&gt;"))
            #expect(!listed.text.contains("hook?<b>"))
            #expect(!listed.text.contains(secret))

            let webhookID = try #require(hooks.first?.webhookID)
            let rotated = try await browser.post("/webhooks/rotate-secret", [("csrf", csrf), ("webhook", webhookID)])
            #expect(rotated.status == .ok)
            let newSecret = try #require(try await ownWebhooks().first?.signingSecret)
            #expect(newSecret != secret && newSecret.hasPrefix("whsec_"))
            #expect(rotated.text.contains(newSecret) && !rotated.text.contains(secret))
            #expect(!(try await browser.get("/webhooks")).text.contains(newSecret))

            let removed = try await browser.post("/webhooks/remove", [("csrf", csrf), ("webhook", webhookID)])
            #expect(removed.status == .seeOther)
            #expect(try await ownWebhooks().isEmpty)
        }
    }

    @Test func deliveryStatusIsShownOnTheDashboard() async throws {
        try await Self.withReceiver { url, _ in
            try await PlatformHarness.run(.sqlite, configuration: Self.fastConfiguration) { harness, client in
                let username = "admin-\(harness.app.appID.prefix(6))"
                let password = try await harness.store.createUser(username: username, role: .admin, hasher: PlatformHarness.testHasher)
                var browser = DashboardTests.Browser(client: client)
                _ = try await browser.logIn(username, password)
                let csrf = try #require(browser.csrf(from: try await browser.get("/webhooks")))
                // With the opt-in flag the local receiver is accepted.
                let added = try await browser.post("/webhooks/add", [("csrf", csrf), ("url", url), ("app", ""), ("events", "on"), ("playbooks", "on")])
                #expect(added.status == .ok)
                let agentID = UUID().uuidString
                _ = try await harness.login(client, agentID: agentID)
                _ = try await harness.heartbeat(client, Self.heartbeat(agentID: agentID, sequence: 1, [EventBatch(events: [PlatformHarness.sampleEvent()])]))
                let hook = try #require(try await harness.store.webhooks().first { $0.url == url })
                _ = try await Self.waitForDeliveries(harness.store, of: hook) { $0.first?.status == .delivered }
                let page = try await browser.get("/webhooks")
                #expect(page.text.contains("<span class=\"tag delivered\">delivered</span>"))
                #expect(page.text.contains("HTTP 204"))
                #expect(page.text.contains("1 delivered"))
                #expect(page.text.contains("--allow-internal-webhooks"))
            }
        }
    }
}
