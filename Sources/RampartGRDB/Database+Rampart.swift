// RampartGRDB: RASP checks of raw SQL run through GRDB.
//
// Why a wrapper and not a hook: GRDB 7 installs its own SQLite authorizer on every connection (it derives
// observed regions and transaction effects from it) and keeps it internal; replacing it with
// `sqlite3_set_authorizer` on `db.sqliteConnection` would break GRDB's observation. An authorizer also sees only
// action codes and table names, never the statement text, which the injection check compares with the request's
// input. `Database.trace` sees the text but cannot reject a statement. So the checks are explicit entry points for
// the places where SQL is assembled from strings; GRDB's query interface and `SQL` literals bind their values
// and do not need them.

import GRDB
import Rampart

extension Database {
    /// `execute(sql:arguments:)` after the RASP check of `sql` against the current request: in block mode an
    /// injection throws ``Rampart/RampartBlockedError`` and nothing runs.
    public func executeChecked(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try RASPCheck.sqlStatement(sql, system: "sqlite")
        try execute(sql: sql, arguments: arguments)
    }

    /// `execute(literal:)` after the RASP check of the literal's SQL text: interpolated values are bound (`?`) and
    /// never part of the checked text; raw pieces (`\(sql: fragment)`) are, and are where an injection would be.
    public func executeChecked(literal sqlLiteral: SQL) throws {
        let (sql, arguments) = try sqlLiteral.build(self)
        try executeChecked(sql: sql, arguments: arguments)
    }

    /// `makeStatement(sql:)` after the RASP check; fetch from it as usual (`Row.fetchAll(statement)`,
    /// `Player.fetchAll(statement)`).
    public func makeCheckedStatement(sql: String) throws -> Statement {
        try RASPCheck.sqlStatement(sql, system: "sqlite")
        return try makeStatement(sql: sql)
    }
}

// GRDB runs database closures on its own dispatch queues, where the request's task-local context is not visible:
// these variants carry the current request's context into the closure so the checks above see it.

extension DatabaseReader {
    /// `read`, with the current request's context visible to the checks inside `value`.
    public func readChecked<T: Sendable>(_ value: @Sendable (Database) throws -> T) async throws -> T {
        let context = RequestSecurityContext.current
        return try await read { db in try RequestSecurityContext.$current.withValue(context) { try value(db) } }
    }

    /// Synchronous `read`, with the current request's context visible to the checks inside `value`.
    @_disfavoredOverload
    public func readChecked<T>(_ value: (Database) throws -> T) throws -> T {
        let context = RequestSecurityContext.current
        return try read { db in try RequestSecurityContext.$current.withValue(context) { try value(db) } }
    }
}

extension DatabaseWriter {
    /// `write` (in a transaction, rolled back when a check throws), with the current request's context visible to
    /// the checks inside `updates`.
    public func writeChecked<T: Sendable>(_ updates: @Sendable (Database) throws -> T) async throws -> T {
        let context = RequestSecurityContext.current
        return try await write { db in try RequestSecurityContext.$current.withValue(context) { try updates(db) } }
    }

    /// Synchronous `write`, with the current request's context visible to the checks inside `updates`.
    @_disfavoredOverload
    public func writeChecked<T>(_ updates: (Database) throws -> T) throws -> T {
        let context = RequestSecurityContext.current
        return try write { db in try RequestSecurityContext.$current.withValue(context) { try updates(db) } }
    }
}
