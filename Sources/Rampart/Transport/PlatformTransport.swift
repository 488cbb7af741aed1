import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import RampartProtocol

extension EventBatch: AcknowledgeableBatch {
    public var acknowledgementID: String { batchID.uuidString }
    public var eventCount: Int { events.count }
}

/// Delivers events to the platform and applies its commands, entirely off the request path.
///
/// Each cycle moves the events buffered since the last one into a new batch (its id fixed once, so a resend is
/// recognisable), appends it to the bounded FIFO of unacknowledged batches, and sends the oldest pending batches in
/// order with the metrics in a heartbeat. Batches leave the FIFO only when the platform acknowledges their id. While
/// the platform is unreachable the delay between cycles grows exponentially with jitter; events keep accumulating
/// in the bounded buffers, and what overflows is counted and reported with the next successful heartbeat.
public actor PlatformTransport {
    public struct Settings: Sendable {
        public var baseURL: String
        public var apiKey: String
        public var interval: Duration
        public var backoff: Backoff
        public var maxPendingBatches: Int
        /// Batches sent per heartbeat at most (the rest follow on the next cycles, still in order).
        public var batchesPerHeartbeat: Int = 20
        public var requestTimeout: TimeAmount = .seconds(10)

        public init(
            baseURL: String, apiKey: String, interval: Duration = .seconds(20), backoff: Backoff = Backoff(),
            maxPendingBatches: Int = 100
        ) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.apiKey = apiKey
            self.interval = interval
            self.backoff = backoff
            self.maxPendingBatches = maxPendingBatches
        }
    }

    public enum TransportError: Error, CustomStringConvertible {
        case status(path: String, code: UInt)
        public var description: String {
            switch self {
            case .status(let path, let code): "platform answered \(code) to \(path)"
            }
        }
    }

    public let settings: Settings
    public let agentID: String
    private let login: AgentLogin
    private let events: BoundedBuffer<SecurityEvent>
    private let metrics: RampartMetrics
    private let client: HTTPClient
    private let logger: Logger
    private let onCommand: @Sendable (AgentCommand) async -> Void
    private let onRuleset: @Sendable (_ version: String, _ json: String) async -> Void

    private var pending: PendingBatches<EventBatch>
    private var loggedIn = false
    private var sequence = 0
    private var settingsRevision: Int?
    private var unsentMetrics = AgentMetrics()
    private var reportedBufferDrops = 0
    private var reportedPendingDrops = 0
    /// Consecutive failed cycles (0 when the platform answered last time).
    public private(set) var consecutiveFailures = 0
    public private(set) var heartbeatsSent = 0

    public init(
        settings: Settings, login: AgentLogin, events: BoundedBuffer<SecurityEvent>, metrics: RampartMetrics,
        client: HTTPClient = .shared, logger: Logger, onCommand: @escaping @Sendable (AgentCommand) async -> Void,
        onRuleset: @escaping @Sendable (_ version: String, _ json: String) async -> Void = { _, _ in }
    ) {
        self.settings = settings
        self.agentID = login.agentID
        self.login = login
        self.events = events
        self.metrics = metrics
        self.client = client
        self.logger = logger
        self.onCommand = onCommand
        self.onRuleset = onRuleset
        pending = PendingBatches(capacity: settings.maxPendingBatches)
    }

    /// Runs cycles until the task is cancelled: every `interval` while the platform answers, after a growing,
    /// jittered delay while it does not.
    public func run() async {
        while !Task.isCancelled {
            let delay: Duration
            if await cycle() {
                delay = settings.interval
            } else {
                delay = settings.backoff.delay(afterFailures: consecutiveFailures)
            }
            try? await Task.sleep(for: delay)
        }
    }

    /// Unacknowledged batches, oldest first.
    public var pendingBatches: [EventBatch] { pending.batches }
    /// Events lost because the FIFO of unacknowledged batches overflowed.
    public var droppedPendingEvents: Int { pending.droppedEvents }

    /// One exchange with the platform; returns whether it answered. Never throws: failures are logged and counted.
    @discardableResult
    public func cycle() async -> Bool {
        let drained = events.drain()
        if !drained.isEmpty { pending.enqueue(EventBatch(batchID: UUID(), events: drained)) }
        accumulateMetrics()
        do {
            if !loggedIn {
                let response: AgentLoginResponse = try await post(RampartProtocol.Endpoint.login, login)
                loggedIn = true
                settingsRevision = response.settingsRevision
                for command in response.commands { await handle(command) }
            }
            sequence &+= 1
            let heartbeat = Heartbeat(
                agentID: agentID, sequence: sequence, batches: pending.nextToSend(limit: settings.batchesPerHeartbeat),
                metrics: unsentMetrics, settingsRevision: settingsRevision
            )
            let response: HeartbeatResponse = try await post(RampartProtocol.Endpoint.heartbeat, heartbeat)
            heartbeatsSent &+= 1
            pending.acknowledge(response.acknowledgedBatchIDs.map { $0.uppercased() })
            unsentMetrics = AgentMetrics()
            settingsRevision = response.settingsRevision
            for command in response.commands { await handle(command) }
            consecutiveFailures = 0
            return true
        } catch {
            consecutiveFailures &+= 1
            if case TransportError.status(_, 401) = error { loggedIn = false }
            logger.warning(
                "Rampart: platform unreachable, will retry",
                metadata: ["error": "\(error)", "failures": "\(consecutiveFailures)", "pending": "\(pending.count)"]
            )
            return false
        }
    }

    /// Ruleset downloads happen here (the transport has the connection); every other command goes to the agent.
    private func handle(_ command: AgentCommand) async {
        await onCommand(command)
        guard case .fetchRuleset(let version, let url) = command else { return }
        do {
            let path = url.hasPrefix("/") ? url : RampartProtocol.Endpoint.ruleset(version: version)
            var request = HTTPClientRequest(url: settings.baseURL + path)
            request.headers.add(name: RampartProtocol.authorizationHeader, value: "Bearer \(settings.apiKey)")
            let response = try await client.execute(request, timeout: settings.requestTimeout)
            let bytes = try await response.body.collect(upTo: 32 * 1024 * 1024)
            guard (200..<300).contains(response.status.code) else {
                throw TransportError.status(path: path, code: response.status.code)
            }
            await onRuleset(version, String(buffer: bytes))
        } catch {
            logger.error("Rampart: ruleset download failed", metadata: ["version": "\(version)", "error": "\(error)"])
        }
    }

    /// Folds the metrics of the interval into what the next successful heartbeat reports.
    private func accumulateMetrics() {
        let snapshot = metrics.takeSnapshot()
        unsentMetrics.requests &+= snapshot.requests
        unsentMetrics.blocked &+= snapshot.blocked
        unsentMetrics.attacks &+= snapshot.attacks
        unsentMetrics.wafTimeouts &+= snapshot.wafTimeouts
        unsentMetrics.wafP99Micros = max(unsentMetrics.wafP99Micros, snapshot.wafP99Micros)
        let bufferDrops = events.droppedCount
        let pendingDrops = pending.droppedEvents
        unsentMetrics.droppedEvents &+= (bufferDrops - reportedBufferDrops) + (pendingDrops - reportedPendingDrops)
        metrics.recordDroppedEvents(pendingDrops - reportedPendingDrops)
        reportedBufferDrops = bufferDrops
        reportedPendingDrops = pendingDrops
    }

    private func post<Body: Encodable, Response: Decodable>(_ path: String, _ body: Body) async throws -> Response {
        var request = HTTPClientRequest(url: settings.baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: RampartProtocol.contentType)
        request.headers.add(name: RampartProtocol.authorizationHeader, value: "Bearer \(settings.apiKey)")
        request.body = .bytes(ByteBuffer(data: try ProtocolCoding.encode(body)))
        let response = try await client.execute(request, timeout: settings.requestTimeout)
        let bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
        guard (200..<300).contains(response.status.code) else {
            throw TransportError.status(path: path, code: response.status.code)
        }
        return try ProtocolCoding.decode(Response.self, from: Data(buffer: bytes))
    }
}
