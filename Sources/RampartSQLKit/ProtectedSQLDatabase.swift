// RampartSQLKit: RASP checks of SQL statements sent through SQLKit (covers SQLKit users of any driver).

import Logging
import NIOCore
import Rampart
import SQLKit

/// An `SQLDatabase` that checks every statement against the current request before running it: when request
/// input changed the statement's structure (an injection), the statement is reported and, in block mode, refused
/// with ``RampartBlockedError`` (as a failed future or a thrown error) without reaching the database.
///
/// `let db = ProtectedSQLDatabase(sqlite.sql())` — or `anyDatabase.rampartProtected()`.
public struct ProtectedSQLDatabase: SQLDatabase {
    public let base: any SQLDatabase

    public init(_ base: any SQLDatabase) {
        self.base = base
    }

    public var logger: Logger { base.logger }
    public var eventLoop: any EventLoop { base.eventLoop }
    public var version: (any SQLDatabaseReportedVersion)? { base.version }
    public var dialect: any SQLDialect { base.dialect }
    public var queryLogLevel: Logger.Level? { base.queryLogLevel }

    @preconcurrency
    public func execute(
        sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) -> EventLoopFuture<Void> {
        let checked: any SQLExpression
        do {
            checked = try check(query)
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        return base.execute(sql: checked, onRow)
    }

    public func execute(
        sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) async throws {
        try await base.execute(sql: try check(query), onRow)
    }

    public func withSession<R>(
        _ closure: @escaping @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        // Pooled drivers (SQLiteKit, PostgresKit) run the closure in a task started on the leased connection's event
        // loop, where the request's task-local context is gone: carry it in.
        let request = RequestSecurityContext.current
        return try await base.withSession { session in
            try await RequestSecurityContext.$current.withValue(request) {
                try await closure(ProtectedSQLDatabase(session))
            }
        }
    }

    /// Checks `query` inside a protected request; returns what to execute: the query as serialized for the check
    /// (so the driver does not serialize it again), or the query itself outside a request.
    private func check(_ query: any SQLExpression) throws(RampartBlockedError) -> any SQLExpression {
        guard let context = RequestSecurityContext.current, context.agent.configuration.raspEnabled else {
            return query
        }
        let (statement, binds) = base.serialize(query)
        try RASPCheck.sqlStatement(statement, system: Self.system(for: dialect.name))
        return SerializedStatement(original: query, sql: statement, binds: binds)
    }

    /// libddwaf's `db_type` names for SQLKit dialect names.
    static func system(for dialectName: String) -> String {
        RASPCheck.databaseSystem(sqlDialectName: dialectName)
    }
}

extension SQLDatabase {
    /// This database behind Rampart's SQL injection check.
    public func rampartProtected() -> any SQLDatabase {
        self is ProtectedSQLDatabase ? self : ProtectedSQLDatabase(self)
    }
}
