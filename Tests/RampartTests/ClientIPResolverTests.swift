import Testing

@testable import Rampart

@Suite("Client IP resolution")
struct ClientIPResolverTests {
    func resolve(
        _ resolver: ClientIPResolver, peer: String?, _ headers: [(String, String)]
    ) -> String? {
        resolver.resolve(peer: peer) { name in headers.filter { $0.0.lowercased() == name }.map(\.1) }
    }

    @Test("without trusted proxies the peer is the client, whatever the headers say")
    func noTrustedProxies() {
        let resolver = ClientIPResolver(trustedProxies: [])
        #expect(resolve(resolver, peer: "203.0.113.9", [("X-Forwarded-For", "1.2.3.4")]) == "203.0.113.9")
        #expect(resolve(resolver, peer: "203.0.113.9", [("Forwarded", "for=1.2.3.4")]) == "203.0.113.9")
    }

    @Test("a request not coming from a trusted proxy cannot choose its address")
    func untrustedPeer() {
        let resolver = ClientIPResolver(trustedProxies: ["10.0.0.0/8"])
        #expect(resolve(resolver, peer: "198.51.100.7", [("X-Forwarded-For", "127.0.0.1")]) == "198.51.100.7")
    }

    @Test("the rightmost untrusted hop is the client; prepended entries are ignored")
    func spoofedPrefix() {
        let resolver = ClientIPResolver(trustedProxies: ["10.0.0.0/8"])
        // The client sent "X-Forwarded-For: 6.6.6.6"; the proxy appended the real peer.
        #expect(
            resolve(resolver, peer: "10.0.0.2", [("X-Forwarded-For", "6.6.6.6, 198.51.100.7")]) == "198.51.100.7")
        // Two proxies in a row.
        #expect(
            resolve(resolver, peer: "10.0.0.2", [("X-Forwarded-For", "6.6.6.6, 198.51.100.7, 10.1.2.3")])
                == "198.51.100.7")
        // Repeated header lines form one chain.
        #expect(
            resolve(resolver, peer: "10.0.0.2", [("X-Forwarded-For", "6.6.6.6"), ("X-Forwarded-For", "198.51.100.8")])
                == "198.51.100.8")
    }

    @Test("Forwarded is preferred, with quoted IPv6, ports and parameters")
    func forwardedHeader() {
        let resolver = ClientIPResolver(trustedProxies: ["10.0.0.0/8", "::1"])
        #expect(
            resolve(resolver, peer: "::1", [
                ("Forwarded", #"for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https"#),
                ("X-Forwarded-For", "7.7.7.7"),
            ]) == "2001:db8:cafe::17")
        #expect(resolve(resolver, peer: "10.0.0.1", [("Forwarded", "for=192.0.2.60:8080;by=10.0.0.1")]) == "192.0.2.60")
    }

    @Test("junk ends the walk at the last trusted hop")
    func junkEntries() {
        let resolver = ClientIPResolver(trustedProxies: ["10.0.0.0/8"])
        #expect(resolve(resolver, peer: "10.0.0.2", [("X-Forwarded-For", "1.1.1.1, unknown, 10.0.0.5")]) == "10.0.0.5")
        #expect(resolve(resolver, peer: "10.0.0.2", [("X-Forwarded-For", "<script>")]) == "10.0.0.2")
        #expect(resolve(resolver, peer: "10.0.0.2", [("X-Real-IP", "198.51.100.3")]) == "198.51.100.3")
    }

    @Test("a canonical IPv4 peer is answered as is; other forms are canonicalised or kept")
    func peerForms() {
        let resolver = ClientIPResolver(trustedProxies: [])
        for canonical in ["203.0.113.9", "0.0.0.0", "255.255.255.255", "10.0.0.1", "1.20.100.200"] {
            #expect(ClientIPResolver.isCanonicalIPv4(canonical), "\(canonical)")
            #expect(resolve(resolver, peer: canonical, []) == canonical)
        }
        for other in ["01.2.3.4", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "1.2.3.4 ", "", "::1", "1.2.3.4:80", "1.2.3.0004"] {
            #expect(!ClientIPResolver.isCanonicalIPv4(other), "\(other)")
        }
        #expect(resolve(resolver, peer: "::ffff:1.2.3.4", []) == "1.2.3.4")
        #expect(resolve(resolver, peer: "2001:DB8::1", []) == "2001:db8::1")
        #expect(resolve(resolver, peer: "not an address", []) == "not an address")
        #expect(resolve(resolver, peer: nil, []) == nil)
    }

    @Test("invalid trusted proxy entries are reported and ignored")
    func invalidEntries() {
        let resolver = ClientIPResolver(trustedProxies: ["10.0.0.0/8", "not-an-ip", "300.1.1.1"])
        #expect(resolver.invalidEntries == ["not-an-ip", "300.1.1.1"])
        #expect(resolve(resolver, peer: "10.0.0.2", [("X-Forwarded-For", "198.51.100.7")]) == "198.51.100.7")
    }
}
