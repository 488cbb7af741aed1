import FluentKit
import NIOCore
import Rampart
import SQLKit
import Synchronization

/// A Fluent database whose driver is not SQL-based (MongoDB, for example): its queries have no SQL text for the
/// SQL injection check, so they pass through unchanged, and the first query run inside a protected request logs a
/// warning (once per driver type) saying that this database is not checked. Transactions and connections it hands
/// out are wrapped the same way, so a protected SQL database inside them is still checked.
public struct ProtectedFluentDatabase: ForwardingProtectedDatabase {
    public let base: any Database

    public init(_ base: any Database) {
        self.base = base
    }

    public var wrappedDatabase: any Database { base }

    public func execute(
        query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void
    ) -> EventLoopFuture<Void> {
        if let context = RequestSecurityContext.current, context.agent.configuration.raspEnabled {
            UncheckedDatabaseNotice.report(base)
        }
        return base.execute(query: query, onOutput: onOutput)
    }
}

/// What both protected databases forward to the database they wrap unchanged. Transactions and connections carry
/// the request's context to the pooled connection's thread (where it is otherwise lost) and are wrapped again, so
/// statements run inside them are still checked.
public protocol ForwardingProtectedDatabase: Database {
    /// The database queries go to once checked.
    var wrappedDatabase: any Database { get }
}

extension ForwardingProtectedDatabase {
    public var context: DatabaseContext { wrappedDatabase.context }
    public var inTransaction: Bool { wrappedDatabase.inTransaction }

    public func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> {
        wrappedDatabase.execute(schema: schema)
    }

    public func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> {
        wrappedDatabase.execute(enum: `enum`)
    }

    public func transaction<T>(
        _ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>
    ) -> EventLoopFuture<T> {
        let request = RequestSecurityContext.current
        return wrappedDatabase.transaction { database in
            RequestSecurityContext.$current.withValue(request) { closure(database.rampartProtected()) }
        }
    }

    public func withConnection<T>(
        _ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>
    ) -> EventLoopFuture<T> {
        let request = RequestSecurityContext.current
        return wrappedDatabase.withConnection { database in
            RequestSecurityContext.$current.withValue(request) { closure(database.rampartProtected()) }
        }
    }
}

/// Logs once per database type that its queries cannot be checked (every query would repeat the same warning).
enum UncheckedDatabaseNotice {
    private static let reportedTypes = Mutex<Set<ObjectIdentifier>>([])

    static func report(_ database: any Database) {
        let type = ObjectIdentifier(Swift.type(of: database))
        let isFirst = reportedTypes.withLock { $0.insert(type).inserted }
        guard isFirst else { return }
        database.logger.warning(
            "Rampart cannot check queries on this database for SQL injection: its driver does not run SQL",
            metadata: ["database-type": "\(Swift.type(of: database))"])
    }
}

extension Database {
    /// This database behind Rampart's SQL injection check: a ``ProtectedFluentSQLDatabase`` when its driver runs
    /// SQL (it still conforms to `SQLDatabase`), otherwise a ``ProtectedFluentDatabase`` that passes queries through.
    public func rampartProtected() -> any Database {
        if self is ProtectedFluentSQLDatabase || self is ProtectedFluentDatabase { return self }
        if let sqlDatabase = self as? any Database & SQLDatabase { return ProtectedFluentSQLDatabase(sqlDatabase) }
        return ProtectedFluentDatabase(self)
    }
}
