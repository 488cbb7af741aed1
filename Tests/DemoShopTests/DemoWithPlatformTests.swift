import DemoShop
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Rampart
import RampartPlatform
import RampartProtocol
import Testing

/// What `rampart demo` runs, in-process: the platform on SQLite, the shop protected by an agent whose transport
/// reports to that platform over real HTTP on 127.0.0.1.
@Suite("Demo with the platform")
struct DemoWithPlatformTests {
    @Test func blockedAttackOnTheShopIsStoredByThePlatform() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-platform-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let logger = Logger(label: "demo-platform-test")
        let database = DatabaseLocation.sqlite(path: directory + "/platform.sqlite")
        let store = try await PlatformStore.connect(database, logger: logger)
        try await store.migrate()
        let created = try await store.createApp(name: "demoshop")
        let platform = try PlatformServer.makeApplication(
            store: store, configuration: PlatformConfiguration(port: 0, database: database), logger: logger)

        try await platform.test(.live) { platformClient in
            let platformPort = try #require(platformClient.port)
            var configuration = RampartConfiguration()
            configuration.mode = .block
            configuration.wafBudget = .milliseconds(50)
            configuration.appName = "demoshop"
            configuration.environment = "test"
            configuration.platformURL = "http://127.0.0.1:\(platformPort)"
            configuration.apiKey = created.apiKey.text
            let agent = RampartAgent(configuration: configuration, logger: logger)
            let transport = try #require(agent.makePlatformTransport(framework: "Hummingbird 2"))

            let settings = DemoShop.Settings(port: 0, dataDirectory: directory + "/shop")
            let resources = try await DemoShop.makeResources(settings: settings, logger: logger)
            let shop = DemoShop.makeApplication(settings: settings, resources: resources, agent: agent, logger: logger)
            do {
                try await shop.test(.live) { client in
                    let payload = DemoShopTests.encoded("zzz' UNION SELECT name || ':' || password, 0 FROM users--")
                    let response = try await client.execute(uri: "/search?q=\(payload)", method: .get)
                    #expect(response.status == .forbidden)
                }
            } catch {
                await resources.shutdown()
                throw error
            }
            await resources.shutdown()

            // One heartbeat (what the transport's timer does every interval) carries the event to the platform.
            #expect(await transport.cycle())
            #expect(await transport.pendingBatches.isEmpty)
            let stored = try await store.events(
                EventFilter(since: Date().addingTimeInterval(-3600), until: Date().addingTimeInterval(3600)))
            #expect(stored.count == 1)
            let event = try #require(stored.first)
            #expect(event.appName == "demoshop")
            #expect(event.environment == "test")
            #expect(event.event.blocked)
            #expect(event.event.path == "/search")
            #expect(event.event.rules.contains { $0.category == "sql_injection" })
        }
        try? await store.database.close()
    }
}
