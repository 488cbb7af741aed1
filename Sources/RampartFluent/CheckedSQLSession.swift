import Logging
import NIOCore
import Rampart
import SQLKit

/// The SQL session (one leased connection) that `withSession` hands out on a protected Fluent database, so that
/// statements run inside the session are checked like the database's own.
struct CheckedSQLSession: SQLDatabase {
    let base: any SQLDatabase

    init(_ base: any SQLDatabase) {
        self.base = base
    }

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    @preconcurrency
    func execute(
        sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) -> EventLoopFuture<Void> {
        do {
            try FluentQueryCheck.check(query, on: base)
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        return base.execute(sql: query, onRow)
    }

    func execute(
        sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) async throws {
        try FluentQueryCheck.check(query, on: base)
        try await base.execute(sql: query, onRow)
    }

    func withSession<R>(
        _ closure: @escaping @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        let request = RequestSecurityContext.current
        return try await base.withSession { session in
            try await RequestSecurityContext.$current.withValue(request) {
                try await closure(CheckedSQLSession(session))
            }
        }
    }
}
