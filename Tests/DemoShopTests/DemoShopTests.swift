import DemoShop
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import Rampart
import RampartProtocol
import Testing

/// Collects the agent's events so tests can check what was reported.
final class CollectedEvents: SecurityEventExporter, Sendable {
    private let box = NIOLockedValueBox<[SecurityEvent]>([])
    var all: [SecurityEvent] { box.withLockedValue { $0 } }
    func export(_ event: SecurityEvent) { box.withLockedValue { $0.append(event) } }
}

/// The demo shop on a real server on 127.0.0.1: the exploits work in monitor mode (and are reported), and are
/// stopped in block mode — the scripted part of the end-to-end proof.
@Suite("DemoShop end to end")
struct DemoShopTests {
    /// Runs the shop and its internal metadata service (the SSRF target) on 127.0.0.1; `body` gets a client of
    /// the shop, the agent's events and the metadata service's base URL.
    func withShop(
        mode: ProtectionMode, scannerNotFoundThreshold: Int = 20,
        _ body: @Sendable (any TestClientProtocol, CollectedEvents, String) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demoshop-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = RampartConfiguration()
        configuration.mode = mode
        configuration.wafBudget = .milliseconds(50)
        configuration.scannerNotFoundThreshold = scannerNotFoundThreshold
        let events = CollectedEvents()
        let agent = RampartAgent(configuration: configuration, exporters: [events])
        let logger = Logger(label: "demoshop-test")
        let metadata = DemoShop.makeMetadataApplication(port: 0, logger: logger)
        try await metadata.test(.live) { metadataClient in
            let metadataPort = try #require(metadataClient.port)
            let settings = DemoShop.Settings(port: 0, dataDirectory: directory, metadataPort: metadataPort)
            let resources = try await DemoShop.makeResources(settings: settings, logger: logger)
            let app = DemoShop.makeApplication(settings: settings, resources: resources, agent: agent, logger: logger)
            do {
                try await app.test(.live) { client in try await body(client, events, resources.metadataURL) }
            } catch {
                await resources.shutdown()
                throw error
            }
            await resources.shutdown()
        }
    }

    static func encoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
    }

    @Test func normalUseWorksAndReportsNothing() async throws {
        try await withShop(mode: .block) { client, events, _ in
            let search = try await client.execute(uri: "/search?q=mug", method: .get)
            #expect(search.status == .ok)
            #expect(String(buffer: search.body).contains("Rampart mug"))
            let file = try await client.execute(uri: "/download?file=invoice-1001.txt", method: .get)
            #expect(String(buffer: file.body).contains("Invoice 1001"))
            let ping = try await client.execute(uri: "/ping?host=127.0.0.1", method: .get)
            #expect(String(buffer: ping.body).contains("pinging 127.0.0.1"))
            #expect(events.all.isEmpty)
        }
    }

    @Test func sqlInjectionLeaksPasswordsInMonitorModeAndIsBlockedInBlockMode() async throws {
        let payload = Self.encoded("zzz' UNION SELECT name || ':' || password, 0 FROM users--")
        try await withShop(mode: .monitor) { client, events, _ in
            let response = try await client.execute(uri: "/search?q=\(payload)", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains("wonderland"))
            #expect(!events.all.isEmpty)
        }
        try await withShop(mode: .block) { client, events, _ in
            let response = try await client.execute(uri: "/search?q=\(payload)", method: .get)
            #expect(response.status == .forbidden)
            #expect(!String(buffer: response.body).contains("wonderland"))
            #expect(events.all.contains { $0.blocked })
        }
    }

    @Test func pathTraversalCommandInjectionAndXSSAreBlocked() async throws {
        let traversal = Self.encoded("../../../../../../etc/passwd")
        let command = Self.encoded("127.0.0.1; cat /etc/passwd")
        let script = Self.encoded("<script>alert(1)</script>")
        try await withShop(mode: .monitor) { client, _, _ in
            let file = try await client.execute(uri: "/download?file=\(traversal)", method: .get)
            #expect(String(buffer: file.body).contains("root:"))
            let ping = try await client.execute(uri: "/ping?host=\(command)", method: .get)
            #expect(String(buffer: ping.body).contains("root:"))
        }
        try await withShop(mode: .block) { client, _, _ in
            for uri in ["/download?file=\(traversal)", "/ping?host=\(command)", "/hello?name=\(script)"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .forbidden, "\(uri)")
                #expect(!String(buffer: response.body).contains("root:"))
            }
        }
    }

    @Test func ssrfLeaksTheInternalMetadataServiceInMonitorModeAndIsBlockedInBlockMode() async throws {
        let path = "/latest/meta-data/iam/security-credentials/" + DemoShop.metadataRoleName
        try await withShop(mode: .monitor) { client, events, metadataURL in
            let response = try await client.execute(uri: "/preview?url=\(Self.encoded(metadataURL + path))", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains(DemoShop.metadataSecret))
            #expect(events.all.contains { event in !event.blocked && event.rules.contains { $0.category == "ssrf" } })
        }
        try await withShop(mode: .block) { client, events, metadataURL in
            let response = try await client.execute(uri: "/preview?url=\(Self.encoded(metadataURL + path))", method: .get)
            #expect(response.status == .forbidden)
            #expect(!String(buffer: response.body).contains(DemoShop.metadataSecret))
            #expect(events.all.contains { event in event.blocked && event.rules.contains { $0.category == "ssrf" } })
        }
    }

    @Test func probingForFilesIsReportedAsScanningWhateverTheUserAgent() async throws {
        try await withShop(mode: .block, scannerNotFoundThreshold: 5) { client, events, _ in
            let browser: HTTPFields = [.userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"]
            for name in ["admin", "old", "test", "backup", "private", "upload", "tmp"] {
                let response = try await client.execute(uri: "/\(name)/", method: .get, headers: browser)
                #expect(response.status == .notFound)
            }
            let scanner = events.all.filter { $0.rules.contains { $0.category == "security_scanner" } }
            #expect(scanner.count == 1)
            let event = try #require(scanner.first)
            #expect(!event.blocked)
            #expect(event.path == "/private/")
            #expect(event.rules.first?.ruleID == RequestSecurityContext.notFoundBurstRuleID)
        }
    }

    @Test func ssrfToTheMetadataAddressIsBlocked() async throws {
        let url = Self.encoded("http://169.254.169.254/latest/meta-data/")
        try await withShop(mode: .block) { client, events, _ in
            let response = try await client.execute(uri: "/preview?url=\(url)", method: .get)
            #expect(response.status == .forbidden)
            #expect(events.all.contains { $0.blocked })
        }
    }
}
