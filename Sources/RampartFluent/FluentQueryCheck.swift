// RampartFluent: RASP checks of the SQL that Fluent's SQL drivers run (models, query builders, raw SQL).

import FluentKit
import FluentSQL
import Rampart
import SQLKit

/// Turns what a Fluent database is about to run into SQL text and checks it against the current request.
///
/// Fluent's SQL drivers convert a `DatabaseQuery` to SQL inside the driver and execute it there, so nothing outside
/// the driver sees the statement: the check converts the query itself with FluentSQL's `SQLQueryConverter` (the
/// converter the drivers run) and serializes it with the database's own dialect. Values from the query builder
/// become binds (`?`, `$1`); what reaches the SQL text is what the app wrote as SQL (`.sql(unsafeRaw:)`,
/// `.custom`), which is where request input can change the statement.
enum FluentQueryCheck {
    /// Checks `query` as `database` would run it. Converts only inside a protected request with RASP on: outside
    /// one there is nothing to compare the statement with.
    static func check(_ query: DatabaseQuery, on database: any SQLDatabase) throws(RampartBlockedError) {
        guard isActive else { return }
        let expression = SQLQueryConverter(delegate: PlainConverterDelegate()).convert(query)
        try checkStatement(database.serialize(expression).sql, on: database)
    }

    /// Checks an SQLKit expression (raw SQL, SQLKit builders) about to run on `database`.
    static func check(_ expression: any SQLExpression, on database: any SQLDatabase) throws(RampartBlockedError) {
        guard isActive else { return }
        try checkStatement(database.serialize(expression).sql, on: database)
    }

    private static var isActive: Bool {
        guard let context = RequestSecurityContext.current else { return false }
        return context.agent.configuration.raspEnabled
    }

    private static func checkStatement(_ statement: String, on database: any SQLDatabase) throws(RampartBlockedError) {
        try RASPCheck.sqlStatement(statement, system: RASPCheck.databaseSystem(sqlDialectName: database.dialect.name))
    }
}

/// The converter settings of FluentSQL's defaults. The drivers' own delegates differ only in schema data types
/// (never part of a query) and, for MySQL, in how a nested JSON field path may be written; the field names in such a
/// path come from the model, not from the request, so the check sees the same input-derived text either way.
private struct PlainConverterDelegate: SQLConverterDelegate {
    func customDataType(_ dataType: DatabaseSchema.DataType) -> (any SQLExpression)? { nil }
}
