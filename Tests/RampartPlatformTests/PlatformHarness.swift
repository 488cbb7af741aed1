import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import RampartProtocol
import Synchronization
import Testing

@testable import RampartPlatform

/// The databases the tests run against: a fresh SQLite file always, and the PostgreSQL server named by
/// RAMPART_TEST_POSTGRES_URL when set (CI starts one; see .ci/run).
enum Backend: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite, postgres

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["RAMPART_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var available: [Backend] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    var description: String { rawValue }

    func location() -> DatabaseLocation {
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("rampart-platform-test-\(UUID().uuidString).sqlite").path
            return .sqlite(path: path)
        case .postgres:
            // Checked by `available`; tests only get here with the URL set.
            return (try? DatabaseLocation(Self.postgresURL ?? "")) ?? .sqlite(path: "/nonexistent/postgres-url-missing")
        }
    }
}

/// A platform server on a real 127.0.0.1 port with a real database, and a test client speaking to it.
struct PlatformHarness: Sendable {
    let store: PlatformStore
    let configuration: PlatformConfiguration
    let app: AppRecord
    let apiKey: String

    static let testHasher = PasswordHasher(rounds: 1 << 10)

    /// Starts a server, registers an application with a unique name, runs `body`, stops the server.
    static func run(
        _ backend: Backend, configuration: PlatformConfiguration = PlatformConfiguration(heartbeatInterval: 20),
        _ body: @Sendable (PlatformHarness, any TestClientProtocol) async throws -> Void
    ) async throws {
        var configuration = configuration
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.database = backend.location()
        var logger = Logger(label: "rampart.platform.test")
        logger.logLevel = .warning
        let store = try await PlatformStore.connect(configuration.database, logger: logger)
        let application = try PlatformServer.makeApplication(store: store, configuration: configuration, logger: logger)
        let captured = configuration
        let removeFiles = {
            if case .sqlite(let path) = captured.database {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
        do {
            try await application.test(.live) { client in
                // The migration ran before the server started; registering needs the schema.
                let created = try await store.createApp(name: "app-\(UUID().uuidString.prefix(8))")
                let harness = PlatformHarness(store: store, configuration: captured, app: created.app, apiKey: created.apiKey.text)
                try await body(harness, client)
            }
        } catch {
            // Close even when the test threw: SQLiteNIO traps when an open connection is deallocated, which would
            // turn one failing test into a crash of the whole test run.
            try? await store.database.close()
            removeFiles()
            throw error
        }
        try await store.database.close()
        removeFiles()
    }

    // MARK: Agent API helpers

    func post(_ client: any TestClientProtocol, _ path: String, json: some Encodable, key: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[.authorization] = "Bearer \(key ?? apiKey)"
        return try await client.executeRequest(
            uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: try ProtocolCoding.encode(json)))
    }

    func login(_ client: any TestClientProtocol, agentID: String = UUID().uuidString, environment: String = "production") async throws -> AgentLoginResponse {
        let response = try await post(client, RampartProtocol.Endpoint.login, json: Self.sampleLogin(agentID: agentID, environment: environment))
        #expect(response.status == .ok, "login: \(String(buffer: response.body))")
        return try ProtocolCoding.decode(AgentLoginResponse.self, from: Data(response.body.readableBytesView))
    }

    func heartbeat(_ client: any TestClientProtocol, _ heartbeat: Heartbeat) async throws -> HeartbeatResponse {
        let response = try await post(client, RampartProtocol.Endpoint.heartbeat, json: heartbeat)
        #expect(response.status == .ok, "heartbeat: \(String(buffer: response.body))")
        return try ProtocolCoding.decode(HeartbeatResponse.self, from: Data(response.body.readableBytesView))
    }

    static func sampleLogin(agentID: String, environment: String = "production") -> AgentLogin {
        AgentLogin(
            agentID: agentID, appName: "shop", environment: environment, hostname: "web-1", rampartVersion: "0.1.0",
            swiftVersion: "6.3.1", os: "Linux", framework: "hummingbird 2.28.1",
            routes: [RouteInfo(method: "GET", path: "/search"), RouteInfo(method: "GET", path: "/download/:file")],
            dependencies: [Dependency(name: "hummingbird", version: "2.28.1"), Dependency(name: "sqlite-nio", version: "1.13.2")])
    }

    static func sampleEvent(
        at date: Date = Date(), ip: String = "203.0.113.7", category: String = "sql_injection", blocked: Bool = false,
        value: String = "1' OR '1'='1", route: String = "/search"
    ) -> SecurityEvent {
        SecurityEvent(
            timestamp: ProtocolTimestamp.truncatedToMilliseconds(date), kind: .waf, blocked: blocked, route: route, method: "GET",
            path: route, clientIP: ip, userAgent: "sqlmap/1.7", status: blocked ? 403 : 200,
            rules: [
                RuleMatchEvidence(
                    ruleID: "test-\(category)", ruleName: "Test \(category) rule", category: category, operator: "match_regex",
                    operatorValue: "OR", address: "server.request.query", keyPath: ["q", "0"], value: value, highlight: ["OR"])
            ],
            request: RequestSummary(headers: ["user-agent": "sqlmap/1.7"], query: ["q": [value]]))
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

/// A value shared between a test and the tasks or handlers it starts.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) {
        mutex = Mutex(value)
    }

    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        mutex.withLock { body(&$0) }
    }
}
