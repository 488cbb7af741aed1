import ArgumentParser
import DemoShop
import Foundation
import Hummingbird
import Logging
import Rampart
import RampartPlatform
import RampartProtocol
import ServiceLifecycle

/// `rampart demo`: the platform (embedded SQLite) and the deliberately vulnerable DemoShop protected by Rampart,
/// in one process, on 127.0.0.1. Ctrl-C stops both cleanly.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the Rampart platform and a protected, deliberately vulnerable demo shop on 127.0.0.1.",
        discussion: """
        Creates (on first run) a dashboard user `admin` and prints its one-time password, registers the shop with \
        the platform, and prints both URLs. Data lives in --data-directory (default .rampart-demo).
        """
    )

    @Option(help: "monitor (report attacks) or block (stop them).") var mode: String = "block"
    @Option(name: .customLong("shop-port"), help: "Port of the demo shop.") var shopPort: Int = 8080
    @Option(name: .customLong("platform-port"), help: "Port of the platform and its dashboard.") var platformPort: Int = 8443
    @Option(name: .customLong("metadata-port"), help: "Port of the shop's internal metadata service (the SSRF target).")
    var metadataPort: Int = 8081
    @Option(name: .customLong("data-directory"), help: "Where the demo keeps its databases and files.")
    var dataDirectory: String = ".rampart-demo"
    @Option(name: .customLong("heartbeat-interval"), help: "Seconds between the shop agent's heartbeats.")
    var heartbeatInterval: Int = 5

    func validate() throws {
        guard ProtectionMode(rawValue: mode) != nil else { throw ValidationError("--mode must be monitor or block") }
        guard (1...3600).contains(heartbeatInterval) else { throw ValidationError("--heartbeat-interval must be 1 to 3600") }
    }

    func run() async throws {
        var logger = Logger(label: "rampart.demo")
        logger.logLevel = .notice
        let directory = URL(fileURLWithPath: dataDirectory).standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

        // The platform, on embedded SQLite.
        let platformConfiguration = PlatformConfiguration(
            host: "127.0.0.1", port: platformPort, database: .sqlite(path: directory + "/platform.sqlite"),
            heartbeatInterval: heartbeatInterval)
        let store = try await PlatformStore.connect(platformConfiguration.database, logger: logger)
        _ = try await store.migrate()
        if try await store.userCount() == 0 {
            let password = try await store.createUser(username: "admin", role: .admin)
            say("Created dashboard user admin with one-time password: \(password)")
        }
        let apiKey: APIKey
        if let existing = try await store.app(named: "demoshop") {
            apiKey = try await store.rotateKey(appID: existing.appID)
        } else {
            apiKey = try await store.createApp(name: "demoshop").apiKey
        }
        let platformPort = platformPort
        let platform = try PlatformServer.makeApplication(
            store: store, configuration: platformConfiguration, logger: logger,
            onServerRunning: { port in say("Rampart dashboard: http://127.0.0.1:\(port)/") })

        // The shop's agent, reporting to the platform.
        var agentConfiguration = RampartConfiguration()
        agentConfiguration.mode = ProtectionMode(rawValue: mode) ?? .block
        agentConfiguration.appName = "demoshop"
        agentConfiguration.environment = "demo"
        agentConfiguration.platformURL = "http://127.0.0.1:\(platformPort)"
        agentConfiguration.apiKey = apiKey.text
        agentConfiguration.heartbeatInterval = .seconds(heartbeatInterval)
        let agent = RampartAgent(configuration: agentConfiguration, logger: logger)
        RampartAgent.bootstrap(agent)
        let routes = ["/", "/search", "/download", "/preview", "/ping", "/hello"].map { RouteInfo(method: "GET", path: $0) }
            + [RouteInfo(method: "POST", path: "/login")]
        guard let transport = agent.makePlatformTransport(framework: "Hummingbird 2", routes: routes) else {
            throw ValidationError("the demo agent has no platform URL or API key")
        }

        let shopSettings = DemoShop.Settings(port: shopPort, dataDirectory: directory + "/shop", metadataPort: metadataPort)
        let resources = try await DemoShop.makeResources(settings: shopSettings, logger: logger)
        let shopPort = shopPort
        var shop = DemoShop.makeApplication(settings: shopSettings, resources: resources, agent: agent, logger: logger)
        shop.addServices(TransportService(transport: transport))
        let announcedMode = agentConfiguration.mode
        shop.beforeServerStarts {
            say("DemoShop (deliberately vulnerable, Rampart in \(announcedMode.rawValue) mode): http://127.0.0.1:\(shopPort)/")
            say("Try: curl 'http://127.0.0.1:\(shopPort)/search?q=%27%20UNION%20SELECT%20password,%200%20FROM%20users--'")
        }
        let metadataURL = resources.metadataURL
        let metadata = DemoShop.makeMetadataApplication(port: metadataPort, logger: logger)
        say("Internal metadata service (the SSRF target; unprotected, meant for the shop's host only): \(metadataURL)/latest/meta-data/")

        let group = ServiceGroup(
            configuration: .init(services: [platform, metadata, shop], gracefulShutdownSignals: [.sigint, .sigterm], logger: logger))
        do {
            try await group.run()
        } catch {
            await resources.shutdown()
            try? await store.database.close()
            throw error
        }
        await resources.shutdown()
        try? await store.database.close()
        say("Demo stopped.")
    }
}

/// Runs the agent's transport for the lifetime of the service group.
struct TransportService: Service {
    let transport: PlatformTransport

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await transport.run()
        }
    }
}
