import FluentKit
import FluentSQL
import NIOCore
import Rampart
import RampartProtocol
import RampartTestSupport
import SQLKit
import Testing

@testable import RampartFluent

/// Request input that closes the SQL string and widens the WHERE clause, and the query string that carries it.
private let injectedName = "x' OR '1'='1"
private let injectedQuery = "name=x%27%20OR%20%271%27%3D%271"

@Suite("Fluent hook against real SQLite")
struct ProtectedFluentDatabaseTests {
    @Test("the registered database is protected, still an SQLDatabase, and wrapped once")
    func wrapperShape() async throws {
        try await withProtectedFluent { database in
            let protected = try #require(database as? ProtectedFluentSQLDatabase)
            #expect(!(protected.base is ProtectedFluentSQLDatabase))
            let sql = try #require(database as? any SQLDatabase)
            #expect(sql.dialect.name == "sqlite")
            #expect(database.rampartProtected() is ProtectedFluentSQLDatabase)
            #expect(!((database.rampartProtected() as? ProtectedFluentSQLDatabase)?.base is ProtectedFluentSQLDatabase))
            try await database.transaction { transaction in
                #expect(transaction is ProtectedFluentSQLDatabase)
                #expect(transaction.inTransaction)
            }
        }
    }

    @Test("create, filtered queries, updates, deletes, eager loading and transactions work unchanged in block mode")
    func crudInsideProtectedRequest() async throws {
        let (agent, collected) = makeAgent(mode: .block)
        try await withProtectedFluent { database in
            let context = requestContext(agent: agent, query: "name=alice&title=Fourth")
            try await RequestSecurityContext.$current.withValue(context) {
                let alice = try #require(try await Author.query(on: database).filter(\.$name == "alice").first())
                #expect(alice.secret == "a-secret")

                try await Book(title: "Fourth", authorID: try alice.requireID()).create(on: database)
                let authors = try await Author.query(on: database).with(\.$books).sort(\.$name).all()
                #expect(authors.map(\.name) == ["alice", "bob"])
                #expect(authors.first?.books.map(\.title).sorted() == ["First", "Fourth", "Second"])
                #expect(authors.last?.books.map(\.title) == ["Third"])

                alice.secret = "changed"
                try await alice.update(on: database)
                #expect(try await Author.find(alice.id, on: database)?.secret == "changed")
                try await Book.query(on: database).filter(\.$title == "Third")
                    .set(\.$title, to: "Third, revised").update()
                #expect(try await Book.query(on: database).filter(\.$title == "Third, revised").count() == 1)

                let first = try #require(try await Book.query(on: database).filter(\.$title == "First").first())
                try await first.delete(on: database)
                try await Book.query(on: database).filter(\.$title == "Second").delete()
                #expect(try await Book.query(on: database).count() == 2)

                try await database.transaction { transaction in
                    try await Author(name: "carol", secret: "c-secret").create(on: transaction)
                }
                #expect(try await Author.query(on: database).count() == 3)
            }
            context.finish(status: 200)
        }
        #expect(collected.events.withLockedValue { $0.filter { $0.kind == .rasp } }.isEmpty)
    }

    @Test("a filter value from request input is bound: even an injection string is data and runs")
    func filterValuesAreBound() async throws {
        let (agent, collected) = makeAgent(mode: .block)
        try await withProtectedFluent { database in
            let context = requestContext(agent: agent, query: injectedQuery)
            let found = try await RequestSecurityContext.$current.withValue(context) {
                try await Author.query(on: database).filter(\.$name == injectedName).all()
            }
            #expect(found.isEmpty)
            context.finish(status: 200)
        }
        #expect(collected.events.withLockedValue { $0.filter { $0.kind == .rasp } }.isEmpty)
    }

