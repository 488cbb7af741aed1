import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Rampart
import RampartProtocol
import Testing

@testable import RampartHummingbird

final class Collected: SecurityEventExporter, Sendable {
    let events = NIOLockedValueBox<[SecurityEvent]>([])
    func export(_ event: SecurityEvent) { events.withLockedValue { $0.append(event) } }
}

/// A request context that knows the TCP peer, so the middleware can resolve the client IP.
struct PeerContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

func makeAgent(mode: ProtectionMode, trustedProxies: [String] = []) -> (RampartAgent, Collected) {
    var configuration = RampartConfiguration()
    configuration.mode = mode
    configuration.trustedProxies = trustedProxies
    configuration.wafBudget = .milliseconds(100)
    var logger = Logger(label: "rampart-hummingbird-test")
    logger.logLevel = .critical
    let collected = Collected()
    return (RampartAgent(configuration: configuration, logger: logger, rulesetJSON: agentTestRuleset, exporters: [collected]), collected)
}

func makeApp(agent: RampartAgent) -> some ApplicationProtocol {
    let router = Router(context: PeerContext.self)
    router.add(middleware: RampartRouterMiddleware(agent: agent))
    router.get("search") { request, _ in "results for \(request.uri.queryParameters["q"].map(String.init) ?? "")" }
    router.get("users/:id") { _, context in "user \(context.parameters.get("id") ?? "")" }
    router.post("comments") { request, _ in
        let body = try await request.body.collect(upTo: 1 << 20)
        return "stored \(body.readableBytes) bytes"
    }
    router.get("login/:user") { _, context -> String in
        try Rampart.setUser(id: context.parameters.get("user") ?? "")
        return "welcome"
    }
    router.get("whoami") { _, _ in RequestSecurityContext.current?.clientIP ?? "none" }
    return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
}

@Suite("Hummingbird router middleware on a real server")
struct RampartRouterMiddlewareTests {
    @Test("block mode: attacks in query, route parameters and bodies get 403; benign requests pass")
    func blockMode() async throws {
        let (agent, collected) = makeAgent(mode: .block)
        try await makeApp(agent: agent).test(.live) { client in
            try await client.execute(uri: "/search?q=1%27%20OR%201%3D1%20--", method: .get) { response in
                #expect(response.status == .forbidden)
                #expect(response.headers[.contentType] == "application/json")
            }
            try await client.execute(uri: "/search?q=swift", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "results for swift")
            }
            try await client.execute(uri: "/users/%3Cscript%3Ealert(1)%3C%2Fscript%3E", method: .get) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(
                uri: "/comments", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "text=%27%20UNION%20SELECT%20password%20FROM%20users%20--")
            ) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(
                uri: "/comments", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"text":"Great post"}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "stored 21 bytes")
            }
            try await client.execute(
                uri: "/search", method: .get, headers: [.userAgent: "Mozilla/5.0 (compatible; Nuclei - Open-source project)"]
            ) { response in
                #expect(response.status == .forbidden)
            }
        }
        let events = collected.events.withLockedValue { $0 }
        #expect(events.count == 4)
        #expect(events.contains { $0.route == "/users/{id}" && $0.rules.contains { $0.address == "server.request.path_params" } })
    }

    @Test("monitor mode reports and serves")
    func monitorMode() async throws {
        let (agent, collected) = makeAgent(mode: .monitor)
        try await makeApp(agent: agent).test(.live) { client in
            try await client.execute(uri: "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(collected.events.withLockedValue { $0.map(\.blocked) } == [false])
    }

    @Test("client IP from the peer; forwarding headers only through trusted proxies")
    func clientIP() async throws {
        let (direct, _) = makeAgent(mode: .block)
        try await makeApp(agent: direct).test(.live) { client in
            try await client.execute(uri: "/whoami", method: .get, headers: [HTTPField.Name("X-Forwarded-For")!: "6.6.6.6"]) {
                response in
                #expect(String(buffer: response.body) == "127.0.0.1")
            }
        }
        let (proxied, _) = makeAgent(mode: .block, trustedProxies: ["127.0.0.0/8"])
        try await makeApp(agent: proxied).test(.live) { client in
            try await client.execute(
                uri: "/whoami", method: .get, headers: [HTTPField.Name("Forwarded")!: "for=6.6.6.6, for=198.51.100.9"]
            ) { response in
                #expect(String(buffer: response.body) == "198.51.100.9")
            }
        }
    }

    @Test("a blocked user is refused")
    func blockedUser() async throws {
        let (agent, _) = makeAgent(mode: .block)
        agent.blockedUsers.block("mallory", until: Date(timeIntervalSinceNow: 3600))
        try await makeApp(agent: agent).test(.live) { client in
            try await client.execute(uri: "/login/alice", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/login/mallory", method: .get) { #expect($0.status == .forbidden) }
        }
    }
}
