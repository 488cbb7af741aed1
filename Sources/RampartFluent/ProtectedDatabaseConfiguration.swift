import FluentKit

/// A Fluent database configuration whose driver makes protected databases:
/// `app.databases.use(.rampartProtected(.sqlite(.memory)), as: .sqlite)` (Vapor or FluentKit's `Databases`).
public struct ProtectedDatabaseConfiguration: DatabaseConfiguration {
    public var base: any DatabaseConfiguration

    public init(_ base: any DatabaseConfiguration) {
        self.base = base
    }

    /// The base configuration's model middleware (`app.databases.middleware.use(...)` adds to it).
    public var middleware: [any AnyModelMiddleware] {
        get { base.middleware }
        set { base.middleware = newValue }
    }

    public func makeDriver(for databases: Databases) -> any DatabaseDriver {
        ProtectedDatabaseDriver(base.makeDriver(for: databases))
    }
}

extension DatabaseConfiguration {
    /// This configuration with every database it makes behind Rampart's SQL injection check.
    public func rampartProtected() -> any DatabaseConfiguration {
        self is ProtectedDatabaseConfiguration ? self : ProtectedDatabaseConfiguration(self)
    }
}

extension DatabaseConfigurationFactory {
    /// `base` with every database it makes behind Rampart's SQL injection check:
    /// `app.databases.use(.rampartProtected(.sqlite(.memory)), as: .sqlite)`.
    public static func rampartProtected(_ base: DatabaseConfigurationFactory) -> DatabaseConfigurationFactory {
        DatabaseConfigurationFactory { base.make().rampartProtected() }
    }
}
