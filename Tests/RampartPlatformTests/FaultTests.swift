import Foundation
import Hummingbird
import Logging
import Rampart
import RampartProtocol
import Testing

@testable import RampartPlatform

/// A real agent with its platform transport running while the platform is down, then the platform started on the
/// port the agent was configured with: every event arrives once, in order; with the agent's FIFO of
/// unacknowledged batches overflowed, the newest events arrive and the drop count is exact on both sides.
@Suite("Agent and platform faults", .serialized)
struct FaultTests {
    @Test func eventsGeneratedWhileThePlatformIsDownArriveExactlyOnceInOrder() async throws {
        try await PlatformOutage.run(maxPendingBatches: 1_000) { outage in
            let generated = try await outage.generateWhileDown(groups: 6, perGroup: 10)
            let stored = try await outage.startPlatformAndWait { stored in stored.count == generated.count }
            #expect(stored == generated)
            // A few more heartbeats change nothing: no resend is stored twice.
            let stillStored = try await outage.withPlatform { try await outage.waitForHeartbeats(3) }
            #expect(stillStored == generated)
            #expect(outage.agent.events.droppedCount == 0)
            #expect(await outage.transport.droppedPendingEvents == 0)
            #expect(try await outage.platformDroppedCount() == 0)
            let batchEvents = try await outage.store.database.query(
                "SELECT CAST(SUM(event_count) AS BIGINT) AS n FROM event_batches WHERE app_id = $1", [.text(outage.app.appID)])
            #expect(batchEvents.first?.int("n") == generated.count)
        }
    }

    @Test func anOverflowingBufferDropsTheOldestAndCountsThemExactly() async throws {
        try await PlatformOutage.run(maxPendingBatches: 3) { outage in
            let generated = try await outage.generateWhileDown(groups: 10, perGroup: 10)
            // At most 3 batches survive; what was pushed out is reported with the first heartbeat that gets through.
            let stored = try await outage.startPlatformAndWait { stored in !stored.isEmpty }
            let settled = try await outage.withPlatform { try await outage.waitForHeartbeats(3) }
            #expect(settled == stored)
            #expect(stored.count < generated.count)
            #expect(stored == Array(generated.suffix(stored.count)), "the stored events are the newest, in order")
            let dropped = generated.count - stored.count
            let agentDropped = outage.agent.events.droppedCount + (await outage.transport.droppedPendingEvents)
            #expect(agentDropped == dropped)
            #expect(try await outage.platformDroppedCount() == dropped)
        }
    }
}

/// The fixture: a store and an application, a free port nothing listens on yet, and a running agent transport
/// configured for that port with short heartbeat and back-off delays.
struct PlatformOutage: Sendable {
    let store: PlatformStore
    let location: DatabaseLocation
    let app: AppRecord
    let port: Int
    let agent: RampartAgent
    let transport: PlatformTransport
    let logger: Logger

