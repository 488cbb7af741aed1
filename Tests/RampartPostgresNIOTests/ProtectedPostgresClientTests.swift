import Foundation
import Logging
import NIOConcurrencyHelpers
import PostgresNIO
import Rampart
import RampartProtocol
import RampartTestSupport
import Testing

@testable import RampartPostgresNIO

/// The PostgreSQL server of RAMPART_TEST_POSTGRES_URL (`postgres://user[:password]@host:port/database`), which
/// `.ci/run` starts (locally: `eval $(scripts/start-test-postgres)`).
enum TestServer {
    static var url: URLComponents? {
        ProcessInfo.processInfo.environment["RAMPART_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : URLComponents(string: $0) }
    }

    static let logger = Logger(label: "rampart-postgresnio-test-client")

    /// A running client and a fresh `users` table (unique name) with two rows; both removed afterwards.
    static func withUsersTable(_ body: (PostgresClient, String) async throws -> Void) async throws {
        let url = try #require(url)
        let configuration = PostgresClient.Configuration(
            host: url.host ?? "127.0.0.1", port: url.port ?? 5432, username: url.user ?? "postgres",
            password: url.password, database: url.path.isEmpty ? nil : String(url.path.dropFirst()), tls: .disable)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let table = "rampart_users_\(UUID().uuidString.prefix(8).lowercased())"
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query(
                PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (id SERIAL PRIMARY KEY, name TEXT, secret TEXT)"),
                logger: logger)
            do {
                try await client.query(
                    PostgresQuery(unsafeSQL: "INSERT INTO \(table) (name, secret) VALUES ('alice', 'a'), ('bob', 'b')"),
                    logger: logger)
                try await body(client, table)
            } catch {
                _ = try? await client.query(PostgresQuery(unsafeSQL: "DROP TABLE \(table)"), logger: logger)
                throw error
            }
            try await client.query(PostgresQuery(unsafeSQL: "DROP TABLE \(table)"), logger: logger)
        }
    }

    static func count(_ rows: PostgresRowSequence) async throws -> Int {
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }
}

@Suite("PostgresNIO hook against a real PostgreSQL server")
struct ProtectedPostgresClientTests {
    static let injectedName = "x' OR '1'='1"
    static let injectedQuery = "name=x%27%20OR%20%271%27%3D%271"

    @Test func postgresIsTestedInCI() {
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            #expect(TestServer.url != nil, "CI must export RAMPART_TEST_POSTGRES_URL (.ci/run starts PostgreSQL)")
        }
    }

    @Test(
        "block mode: an injected UPDATE is refused before reaching PostgreSQL; bound and benign queries run",
        .enabled(if: TestServer.url != nil, "needs RAMPART_TEST_POSTGRES_URL"))
    func blocksInjection() async throws {
        let (agent, collected) = makeAgent(mode: .block)
        try await TestServer.withUsersTable { client, table in
            let database = client.rampartProtected()
            let context = requestContext(agent: agent, query: Self.injectedQuery)
            try await RequestSecurityContext.$current.withValue(context) {
                await #expect(throws: RampartBlockedError.self) {
                    try await database.query(
                        PostgresQuery(unsafeSQL: "UPDATE \(table) SET secret = 'pwned' WHERE name = '\(Self.injectedName)'"))
                }
                // The same input as a bound value cannot change the statement and runs.
                let bound = try await database.query("SELECT id FROM \(unescaped: table) WHERE name = \(Self.injectedName)")
                #expect(try await TestServer.count(bound) == 0)
                let alice = try await database.query(
                    PostgresQuery(unsafeSQL: "SELECT id FROM \(table) WHERE name = 'alice'"))
                #expect(try await TestServer.count(alice) == 1)
            }
            context.finish(status: 403)
            // The refused UPDATE never ran.
            let pwned = try await client.query(
                PostgresQuery(unsafeSQL: "SELECT id FROM \(table) WHERE secret = 'pwned'"), logger: TestServer.logger)
            #expect(try await TestServer.count(pwned) == 0)
        }
        let rasp = collected.events.withLockedValue { $0.first { $0.kind == .rasp } }
        #expect(rasp?.blocked == true)
        #expect(rasp?.rules.first?.category == "sql_injection")
        #expect(rasp?.stack?.isEmpty == false)
    }

    @Test(
        "monitor mode: the injection is reported and runs",
        .enabled(if: TestServer.url != nil, "needs RAMPART_TEST_POSTGRES_URL"))
    func monitorsInjection() async throws {
        let (agent, collected) = makeAgent(mode: .monitor)
        try await TestServer.withUsersTable { client, table in
            let database = client.rampartProtected()
            let context = requestContext(agent: agent, query: Self.injectedQuery)
            let count = try await RequestSecurityContext.$current.withValue(context) {
                try await TestServer.count(
                    database.query(PostgresQuery(unsafeSQL: "SELECT id FROM \(table) WHERE name = '\(Self.injectedName)'")))
            }
            #expect(count == 2)  // the injection worked: monitor mode does not interfere
            context.finish(status: 200)
        }
        #expect(collected.events.withLockedValue { $0.contains { $0.kind == .rasp && !$0.blocked } })
    }

    @Test(
        "a refused statement inside withTransaction rolls the transaction back; connections are checked too",
        .enabled(if: TestServer.url != nil, "needs RAMPART_TEST_POSTGRES_URL"))
    func transactionRollsBack() async throws {
        let (agent, _) = makeAgent(mode: .block)
        try await TestServer.withUsersTable { client, table in
            let database = client.rampartProtected()
            let context = requestContext(agent: agent, query: Self.injectedQuery)
            try await RequestSecurityContext.$current.withValue(context) {
                await #expect(throws: RampartBlockedError.self) {
                    try await database.withTransaction(logger: TestServer.logger) { connection in
                        try await connection.query(
                            PostgresQuery(unsafeSQL: "INSERT INTO \(table) (name, secret) VALUES ('carol', 'c')"),
                            logger: TestServer.logger)
                        try await connection.query(
                            PostgresQuery(unsafeSQL: "DELETE FROM \(table) WHERE name = '\(Self.injectedName)'"),
                            logger: TestServer.logger)
                    }
                }
                let names = try await database.withConnection { connection in
                    try await TestServer.count(
                        connection.query(PostgresQuery(unsafeSQL: "SELECT id FROM \(table)"), logger: TestServer.logger))
                }
                #expect(names == 2)  // carol's insert was rolled back, nobody was deleted
            }
            context.finish(status: 403)
        }
    }

    @Test("outside a request the wrapper is transparent", .enabled(if: TestServer.url != nil, "needs RAMPART_TEST_POSTGRES_URL"))
    func outsideRequest() async throws {
        try await TestServer.withUsersTable { client, table in
            let rows = try await client.rampartProtected().query(
                PostgresQuery(unsafeSQL: "SELECT id FROM \(table) WHERE name = '\(Self.injectedName)'"))
            #expect(try await TestServer.count(rows) == 2)
        }
    }
}
