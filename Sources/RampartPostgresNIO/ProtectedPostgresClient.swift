// RampartPostgresNIO: RASP checks of SQL statements sent through PostgresNIO's `PostgresClient` and
// `PostgresConnection`.

import Logging
import PostgresNIO
import Rampart

/// A `PostgresClient` whose queries are checked against the current request before they are sent: when request
/// input changed a statement's structure (an SQL injection), the statement is reported and, in block mode, refused
/// with ``Rampart/RampartBlockedError`` without reaching the server. Bound values (`\(value)` interpolations of
/// `PostgresQuery`) are sent apart from the statement and cannot change it; only `unescaped` interpolations and
/// `PostgresQuery(unsafeSQL:)` text can carry an injection.
///
/// `let db = client.rampartProtected()`; run the client itself (`client.run()`) as usual.
public struct ProtectedPostgresClient: Sendable {
    public let base: PostgresClient

    public init(_ base: PostgresClient) {
        self.base = base
    }

    /// `PostgresClient.query` after the RASP check of `query.sql`.
    @discardableResult
    public func query(
        _ query: PostgresQuery, logger: Logger? = nil, file: String = #fileID, line: Int = #line
    ) async throws -> PostgresRowSequence {
        try RASPCheck.sqlStatement(query.sql, system: "postgresql")
        return try await base.query(query, logger: logger, file: file, line: line)
    }

    /// `PostgresClient.execute` of a prepared statement. Not checked: its SQL is a static property fixed at
    /// compile time and its values are bound, so request input cannot reach the statement text.
    public func execute<Statement: PostgresPreparedStatement, Row>(
        _ preparedStatement: Statement, logger: Logger? = nil, file: String = #fileID, line: Int = #line
    ) async throws -> AsyncThrowingMapSequence<PostgresRowSequence, Row> where Row == Statement.Row {
        try await base.execute(preparedStatement, logger: logger, file: file, line: line)
    }

    /// Leases a connection; the closure gets it behind the same check.
    public func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ closure: (ProtectedPostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        try await base.withConnection(isolation: isolation) { connection in
            try await closure(ProtectedPostgresConnection(connection))
        }
    }

    /// Runs the closure in a transaction (`BEGIN` / `COMMIT`, `ROLLBACK` when it throws). When Rampart refused a
    /// statement inside it, the transaction is rolled back and ``Rampart/RampartBlockedError`` itself is thrown
    /// (not wrapped in `PostgresTransactionError`), so the middleware still answers with the blocking response.
    public func withTransaction<Result>(
        logger: Logger, file: String = #file, line: Int = #line, isolation: isolated (any Actor)? = #isolation,
        _ closure: (ProtectedPostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        do {
            return try await base.withTransaction(logger: logger, file: file, line: line, isolation: isolation) {
                connection in
                try await closure(ProtectedPostgresConnection(connection))
            }
        } catch let error as PostgresTransactionError {
            if let blocked = error.closureError as? RampartBlockedError { throw blocked }
            throw error
        }
    }
}

extension PostgresClient {
    /// This client behind Rampart's SQL injection check.
    public func rampartProtected() -> ProtectedPostgresClient {
        ProtectedPostgresClient(self)
    }
}