    @Test("block mode: request input in a .sql(unsafeRaw:) filter is refused before reaching SQLite, with evidence")
    func blocksModelQueryInjection() async throws {
        let (agent, collected) = makeAgent(mode: .block)
        try await withProtectedFluent { database in
            let context = requestContext(agent: agent, query: injectedQuery)
            try await RequestSecurityContext.$current.withValue(context) {
                let refused = await #expect(throws: RampartBlockedError.self) {
                    try await Author.query(on: database).filter(.sql(unsafeRaw: "name = '\(injectedName)'")).all()
                }
                #expect(refused?.reason.contains("SQL statement") == true)
                await #expect(throws: RampartBlockedError.self) {
                    try await Author.query(on: database).filter(.sql(unsafeRaw: "name = '\(injectedName)'")).delete()
                }
                // The EventLoopFuture API gets a failed future.
                let future: EventLoopFuture<[Author]> = Author.query(on: database)
                    .filter(.sql(unsafeRaw: "name = '\(injectedName)'")).all()
                await #expect(throws: RampartBlockedError.self) { try await future.get() }
                // The same kind of raw filter built from ordinary input runs.
                let alice = try await Author.query(on: database).filter(.sql(unsafeRaw: "name = 'alice'")).all()
                #expect(alice.map(\.name) == ["alice"])
            }
            context.finish(status: 403)
            // The refused DELETE never ran.
            #expect(try await Author.query(on: database).count() == 2)
        }
        let events = collected.events.withLockedValue { $0.filter { $0.kind == .rasp } }
        #expect(events.count == 3)
        let rasp = try #require(events.first)
        #expect(rasp.blocked)
        #expect(rasp.status == 403)
        #expect(rasp.stack?.isEmpty == false)
        let evidence = try #require(rasp.rules.first)
        #expect(evidence.category == "sql_injection")
        #expect(evidence.operator == "sqli_detector")
        #expect(evidence.address == "server.request.query")
        #expect(evidence.keyPath == ["name", "0"])
        #expect(evidence.value == injectedName)
        #expect(!evidence.highlight.isEmpty)
    }

    @Test("block mode: raw SQL on the wrapped database is checked, in transactions and sessions too")
    func blocksRawSQLInjection() async throws {
        let (agent, collected) = makeAgent(mode: .block)
        try await withProtectedFluent { database in
            let sql = try #require(database as? any SQLDatabase)
            let injected = SQLQueryString("SELECT * FROM authors WHERE name = '\(unsafeRaw: injectedName)'")
            let context = requestContext(agent: agent, query: injectedQuery)
            try await RequestSecurityContext.$current.withValue(context) {
                await #expect(throws: RampartBlockedError.self) { _ = try await sql.raw(injected).all() }
                await #expect(throws: RampartBlockedError.self) {
                    try await database.transaction { transaction in
                        guard let transactionSQL = transaction as? any SQLDatabase else { return }
                        try await transactionSQL
                            .raw("UPDATE authors SET secret = 'pwned' WHERE name = '\(unsafeRaw: injectedName)'").run()
                    }
                }
                await #expect(throws: RampartBlockedError.self) {
                    _ = try await sql.withSession { session in try await session.raw(injected).all() }
                }
                // The same input as a bind is safe and runs.
                let bound = try await sql.raw("SELECT * FROM authors WHERE name = \(bind: injectedName)").all()
                #expect(bound.isEmpty)
            }
            context.finish(status: 403)
            // The refused UPDATE never ran.
            #expect(try await Author.query(on: database).filter(\.$secret == "pwned").count() == 0)
        }
        let events = collected.events.withLockedValue { $0.filter { $0.kind == .rasp } }
        #expect(events.count == 3)
        #expect(events.allSatisfy { $0.blocked && $0.rules.first?.category == "sql_injection" })
    }

    @Test("monitor mode: injections through a model query and raw SQL are reported and run")
    func monitorsInjection() async throws {
        let (agent, collected) = makeAgent(mode: .monitor)
        try await withProtectedFluent { database in
            let sql = try #require(database as? any SQLDatabase)
            let context = requestContext(agent: agent, query: injectedQuery)
            try await RequestSecurityContext.$current.withValue(context) {
                let models = try await Author.query(on: database)
                    .filter(.sql(unsafeRaw: "name = '\(injectedName)'")).all()
                #expect(models.count == 2)  // the injection worked: monitor mode does not interfere
                let rows = try await sql.raw("SELECT * FROM authors WHERE name = '\(unsafeRaw: injectedName)'").all()
                #expect(rows.count == 2)
            }
            context.finish(status: 200)
        }
        let events = collected.events.withLockedValue { $0.filter { $0.kind == .rasp } }
        #expect(events.count == 2)
        #expect(events.allSatisfy { !$0.blocked })
        #expect(events.allSatisfy { $0.rules.first?.category == "sql_injection" })
        #expect(events.allSatisfy { $0.rules.first?.value == injectedName })
    }

    @Test("outside a request the wrapper is transparent")
    func outsideRequest() async throws {
        try await withProtectedFluent { database in
            let models = try await Author.query(on: database).filter(.sql(unsafeRaw: "name = '\(injectedName)'")).all()
            #expect(models.count == 2)
        }
    }

    @Test("model middleware added to the protected configuration runs")
    func modelMiddlewareRuns() async throws {
        try await withProtectedFluent(configure: { $0.middleware.use(UppercasedNames(), on: .sqlite) }) { database in
            let names = try await Author.query(on: database).sort(\.$name).all().map(\.name)
            #expect(names == ["ALICE", "BOB"])
        }
    }
}

/// Upper-cases author names as they are created.
private struct UppercasedNames: AsyncModelMiddleware {
    func create(model: Author, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        model.name = model.name.uppercased()
        try await next.create(model, on: db)
    }
}
