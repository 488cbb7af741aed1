import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import Testing

@testable import Rampart

/// Offline CI has no public DNS name that resolves to loopback, so the rebinding cases use a resolver that answers
/// `127.0.0.1` for a public-looking name; the system resolver itself is checked on `localhost`.
@Suite("DNS rebinding: outgoing requests checked against the addresses their host resolves to")
struct DNSRebindingTests {
    static let rebindingHost = "assets.partner-cdn.example"

    static func rebindingResolver(calls: NIOLockedValueBox<Int>? = nil) -> HostNameResolver {
        HostNameResolver { host in
            calls?.withLockedValue { $0 += 1 }
            return host == rebindingHost ? ["127.0.0.1"] : ["93.184.215.14"]
        }
    }

    func context(_ agent: RampartAgent, query: String) -> RequestSecurityContext {
        let context = agent.makeContext(for: request("/fetch?\(query)"))
        _ = context.inspectHeaders()
        return context
    }

    @Test("the system resolver answers localhost with a loopback address, and nothing for a name that does not exist")
    func systemResolver() async {
        let addresses = await HostNameResolver.system.addresses(of: "localhost")
        #expect(addresses.contains { $0 == "127.0.0.1" || $0 == "::1" })
        let none = await HostNameResolver.system(timeout: .seconds(2)).addresses(of: "no-such-host.invalid")
        #expect(none.isEmpty)
    }

    @Test("a host chosen by a parameter that resolves to loopback is refused before the request (block mode)")
    func blocksRebinding() async throws {
        let router = Router()
        router.get("/items") { _, _ in "items" }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let (agent, collector) = makeAgent(mode: .block)
            let benign = context(agent, query: "page=2")
            let response = try await RequestSecurityContext.$current.withValue(benign) {
                try await HTTPClient.shared.executeChecked(
                    HTTPClientRequest(url: "http://127.0.0.1:\(port)/items"), resolver: Self.rebindingResolver())
            }
            #expect(response.status.code == 200)

            let attack = context(agent, query: "host=\(Self.rebindingHost)")
            await RequestSecurityContext.$current.withValue(attack) {
                await #expect(throws: RampartBlockedError.self) {
                    _ = try await HTTPClient.shared.executeChecked(
                        HTTPClientRequest(url: "http://\(Self.rebindingHost):\(port)/items"), timeout: .seconds(1),
                        resolver: Self.rebindingResolver())
                }
            }
            attack.finish(status: 403)
            let event = try #require(collector.events.first { $0.kind == .rasp })
            #expect(event.blocked)
            #expect(event.rules.first?.ruleID == "rampart-rasp-ssrf-resolved")
            #expect(event.rules.first?.highlight == ["127.0.0.1"])
            #expect(event.rules.contains { $0.address == "server.request.query" && $0.value == Self.rebindingHost })
            #expect(event.stack?.isEmpty == false)
        }
    }

    @Test("monitor mode reports the rebinding and lets the call through")
    func monitorsRebinding() async throws {
        let (agent, collector) = makeAgent(mode: .monitor)
        let attack = context(agent, query: "host=\(Self.rebindingHost)")
        try await RequestSecurityContext.$current.withValue(attack) {
            try await RASPCheck.outgoingURLResolvedAddresses(
                "https://\(Self.rebindingHost)/img.png", resolver: Self.rebindingResolver())
        }
        attack.finish(status: 200)
        #expect(collector.events.contains { $0.kind == .rasp && !$0.blocked })
    }

    @Test("a parameter choosing a host that resolves to a public address passes")
    func publicResolution() async throws {
        let (agent, collector) = makeAgent(mode: .block)
        let benign = context(agent, query: "host=images.partner.example")
        try await RequestSecurityContext.$current.withValue(benign) {
            try await RASPCheck.outgoingURLResolvedAddresses(
                "https://images.partner.example/a.png", resolver: Self.rebindingResolver())
        }
        benign.finish(status: 200)
        #expect(collector.events.isEmpty)
    }

    @Test("no lookup when no parameter chose the host, the host is an IP literal, or outside a request")
    func lookupsOnlyWhenNeeded() async throws {
        let calls = NIOLockedValueBox(0)
        let resolver = Self.rebindingResolver(calls: calls)
        let (agent, _) = makeAgent(mode: .block)
        let unrelated = context(agent, query: "page=2")
        try await RequestSecurityContext.$current.withValue(unrelated) {
            try await RASPCheck.outgoingURLResolvedAddresses("https://\(Self.rebindingHost)/x", resolver: resolver)
            try await RASPCheck.outgoingURLResolvedAddresses("http://127.0.0.1:8080/x", resolver: resolver)
        }
        try await RASPCheck.outgoingURLResolvedAddresses("https://\(Self.rebindingHost)/x", resolver: resolver)
        #expect(calls.withLockedValue { $0 } == 0)
    }

    @Test("host names are read from URLs the way clients split them")
    func hostNames() {
        #expect(RASPCheck.hostName(of: "http://user:pw@Example.com:8080/p?q") == "Example.com")
        #expect(RASPCheck.hostName(of: "https://a.example?x=1") == "a.example")
        #expect(RASPCheck.hostName(of: "http://10.0.0.1/") == nil)
        #expect(RASPCheck.hostName(of: "http://[::1]:80/") == nil)
        #expect(RASPCheck.hostName(of: "not a url") == nil)
    }
}
