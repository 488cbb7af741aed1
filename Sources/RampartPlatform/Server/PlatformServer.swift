import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the platform's HTTP application: agent API, dashboard, retention job, and for PostgreSQL the
/// connection pool, all in one service group. Stateless: every request reads and writes the database.
public enum PlatformServer {
    public static func makeApplication(
        store: PlatformStore, configuration: PlatformConfiguration, logger: Logger = Logger(label: "rampart.platform"),
        afterMigration: @escaping @Sendable () async throws -> Void = {},
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        let webhookValidator = WebhookURLValidator(allowInternal: configuration.allowInternalWebhooks)
        let webhooks = WebhookDispatcher(store: store, validator: webhookValidator, settings: configuration.webhookSettings, logger: logger)
        var agentAPI = AgentAPIController(store: store, configuration: configuration, logger: logger)
        agentAPI.webhooks = webhooks
        agentAPI.register(on: router)
        let dashboard = try DashboardController(store: store, configuration: configuration, logger: logger)
        dashboard.register(on: router)
        AutomationController(dashboard: dashboard, webhooks: webhooks, validator: webhookValidator).register(on: router)
        router.get("/health") { _, _ in "ok" }

        var services: [any Service] = []
        if let postgres = store.database as? PostgresDatabase {
            services.append(PostgresPoolService(database: postgres))
        }
        services.append(webhooks)
        services.append(
            RetentionService(store: store, retentionDays: configuration.retentionDays, interval: configuration.retentionInterval, logger: logger))
        var application = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "rampart-platform"),
            services: services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
        application.beforeServerStarts {
            let applied = try await store.migrate()
            if !applied.isEmpty { logger.info("applied schema migrations \(applied)") }
            try await afterMigration()
        }
        return application
    }
}

/// Runs PostgresNIO's pool for the lifetime of the service group.
struct PostgresPoolService: Service {
    let database: PostgresDatabase

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await database.run()
        }
    }
}