    static func run(maxPendingBatches: Int, _ body: @Sendable (PlatformOutage) async throws -> Void) async throws {
        var logger = Logger(label: "rampart.fault-test")
        logger.logLevel = .critical
        let location = Backend.sqlite.location()
        let store = try await PlatformStore.connect(location, logger: logger)
        try await store.migrate()
        let app = try await store.createApp(name: "fault-\(UUID().uuidString.prefix(8))")
        // Learn a free port by serving once on port 0, then stop: the agent starts against a closed port.
        let port = try await serve(store: store, location: location, port: 0, logger: logger) { port in port }

        var configuration = RampartConfiguration()
        configuration.appName = "fault"
        configuration.environment = "test"
        configuration.platformURL = "http://127.0.0.1:\(port)"
        configuration.apiKey = app.apiKey.text
        configuration.heartbeatInterval = .milliseconds(100)
        configuration.platformBackoff = Backoff(initial: .milliseconds(20), maximum: .milliseconds(80))
        configuration.platformRequestTimeout = .milliseconds(150)
        configuration.eventBufferCapacity = 10_000
        configuration.maxUnacknowledgedBatches = maxPendingBatches
        let agent = RampartAgent(configuration: configuration, logger: logger)
        let transport = try #require(agent.makePlatformTransport(framework: "test"))
        let running = Task { await transport.run() }
        let outage = PlatformOutage(store: store, location: location, app: app.app, port: port, agent: agent, transport: transport, logger: logger)
        do {
            try await body(outage)
        } catch {
            running.cancel()
            await running.value
            try? await store.database.close()
            throw error
        }
        running.cancel()
        await running.value
        try await store.database.close()
        if case .sqlite(let path) = location {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }

    /// Records `groups` groups of events through the agent's event API, pausing between groups so that the
    /// failing transport turns them into several batches; returns the event ids in the order generated.
    func generateWhileDown(groups: Int, perGroup: Int) async throws -> [String] {
        var ids: [String] = []
        for group in 0..<groups {
            for index in 0..<perGroup {
                let event = PlatformHarness.sampleEvent(ip: "198.51.100.\(group + 1)", value: "attack \(group)-\(index)")
                agent.record(event)
                ids.append(event.eventID.uuidString)
            }
            try await Task.sleep(for: .milliseconds(400))
        }
        // Wait until the transport has moved everything out of the event buffer (into its FIFO) and failed again.
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let failures = await transport.consecutiveFailures
            if agent.events.count == 0, failures >= 2 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await transport.consecutiveFailures >= 2, "the platform was down while events were generated")
        #expect(await transport.heartbeatsSent == 0)
        return ids
    }

    /// Serves the platform on the agent's port while `body` runs.
    func withPlatform<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
        try await Self.serve(store: store, location: location, port: port, logger: logger) { _ in try await body() }
    }

    /// Runs the platform on 127.0.0.1:`port` (HummingbirdTesting's live mode would pick its own port) until `body`,
    /// given the port listened on, returns.
    static func serve<Result: Sendable>(
        store: PlatformStore, location: DatabaseLocation, port: Int, logger: Logger, _ body: @Sendable (Int) async throws -> Result
    ) async throws -> Result {
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let application = try PlatformServer.makeApplication(
            store: store, configuration: PlatformConfiguration(host: "127.0.0.1", port: port, database: location), logger: logger,
            onServerRunning: { port in listening.yield(port) })
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.runService(gracefulShutdownSignals: []) }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            let listeningPort = try #require(await iterator.next())
            return try await body(listeningPort)
        }
    }

    /// Starts the platform and returns the stored event ids (in insertion order) once `done` accepts them.
    func startPlatformAndWait(until done: @escaping @Sendable ([String]) -> Bool) async throws -> [String] {
        try await withPlatform {
            let deadline = ContinuousClock.now + .seconds(20)
            var stored = try await storedEventIDs()
            while !done(stored), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                stored = try await storedEventIDs()
            }
            // Let the transport finish the exchange whose events were just stored (acknowledgement, drop report).
            return try await waitForHeartbeats(2)
        }
    }

    /// Waits until `count` more heartbeats went through, then returns the stored event ids.
    func waitForHeartbeats(_ count: Int) async throws -> [String] {
        let target = await transport.heartbeatsSent + count
        let deadline = ContinuousClock.now + .seconds(10)
        while await transport.heartbeatsSent < target, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await storedEventIDs()
    }

    /// SQLite's rowid is the insertion order.
    func storedEventIDs() async throws -> [String] {
        try await store.database.query("SELECT event_id FROM events WHERE app_id = $1 ORDER BY rowid", [.text(app.appID)])
            .compactMap { $0.string("event_id") }
    }

    func platformDroppedCount() async throws -> Int {
        try await store.agents(appID: app.appID).reduce(0) { $0 + $1.droppedEvents }
    }
}
