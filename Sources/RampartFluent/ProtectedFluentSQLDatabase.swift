import FluentKit
import Logging
import NIOCore
import Rampart
import SQLKit

/// A Fluent database on an SQL driver (SQLite, PostgreSQL, MySQL), behind Rampart's SQL injection check: every
/// model query and every raw SQL statement (`(db as? any SQLDatabase)?.raw(...)`) is checked against the current
/// request before the driver runs it. When request input changed a statement's structure it is reported and, in
/// block mode, refused with ``RampartBlockedError`` (a failed future or a thrown error) without reaching the
/// database. Schema changes and enum definitions (migrations: the app's own code) pass through unchecked.
///
/// Transactions, connections and SQL sessions it hands out are protected too, and carry the current request's
/// context into their closures: drivers run those closures once a pooled connection is free, on its event loop and
/// outside the task that asked, where the task-local context would otherwise be gone.
///
/// Made by ``ProtectedDatabaseDriver`` for `app.databases.use(.rampartProtected(.sqlite(.memory)), as: .sqlite)`,
/// or by `database.rampartProtected()`.
public struct ProtectedFluentSQLDatabase: ForwardingProtectedDatabase, SQLDatabase {
    public let base: any Database & SQLDatabase

    public init(_ base: any Database & SQLDatabase) {
        self.base = base
    }

    private var sqlBase: any SQLDatabase { base }

    // MARK: Database

    public var wrappedDatabase: any Database { base }

    public func execute(
        query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void
    ) -> EventLoopFuture<Void> {
        do {
            try FluentQueryCheck.check(query, on: sqlBase)
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        return base.execute(query: query, onOutput: onOutput)
    }

    // MARK: SQLDatabase

    public var logger: Logger { sqlBase.logger }
    public var eventLoop: any EventLoop { sqlBase.eventLoop }
    public var version: (any SQLDatabaseReportedVersion)? { sqlBase.version }
    public var dialect: any SQLDialect { sqlBase.dialect }
    public var queryLogLevel: Logger.Level? { sqlBase.queryLogLevel }

    @preconcurrency
    public func execute(
        sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) -> EventLoopFuture<Void> {
        do {
            try FluentQueryCheck.check(query, on: sqlBase)
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        return sqlBase.execute(sql: query, onRow)
    }

    public func execute(
        sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) async throws {
        try FluentQueryCheck.check(query, on: sqlBase)
        try await sqlBase.execute(sql: query, onRow)
    }

    public func withSession<R>(
        _ closure: @escaping @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        let request = RequestSecurityContext.current
        return try await sqlBase.withSession { session in
            try await RequestSecurityContext.$current.withValue(request) {
                try await closure(CheckedSQLSession(session))
            }
        }
    }
}
