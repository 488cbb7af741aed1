import Foundation
import Logging
import NIOPosix
import PostgresKit
import Rampart
import RampartTestSupport
import SQLKit
import Testing

@testable import RampartSQLKit

/// The SQLKit wrapper over PostgresKit's driver, against the server of RAMPART_TEST_POSTGRES_URL (`.ci/run` starts
/// it; locally `eval $(scripts/start-test-postgres)`).
@Suite("SQLKit hook against a real PostgreSQL server (PostgresKit)")
struct PostgresSQLKitTests {
    static var url: URLComponents? {
        ProcessInfo.processInfo.environment["RAMPART_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : URLComponents(string: $0) }
    }

    /// A connection, a fresh table (unique name) with two rows behind the protected wrapper; dropped afterwards.
    static func withUsersTable(_ body: (any SQLDatabase, String) async throws -> Void) async throws {
        let url = try #require(url)
        let configuration = PostgresConnection.Configuration(
            host: url.host ?? "127.0.0.1", port: url.port ?? 5432, username: url.user ?? "postgres",
            password: url.password, database: url.path.isEmpty ? nil : String(url.path.dropFirst()), tls: .disable)
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1,
            logger: Logger(label: "rampart-sqlkit-postgres-test"))
        let table = "rampart_sqlkit_\(UUID().uuidString.prefix(8).lowercased())"
        let database = ProtectedSQLDatabase(connection.sql())
        do {
            try await database.raw("CREATE TABLE \(unsafeRaw: table) (id SERIAL PRIMARY KEY, name TEXT)").run()
            try await database.raw("INSERT INTO \(unsafeRaw: table) (name) VALUES ('alice'), ('bob')").run()
            try await body(database, table)
            try await database.raw("DROP TABLE \(unsafeRaw: table)").run()
        } catch {
            try? await database.raw("DROP TABLE \(unsafeRaw: table)").run()
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    @Test func postgresIsTestedInCI() {
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            #expect(Self.url != nil, "CI must export RAMPART_TEST_POSTGRES_URL (.ci/run starts PostgreSQL)")
        }
    }

    @Test("the wrapper names the dialect postgresql")
    func dialectName() {
        #expect(ProtectedSQLDatabase.system(for: "postgresql") == "postgresql")
    }

    @Test(
        "block mode: a concatenated injection is refused, the bound value runs; monitor mode reports and runs",
        .enabled(if: url != nil, "needs RAMPART_TEST_POSTGRES_URL"))
    func blockAndMonitor() async throws {
        let input = "x' OR '1'='1"
        try await Self.withUsersTable { database, table in
            let (blocking, blockingEvents) = makeAgent(mode: .block)
            let attack = requestContext(agent: blocking, query: "name=x%27%20OR%20%271%27%3D%271")
            try await RequestSecurityContext.$current.withValue(attack) {
                await #expect(throws: RampartBlockedError.self) {
                    _ = try await database.raw(
                        SQLQueryString("SELECT * FROM \(unsafeRaw: table) WHERE name = '\(unsafeRaw: input)'")).all()
                }
                let bound = try await database.raw("SELECT * FROM \(unsafeRaw: table) WHERE name = \(bind: input)").all()
                #expect(bound.isEmpty)
            }
            attack.finish(status: 403)
            #expect(blockingEvents.events.withLockedValue { $0.contains { $0.kind == .rasp && $0.blocked } })

            let (monitoring, monitoringEvents) = makeAgent(mode: .monitor)
            let monitored = requestContext(agent: monitoring, query: "name=x%27%20OR%20%271%27%3D%271")
            let rows = try await RequestSecurityContext.$current.withValue(monitored) {
                try await database.raw(
                    SQLQueryString("SELECT * FROM \(unsafeRaw: table) WHERE name = '\(unsafeRaw: input)'")).all()
            }
            monitored.finish(status: 200)
            #expect(rows.count == 2)
            #expect(monitoringEvents.events.withLockedValue { $0.contains { $0.kind == .rasp && !$0.blocked } })
        }
    }
}
