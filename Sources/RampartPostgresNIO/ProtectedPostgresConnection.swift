import Logging
import PostgresNIO
import Rampart

/// A `PostgresConnection` whose queries are checked against the current request before they are sent (see
/// ``ProtectedPostgresClient``). Like the connection a `PostgresClient` lends, it must not outlive the closure it
/// was given to.
public struct ProtectedPostgresConnection: Sendable {
    public let base: PostgresConnection

    public init(_ base: PostgresConnection) {
        self.base = base
    }

    /// `PostgresConnection.query` after the RASP check of `query.sql`.
    @discardableResult
    public func query(
        _ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line
    ) async throws -> PostgresRowSequence {
        try RASPCheck.sqlStatement(query.sql, system: "postgresql")
        return try await base.query(query, logger: logger, file: file, line: line)
    }

    /// `PostgresConnection.execute` of a prepared statement (static SQL, bound values: not checked).
    public func execute<Statement: PostgresPreparedStatement, Row>(
        _ preparedStatement: Statement, logger: Logger, file: String = #fileID, line: Int = #line
    ) async throws -> AsyncThrowingMapSequence<PostgresRowSequence, Row> where Row == Statement.Row {
        try await base.execute(preparedStatement, logger: logger, file: file, line: line)
    }
}

extension PostgresConnection {
    /// This connection behind Rampart's SQL injection check.
    public func rampartProtected() -> ProtectedPostgresConnection {
        ProtectedPostgresConnection(self)
    }
}
