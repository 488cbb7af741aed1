import Foundation
import Logging
import NIOConcurrencyHelpers
import Rampart
import RampartProtocol
import RampartTestSupport
import SQLKit
import SQLiteKit
import Testing

@testable import RampartSQLKit

/// A real SQLite database (in memory) with one table, behind the protected wrapper.
func withDatabase(_ body: (any SQLDatabase) async throws -> Void) async throws {
    let connection = try await SQLiteConnection.open(storage: .memory)
    do {
        let database = ProtectedSQLDatabase(connection.sql())
        try await database.raw("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, secret TEXT)").run()
        try await database.raw("INSERT INTO users (name, secret) VALUES ('alice', 'a-secret'), ('bob', 'b-secret')").run()
        try await body(database)
    } catch {
        try? await connection.close()
        throw error
    }
    try await connection.close()
}

@Suite("SQLKit hook against real SQLite")
struct ProtectedSQLDatabaseTests {
    @Test("a string-concatenated injection is refused before reaching SQLite in block mode")
    func blocksInjection() async throws {
        let (agent, collected) = makeAgent(mode: .block)
        try await withDatabase { database in
            let input = "x' OR '1'='1"
            let context = requestContext(agent: agent, query: "name=x%27%20OR%20%271%27%3D%271")
            try await RequestSecurityContext.$current.withValue(context) {
                await #expect(throws: RampartBlockedError.self) {
                    _ = try await database.raw(SQLQueryString("SELECT * FROM users WHERE name = '\(unsafeRaw: input)'")).all()
                }
                // The same input as a bind is safe and runs.
                let rows = try await database.raw("SELECT * FROM users WHERE name = \(bind: input)").all()
                #expect(rows.isEmpty)
                // Benign concatenation of ordinary input runs too.
                let alice = try await database.raw(SQLQueryString("SELECT * FROM users WHERE name = '\(unsafeRaw: "alice")'")).all()
                #expect(alice.count == 1)
            }
            context.finish(status: 403)
        }
        let rasp = collected.events.withLockedValue { $0.first { $0.kind == .rasp } }
        #expect(rasp?.blocked == true)
        #expect(rasp?.rules.first?.category == "sql_injection")
    }

    @Test("monitor mode: the injection is reported and the query runs")
    func monitorsInjection() async throws {
        let (agent, collected) = makeAgent(mode: .monitor)
        try await withDatabase { database in
            let input = "x' OR '1'='1"
            let context = requestContext(agent: agent, query: "name=x%27%20OR%20%271%27%3D%271")
            let rows = try await RequestSecurityContext.$current.withValue(context) {
                try await database.raw(SQLQueryString("SELECT * FROM users WHERE name = '\(unsafeRaw: input)'")).all()
            }
            #expect(rows.count == 2)  // the injection worked: monitor mode does not interfere
            context.finish(status: 200)
        }
        #expect(collected.events.withLockedValue { $0.contains { $0.kind == .rasp && !$0.blocked } })
    }

    @Test("inside a request the statement serialized for the check is what runs, binds included")
    func serializedOnce() async throws {
        let (agent, _) = makeAgent(mode: .block)
        try await withDatabase { database in
            let context = requestContext(agent: agent, query: "name=bob")
            let rows = try await RequestSecurityContext.$current.withValue(context) {
                try await database.select().column("name").from("users")
                    .where("name", .equal, "bob").where("secret", .equal, "b-secret").all()
            }
            #expect(try rows.map { try $0.decode(column: "name", as: String.self) } == ["bob"])
            context.finish(status: 200)
        }
    }

    @Test("a serialized statement inside another expression serializes its original again")
    func serializedStatementNested() async throws {
        let connection = try await SQLiteConnection.open(storage: .memory)
        let database = connection.sql()
        let query = SQLBinaryExpression(left: SQLBind(1), op: SQLBinaryOperator.equal, right: SQLBind(2))
        let (sql, binds) = database.serialize(query)
        let statement = SerializedStatement(original: query, sql: sql, binds: binds)
        let alone = database.serialize(statement)
        #expect(alone.sql == sql)
        #expect(alone.binds.count == 2)
        let nested = database.serialize(SQLList([SQLBind(0), statement]))
        let expected = database.serialize(SQLList([SQLBind(0), query]))
        #expect(nested.sql == expected.sql)
        #expect(nested.binds.count == 3)
        try await connection.close()
    }

    @Test("outside a request the wrapper is transparent")
    func outsideRequest() async throws {
        try await withDatabase { database in
            let rows = try await database.raw(SQLQueryString("SELECT * FROM users WHERE name = '\(unsafeRaw: "x' OR '1'='1")'")).all()
            #expect(rows.count == 2)
        }
    }
}
