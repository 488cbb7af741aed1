import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import RampartProtocol
import ServiceLifecycle
import Synchronization

/// Sends webhook notifications off the request path. Ingest and playbooks only ``enqueue…`` (never waiting: a
/// full queue drops the notification and counts it); a service loop looks up the subscribed webhooks, builds the
/// JSON, and POSTs it with a timeout, retrying with exponential back-off. Every delivery is logged in the store
/// for the dashboard. The queue lives in this process: notifications queued when it stops are lost.
public final class WebhookDispatcher: Service, Sendable {
    public struct Settings: Sendable {
        /// Notifications waiting to be processed; more are dropped (and counted).
        public var queueCapacity: Int = 256
        /// Attempts per delivery, the first included.
        public var maxAttempts: Int = 4
        /// Wait before the second attempt; doubled for each further one.
        public var initialBackoff: Duration = .seconds(2)
        /// Deadline of one POST, connection included.
        public var requestTimeout: Duration = .seconds(10)
        /// Deliveries in flight at once.
        public var maxConcurrentDeliveries: Int = 4
        /// Events listed in one POST; the rest are only counted (`eventCount`).
        public var maxEventsPerDelivery: Int = 100
        /// Delivery log rows older than this are deleted.
        public var deliveryLogRetention: TimeInterval = 7 * 86_400

        public init() {}
    }

    enum Job: Sendable {
        case events(app: AppRecord, batches: [EventBatch], receivedAt: Date)
        case playbook(app: AppRecord, run: WebhookPayload.PlaybookRun)
    }

    /// Counts since start, for the dashboard.
    public struct Statistics: Sendable, Hashable {
        public var queued: Int
        public var dropped: Int
        public var delivered: Int
        public var failed: Int
    }

    let store: PlatformStore
    let settings: Settings
    let validator: WebhookURLValidator
    let logger: Logger
    private let stream: AsyncStream<Job>
    private let continuation: AsyncStream<Job>.Continuation
    private let counters = Mutex(Statistics(queued: 0, dropped: 0, delivered: 0, failed: 0))

    public init(store: PlatformStore, validator: WebhookURLValidator, settings: Settings = Settings(), logger: Logger) {
        self.store = store
        self.validator = validator
        self.settings = settings
        self.logger = logger
        let queue = AsyncStream.makeStream(of: Job.self, bufferingPolicy: .bufferingOldest(max(1, settings.queueCapacity)))
        stream = queue.stream
        continuation = queue.continuation
    }

    public var statistics: Statistics { counters.withLock { $0 } }

    /// Announces the events a heartbeat stored at `receivedAt` (batches stored before, i.e. resent, are skipped
    /// when the job runs). Returns at once.
    public func enqueueEvents(app: AppRecord, batches: [EventBatch], receivedAt: Date) {
        guard batches.contains(where: { !$0.events.isEmpty }) else { return }
        enqueue(.events(app: app, batches: batches, receivedAt: receivedAt))
    }

    /// Announces a playbook run. Returns at once.
    public func enqueuePlaybookRun(app: AppRecord, name: String, description: String, blockedIPs: [String]) {
        enqueue(.playbook(app: app, run: .init(name: name, description: description, blockedIPs: blockedIPs)))
    }

    private func enqueue(_ job: Job) {
        switch continuation.yield(job) {
        case .enqueued:
            counters.withLock { $0.queued += 1 }
        case .dropped:
            counters.withLock { $0.dropped += 1 }
            logger.warning("webhook queue full: notification dropped")
        case .terminated:
            counters.withLock { $0.dropped += 1 }
        @unknown default:
            counters.withLock { $0.dropped += 1 }
        }
    }

