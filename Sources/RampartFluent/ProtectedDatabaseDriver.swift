import FluentKit

/// Wraps a Fluent driver so that every database it makes is protected (``Database/rampartProtected()``).
public struct ProtectedDatabaseDriver: DatabaseDriver {
    public let base: any DatabaseDriver

    public init(_ base: any DatabaseDriver) {
        self.base = base
    }

    public func makeDatabase(with context: DatabaseContext) -> any Database {
        // The base driver gets its own configuration back, as without Rampart: a driver may read it from the
        // context. The model middleware is the same either way (the wrapper forwards it).
        let configuration = (context.configuration as? ProtectedDatabaseConfiguration)?.base ?? context.configuration
        let baseContext = DatabaseContext(
            configuration: configuration, logger: context.logger, eventLoop: context.eventLoop,
            history: context.history, pageSizeLimit: context.pageSizeLimit, shouldTrace: context.shouldTrace)
        return base.makeDatabase(with: baseContext).rampartProtected()
    }

    public func shutdown() {
        base.shutdown()
    }

    public func shutdownAsync() async {
        await base.shutdownAsync()
    }
}
