import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import NIOFoundationCompat
import RampartProtocol
import Testing

@testable import Rampart

/// A minimal platform over real HTTP on 127.0.0.1: stores batches once per id, can be switched unavailable
/// (503) or made to lose its acknowledgements (stores, then answers 500).
final class FakePlatform: Sendable {
    struct State {
        var available = true
        var loseNextAcknowledgement = false
        var receivedBatchIDs: [UUID] = []
        var storedBatchIDs: Set<UUID> = []
        var storedEvents: [SecurityEvent] = []
        var logins = 0
        var reportedDropped = 0
        var pendingCommands: [AgentCommand] = []
        var rulesets: [String: String] = [:]
    }

    let state = NIOLockedValueBox(State())

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/api/v1/agent/login") { request, _ -> Response in
            guard self.state.withLockedValue({ $0.available }) else { return Response(status: .serviceUnavailable) }
            let login = try ProtocolCoding.decode(
                AgentLogin.self, from: Data(buffer: try await request.body.collect(upTo: 1 << 20)))
            self.state.withLockedValue { $0.logins += 1 }
            return try Self.json(AgentLoginResponse(agentID: login.agentID, heartbeatInterval: 20, commands: []))
        }
        router.get("/api/v1/agent/ruleset") { request, _ -> Response in
            let version = request.uri.queryParameters["version"].map(String.init) ?? ""
            guard let json = self.state.withLockedValue({ $0.rulesets[version] }) else { return Response(status: .notFound) }
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
        }
        router.post("/api/v1/agent/heartbeat") { request, _ -> Response in
            guard self.state.withLockedValue({ $0.available }) else { return Response(status: .serviceUnavailable) }
            let heartbeat = try ProtocolCoding.decode(
                Heartbeat.self, from: Data(buffer: try await request.body.collect(upTo: 16 << 20)))
            let (lose, commands) = self.state.withLockedValue { state -> (Bool, [AgentCommand]) in
                state.reportedDropped += heartbeat.metrics.droppedEvents
                for batch in heartbeat.batches {
                    state.receivedBatchIDs.append(batch.batchID)
                    if state.storedBatchIDs.insert(batch.batchID).inserted { state.storedEvents += batch.events }
                }
                let lose = state.loseNextAcknowledgement
                state.loseNextAcknowledgement = false
                defer { state.pendingCommands = [] }
                return (lose, state.pendingCommands)
            }
            if lose { return Response(status: .internalServerError) }
            return try Self.json(
                HeartbeatResponse(
                    acknowledgedBatchIDs: heartbeat.batches.map(\.batchID.uuidString), commands: commands))
        }
        return router
    }

    static func json(_ value: some Encodable) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(data: try ProtocolCoding.encode(value))))
    }
}

@Suite("Platform transport over real HTTP")
struct PlatformTransportTests {
    /// The agent's side of the transport: its event buffer, metrics and the commands it received.
    final class AgentSide: Sendable {
        let events: BoundedBuffer<SecurityEvent>
        let metrics = RampartMetrics()
        let commands = NIOLockedValueBox<[AgentCommand]>([])

        init(bufferCapacity: Int = 1000) {
            events = BoundedBuffer(capacity: bufferCapacity)
        }
    }

    func makeTransport(port: Int, agent: AgentSide, maxPending: Int = 100) -> PlatformTransport {
        var logger = Logger(label: "transport-test")
        logger.logLevel = .critical
        let login = AgentLogin(
            agentID: UUID().uuidString, appName: "test", environment: "test", hostname: "localhost",
            rampartVersion: "0.1", swiftVersion: "6", os: "linux", framework: "none")
        return PlatformTransport(
            settings: .init(
                baseURL: "http://127.0.0.1:\(port)", apiKey: "key", interval: .milliseconds(10),
                backoff: Backoff(initial: .milliseconds(5), maximum: .milliseconds(40)), maxPendingBatches: maxPending),
            login: login, events: agent.events, metrics: agent.metrics, logger: logger,
            onCommand: { command in agent.commands.withLockedValue { $0.append(command) } })
    }

    func generateEvents(_ agent: AgentSide, count: Int, from start: Int = 0) {
        for index in start..<(start + count) {
            agent.events.append(
                SecurityEvent(
                    timestamp: Date(), kind: .waf, blocked: false, route: "/", method: "GET", path: "/event/\(index)",
                    clientIP: "198.51.100.1"))
        }
    }