    /// Processes notifications until cancelled or the service group shuts down.
    public func run() async throws {
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(
                // A redirect could lead anywhere, past the SSRF check: never follow one.
                redirectConfiguration: .disallow,
                timeout: .init(connect: .init(settings.requestTimeout), read: .init(settings.requestTimeout))))
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.pruneLogPeriodically() }
                await withTaskGroup(of: Void.self) { running in
                    var inFlight = 0
                    for await job in self.stream {
                        if Task.isCancelled { break }
                        for delivery in await self.deliveries(for: job) {
                            if inFlight >= self.settings.maxConcurrentDeliveries {
                                await running.next()
                                inFlight -= 1
                            }
                            inFlight += 1
                            running.addTask { await self.deliver(delivery, client: client) }
                        }
                        self.counters.withLock { $0.queued -= 1 }
                    }
                    await running.waitForAll()
                }
                group.cancelAll()
            }
        }
        continuation.finish()
        try? await client.shutdown()
    }

    /// One payload for one webhook.
    struct Delivery: Sendable {
        var webhook: WebhookRecord
        var kind: WebhookEventKind
        var itemCount: Int
        var payload: WebhookPayload
    }

    func deliveries(for job: Job) async -> [Delivery] {
        do {
            switch job {
            case .events(let app, let batches, let receivedAt):
                let hooks = try await store.webhooks(appID: app.appID, kind: .securityEvents)
                guard !hooks.isEmpty else { return [] }
                let fresh = try await store.batchIDs(batches.map(\.batchID.uuidString), storedAt: receivedAt)
                let events = batches.filter { fresh.contains($0.batchID.uuidString) }.flatMap(\.events)
                guard !events.isEmpty else { return [] }
                let summaries = events.prefix(max(0, settings.maxEventsPerDelivery)).map(WebhookPayload.EventSummary.init)
                return hooks.map { hook in
                    Delivery(webhook: hook, kind: .securityEvents, itemCount: events.count, payload: WebhookPayload(
                        type: WebhookEventKind.securityEvents.rawValue, deliveryID: UUID().uuidString, sentAt: Date(),
                        platformVersion: RampartPlatform.version, app: .init(id: app.appID, name: app.name),
                        events: Array(summaries), eventCount: events.count, playbook: nil))
                }
            case .playbook(let app, let run):
                return try await store.webhooks(appID: app.appID, kind: .playbookRun).map { hook in
                    Delivery(webhook: hook, kind: .playbookRun, itemCount: run.blockedIPs.count, payload: WebhookPayload(
                        type: WebhookEventKind.playbookRun.rawValue, deliveryID: UUID().uuidString, sentAt: Date(),
                        platformVersion: RampartPlatform.version, app: .init(id: app.appID, name: app.name),
                        events: nil, eventCount: nil, playbook: run))
                }
            }
        } catch {
            logger.error("webhook notification skipped: \(error)")
            return []
        }
    }

    /// Sends one delivery with retries, logging each attempt's outcome in the store.
    func deliver(_ delivery: Delivery, client: HTTPClient) async {
        var record = WebhookDeliveryRecord(
            deliveryID: delivery.payload.deliveryID, webhookID: delivery.webhook.webhookID, kind: delivery.kind,
            itemCount: delivery.itemCount, createdAt: Date(), updatedAt: Date(), attempts: 0, status: .pending, detail: "queued")
        let body: Data
        do {
            body = try delivery.payload.encoded()
        } catch {
            record.status = .failed
            record.detail = "could not encode the payload: \(error)"
            await save(record)
            return
        }
        for attempt in 1...max(1, settings.maxAttempts) {
            if Task.isCancelled { break }
            record.attempts = attempt
            let outcome = await post(body, delivery: delivery, client: client)
            record.updatedAt = Date()
            switch outcome {
            case .delivered(let status):
                record.status = .delivered
                record.detail = "HTTP \(status)"
                counters.withLock { $0.delivered += 1 }
                await save(record)
                return
            case .rejected(let reason):
                record.status = .rejected
                record.detail = reason
                counters.withLock { $0.failed += 1 }
                await save(record)
                logger.warning("webhook \(delivery.webhook.webhookID) not sent: \(reason)")
                return
            case .failed(let reason):
                record.detail = reason
                if attempt < settings.maxAttempts {
                    record.detail += "; retrying"
                    await save(record)
                    let backoff = settings.initialBackoff * (1 << min(attempt - 1, 16))
                    try? await Task.sleep(for: backoff)
                }
            }
        }
        record.status = .failed
        counters.withLock { $0.failed += 1 }
        await save(record)
    }

    enum Outcome {
        case delivered(Int)
        case failed(String)
        case rejected(String)
    }

    func post(_ body: Data, delivery: Delivery, client: HTTPClient) async -> Outcome {
        let destination: WebhookURLValidator.Destination
        do {
            destination = try await validator.validate(delivery.webhook.url)
        } catch let error as WebhookURLError {
            return .rejected("URL refused at send time: \(error.reason)")
        } catch {
            return .rejected("URL refused at send time: \(error)")
        }
        var request = HTTPClientRequest(url: delivery.webhook.url)
        // Plain HTTP connects to the address just checked (with the original Host header), so a DNS answer
        // changing between the check and the connection cannot redirect the request inside the network. For
        // HTTPS the certificate must match the name, so the name is used.
        if destination.target.scheme == "http", !destination.target.hostIsAddress,
            let address = destination.addresses.first(where: { !$0.contains(":") }) ?? destination.addresses.first,
            let pinned = Self.replacingHost(of: delivery.webhook.url, with: address)
        {
            request = HTTPClientRequest(url: pinned)
            let port = destination.target.port.map { ":\($0)" } ?? ""
            request.headers.replaceOrAdd(name: "Host", value: destination.target.host + port)
        }
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "rampart-platform/\(RampartPlatform.version)")
        request.headers.add(name: "X-Rampart-Event", value: delivery.kind.rawValue)
        request.headers.add(name: "X-Rampart-Delivery", value: delivery.payload.deliveryID)
        if !delivery.webhook.signingSecret.isEmpty {
            request.headers.add(
                name: WebhookSignature.headerName,
                value: WebhookSignature.header(
                    secret: delivery.webhook.signingSecret, timestamp: Int64(Date().timeIntervalSince1970), body: body))
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .init(settings.requestTimeout))
            // Read (a bounded part of) the body so the connection can be reused.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let status = Int(response.status.code)
            return (200..<300).contains(status) ? .delivered(status) : .failed("HTTP \(status)")
        } catch {
            return .failed("\(error)")
        }
    }

    static func replacingHost(of url: String, with address: String) -> String? {
        guard var components = URLComponents(string: url) else { return nil }
        components.host = address.contains(":") ? "[\(address)]" : address
        return components.string
    }

    private func save(_ record: WebhookDeliveryRecord) async {
        do {
            try await store.recordDelivery(record)
        } catch {
            logger.error("could not record webhook delivery \(record.deliveryID): \(error)")
        }
    }

    private func pruneLogPeriodically() async {
        while !Task.isCancelled {
            _ = try? await store.pruneWebhookDeliveries(before: Date().addingTimeInterval(-settings.deliveryLogRetention))
            try? await Task.sleep(for: .seconds(3600))
        }
    }
}
