import FluentKit
import Logging
import NIOCore
import NIOPosix
import Rampart
import RampartProtocol
import RampartTestSupport
import SQLKit
import Synchronization
import Testing

@testable import RampartFluent

/// A Fluent database whose driver runs no SQL, as a document store's: it keeps the queries it is given and
/// returns no rows. Stands in for a non-SQL driver, of which no package is available here.
private struct DocumentStoreDatabase: Database {
    let context: DatabaseContext
    let received: Received

    final class Received: Sendable {
        let queries = Mutex<[DatabaseQuery]>([])
    }

    var inTransaction: Bool { false }

    func execute(
        query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void
    ) -> EventLoopFuture<Void> {
        received.queries.withLock { $0.append(query) }
        return eventLoop.makeSucceededVoidFuture()
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { eventLoop.makeSucceededVoidFuture() }
    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { eventLoop.makeSucceededVoidFuture() }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        closure(self)
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        closure(self)
    }
}

/// Keeps the messages logged at warning level and above.
private struct WarningCollector: LogHandler {
    let messages: Messages
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .warning

    final class Messages: Sendable {
        let lines = Mutex<[String]>([])
    }

    func log(event: LogEvent) {
        messages.lines.withLock { $0.append(event.message.description) }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
}

/// Registers the document store: every database it makes shares `received`.
private struct DocumentStoreConfiguration: DatabaseConfiguration {
    let received = DocumentStoreDatabase.Received()
    var middleware: [any AnyModelMiddleware] = []

    func makeDriver(for databases: Databases) -> any DatabaseDriver { Driver(received: received) }

    struct Driver: DatabaseDriver {
        let received: DocumentStoreDatabase.Received
        func makeDatabase(with context: DatabaseContext) -> any Database {
            DocumentStoreDatabase(context: context, received: received)
        }
        func shutdown() {}
    }
}

@Suite("Fluent hook on a driver that runs no SQL")
struct NonSQLDatabaseTests {
    @Test("queries pass through unchecked, and one warning says the database is not checked")
    func passesThroughWithOneWarning() async throws {
        let (agent, collected) = makeAgent(mode: .block)
        let messages = WarningCollector.Messages()
        let logger = Logger(label: "rampart-fluent-non-sql") { _ in WarningCollector(messages: messages) }
        let configuration = DocumentStoreConfiguration()
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        databases.use(
            .rampartProtected(DatabaseConfigurationFactory { configuration }), as: DatabaseID(string: "documents"))
        let database = try #require(databases.database(logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()))
        #expect(database is ProtectedFluentDatabase)
        #expect(!(database is any SQLDatabase))
        #expect(database.rampartProtected() is ProtectedFluentDatabase)

        let context = requestContext(agent: agent, query: "name=x%27%20OR%20%271%27%3D%271")
        try await RequestSecurityContext.$current.withValue(context) {
            _ = try await Author.query(on: database).filter(\.$name == "x' OR '1'='1").all()
            _ = try await Author.query(on: database).all()
            try await database.transaction { transaction in
                #expect(transaction is ProtectedFluentDatabase)
                _ = try await Author.query(on: transaction).all()
            }
        }
        context.finish(status: 200)
        await databases.shutdownAsync()  // its driver holds nothing: skipping this after a failure leaks nothing

        #expect(configuration.received.queries.withLock { $0.count } == 3)
        let warnings = messages.lines.withLock { $0 }
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("cannot check queries") == true)
        #expect(collected.events.withLockedValue { $0.filter { $0.kind == .rasp } }.isEmpty)
    }
}
