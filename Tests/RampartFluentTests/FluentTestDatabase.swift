import FluentKit
import FluentSQLiteDriver
import Logging
import NIOCore
import NIOPosix
import RampartFluent

/// A library's authors, each with books: enough for filters, updates, deletes and eager loading.
final class Author: Model, @unchecked Sendable {
    static let schema = "authors"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "secret") var secret: String
    @Children(for: \.$author) var books: [Book]

    init() {}

    init(name: String, secret: String) {
        self.name = name
        self.secret = secret
    }
}

final class Book: Model, @unchecked Sendable {
    static let schema = "books"

    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    @Parent(key: "author_id") var author: Author

    init() {}

    init(title: String, authorID: UUID) {
        self.title = title
        self.$author.id = authorID
    }
}

/// Real SQLite (in memory) through Fluent's SQLite driver, registered the way an app registers it:
/// `databases.use(.rampartProtected(.sqlite(.memory)), as: .sqlite)`. The schema is created and two authors (alice
/// with two books, bob with one) are inserted before `body` runs.
func withProtectedFluent(
    configure: (Databases) -> Void = { _ in },
    _ body: (any Database) async throws -> Void
) async throws {
    // One event loop: one pooled connection, so every query sees the same in-memory database.
    let eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let databases = Databases(threadPool: NIOThreadPool.singleton, on: eventLoopGroup)
    databases.use(.rampartProtected(.sqlite(.memory)), as: .sqlite)
    configure(databases)
    var logger = Logger(label: "rampart-fluent-test")
    logger.logLevel = .critical
    do {
        guard let database = databases.database(logger: logger, on: eventLoopGroup.any()) else {
            throw FluentTestSetupError.noDatabase
        }
        try await database.schema(Author.schema)
            .id().field("name", .string, .required).field("secret", .string, .required).create()
        try await database.schema(Book.schema)
            .id().field("title", .string, .required)
            .field("author_id", .uuid, .required, .references(Author.schema, .id)).create()
        let alice = Author(name: "alice", secret: "a-secret")
        let bob = Author(name: "bob", secret: "b-secret")
        try await alice.create(on: database)
        try await bob.create(on: database)
        let aliceID = try alice.requireID()
        try await Book(title: "First", authorID: aliceID).create(on: database)
        try await Book(title: "Second", authorID: aliceID).create(on: database)
        try await Book(title: "Third", authorID: try bob.requireID()).create(on: database)
        try await body(database)
    } catch {
        await databases.shutdownAsync()
        try? await eventLoopGroup.shutdownGracefully()
        throw error
    }
    await databases.shutdownAsync()
    try await eventLoopGroup.shutdownGracefully()
}

enum FluentTestSetupError: Error {
    case noDatabase
}
