import Logging
import NIOCore
import NIOPosix
import Rampart
import RampartTestSupport
import SQLKit
import SQLiteKit
import Testing

@testable import RampartSQLKit

/// SQLiteKit's connection pool behind `SQLiteDatabase`, as an app's pooled database is: a session leases a
/// connection and runs its closure in a task started on that connection's event loop. `@unchecked`: AsyncKit's pool
/// predates Sendable annotations; it confines its state to its event loop.
private struct PooledSQLiteDatabase: SQLiteDatabase, @unchecked Sendable {
    let pool: EventLoopConnectionPool<SQLiteConnectionSource>
    let logger: Logger

    var eventLoop: any EventLoop { pool.eventLoop }

    func query(
        _ query: String, _ binds: [SQLiteData], logger: Logger, _ onRow: @escaping @Sendable (SQLiteRow) -> Void
    ) -> EventLoopFuture<Void> {
        pool.withConnection(logger: logger) { $0.query(query, binds, logger: logger, onRow) }
    }

    func withConnection<T>(
        _ closure: @escaping @Sendable (SQLiteConnection) -> EventLoopFuture<T>
    ) -> EventLoopFuture<T> {
        pool.withConnection(logger: logger) { closure($0) }
    }
}

@Suite("SQLKit hook on a pooled SQLite database")
struct PooledSessionTests {
    @Test("a statement inside withSession is checked: the request's context reaches the leased connection")
    func sessionIsChecked() async throws {
        let eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var logger = Logger(label: "rampart-sqlkit-pool-test")
        logger.logLevel = .critical
        let pool = EventLoopConnectionPool(
            source: SQLiteConnectionSource(configuration: .init(storage: .memory)), maxConnections: 1, logger: logger,
            on: eventLoopGroup.any())
        let database = ProtectedSQLDatabase(PooledSQLiteDatabase(pool: pool, logger: logger).sql())
        let (agent, collected) = makeAgent(mode: .block)
        do {
            try await database.raw("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)").run()
            try await database.raw("INSERT INTO users (name) VALUES ('alice'), ('bob')").run()
            let context = requestContext(agent: agent, query: "name=x%27%20OR%20%271%27%3D%271")
            try await RequestSecurityContext.$current.withValue(context) {
                await #expect(throws: RampartBlockedError.self) {
                    _ = try await database.withSession { session in
                        try await session.raw("DELETE FROM users WHERE name = '\(unsafeRaw: "x' OR '1'='1")'").run()
                    }
                }
            }
            context.finish(status: 403)
            #expect(try await database.raw("SELECT id FROM users").all().count == 2)
        } catch {
            try? await pool.close().get()
            try? await eventLoopGroup.shutdownGracefully()
            throw error
        }
        try await pool.close().get()
        try await eventLoopGroup.shutdownGracefully()
        #expect(collected.events.withLockedValue { $0.contains { $0.kind == .rasp && $0.blocked } })
    }
}