    @Test("platform down, events generated, platform back: all arrive once, in order; back-off counted")
    func outageAndCatchUp() async throws {
        let platform = FakePlatform()
        let app = Application(router: platform.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let agent = AgentSide()
            let transport = makeTransport(port: port, agent: agent)
            platform.state.withLockedValue { $0.available = false }
            for round in 0..<5 {
                generateEvents(agent, count: 7, from: round * 7)
                #expect(await transport.cycle() == false)
            }
            #expect(await transport.consecutiveFailures == 5)
            #expect(await transport.pendingBatches.count == 5)
            platform.state.withLockedValue { $0.available = true }
            #expect(await transport.cycle())
            #expect(await transport.consecutiveFailures == 0)
            #expect(await transport.pendingBatches.isEmpty)
            let stored = platform.state.withLockedValue { $0.storedEvents.map(\.path) }
            #expect(stored == (0..<35).map { "/event/\($0)" })
        }
    }

    @Test("a lost acknowledgement makes the agent resend the same batch id; the platform stores it once")
    func idempotentResend() async throws {
        let platform = FakePlatform()
        let app = Application(router: platform.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let agent = AgentSide()
            let transport = makeTransport(port: port, agent: agent)
            generateEvents(agent, count: 3)
            platform.state.withLockedValue { $0.loseNextAcknowledgement = true }
            #expect(await transport.cycle() == false)
            #expect(await transport.cycle())
            let (received, stored) = platform.state.withLockedValue { ($0.receivedBatchIDs, $0.storedEvents) }
            #expect(received.count == 2)
            #expect(Set(received).count == 1)
            #expect(stored.count == 3)
        }
    }

    @Test("overflow of unacknowledged batches is dropped oldest-first and the exact count is reported")
    func pendingOverflow() async throws {
        let platform = FakePlatform()
        let app = Application(router: platform.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let agent = AgentSide(bufferCapacity: 4)
            let transport = makeTransport(port: port, agent: agent, maxPending: 2)
            platform.state.withLockedValue { $0.available = false }
            generateEvents(agent, count: 6, from: 0)  // buffer keeps 2...5, drops 2
            _ = await transport.cycle()
            generateEvents(agent, count: 3, from: 6)
            _ = await transport.cycle()
            generateEvents(agent, count: 2, from: 9)
            _ = await transport.cycle()  // the first batch (4 events) is pushed out
            platform.state.withLockedValue { $0.available = true }
            #expect(await transport.cycle())
            let (stored, dropped) = platform.state.withLockedValue { ($0.storedEvents.map(\.path), $0.reportedDropped) }
            #expect(stored == (6..<11).map { "/event/\($0)" })
            #expect(dropped == 2 + 4)
        }
    }

    @Test("commands in heartbeat responses reach the agent; an unreachable port only counts failures")
    func commandsAndUnreachable() async throws {
        let platform = FakePlatform()
        let app = Application(router: platform.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let agent = AgentSide()
            let transport = makeTransport(port: port, agent: agent)
            platform.state.withLockedValue {
                $0.pendingCommands = [.setMode(category: nil, mode: .block), .blockUsers([BlocklistEntry(value: "eve")])]
            }
            #expect(await transport.cycle())
            #expect(
                agent.commands.withLockedValue { $0 }
                    == [.setMode(category: nil, mode: .block), .blockUsers([BlocklistEntry(value: "eve")])])
        }
        let agent = AgentSide()
        let unreachable = makeTransport(port: 9, agent: agent)
        #expect(await unreachable.cycle() == false)
        #expect(await unreachable.cycle() == false)
        #expect(await unreachable.consecutiveFailures == 2)
    }

    @Test("an agent from configuration logs in, applies commands and loads the ruleset the platform pushes")
    func agentWiring() async throws {
        let platform = FakePlatform()
        let app = Application(router: platform.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            var configuration = RampartConfiguration()
            configuration.platformURL = "http://127.0.0.1:\(port)"
            configuration.apiKey = "key"
            let agent = RampartAgent(configuration: configuration)
            let transport = try #require(agent.makePlatformTransport(framework: "test"))
            let ruleset = #"{"version":"2.2","metadata":{"rules_version":"pushed-7"},"rules":[{"id":"r1","name":"n","tags":{"type":"t","category":"c"},"conditions":[{"operator":"match_regex","parameters":{"inputs":[{"address":"server.request.query"}],"regex":"forbidden-word"}}],"on_match":["block"]}]}"#
            platform.state.withLockedValue {
                $0.rulesets["pushed-7"] = ruleset
                $0.pendingCommands = [
                    .fetchRuleset(version: "pushed-7", url: RampartProtocol.Endpoint.ruleset(version: "pushed-7")),
                    .setMode(category: nil, mode: .block),
                ]
            }
            #expect(await transport.cycle())
            #expect(agent.wafHandle?.current.rulesetVersion == "pushed-7")
            #expect(agent.mode == .block)
            let context = agent.makeContext(
                for: HTTPRequestInfo(method: "GET", uri: "/?q=forbidden-word", headers: [], peerAddress: "198.51.100.1"))
            #expect(context.inspectHeaders() != nil)
        }
        #expect(RampartAgent(configuration: RampartConfiguration()).makePlatformTransport(framework: "x") == nil)
    }
}
