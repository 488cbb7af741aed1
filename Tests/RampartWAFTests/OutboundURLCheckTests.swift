import RampartWAF
import Testing

/// The SSRF check of operator-configured URLs (webhooks).
@Suite struct OutboundURLCheckTests {
    @Test(arguments: [
        ("https://hooks.example.com/rampart", "hooks.example.com", nil as Int?),
        ("http://203.0.113.10:8080/hook?x=1", "203.0.113.10", 8080),
        ("HTTPS://Hooks.Example.COM./path", "hooks.example.com", nil),
        ("https://[2001:db8::1]/hook", "[2001:db8::1]", nil),
    ])
    func acceptsPublicWebURLs(_ url: String, _ host: String, _ port: Int?) throws {
        let target = try OutboundURLCheck.check(url).get()
        #expect(target.host == host)
        #expect(target.port == port)
    }

    @Test(arguments: [
        ("http://127.0.0.1/hook", "loopback"),
        ("http://2130706433/hook", "loopback"),
        ("http://0x7f.1/hook", "loopback"),
        ("http://localhost:8080/hook", "loopback name"),
        ("http://[::1]/hook", "loopback"),
        ("http://[::ffff:127.0.0.1]/hook", "loopback"),
        ("http://10.1.2.3/hook", "private network"),
        ("http://192.168.0.10/hook", "private network"),
        ("http://172.16.5.4/hook", "private network"),
        ("http://169.254.169.254/latest/meta-data", "cloud metadata service"),
        ("http://metadata.google.internal/computeMetadata/v1", "cloud metadata service"),
        ("http://169.254.10.10/", "link-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[fd00::5]/", "unique local"),
        ("http://0.0.0.0:8080/", "this host"),
        ("http://intranet/hook", "single-label name"),
        ("http://build.internal/hook", "reserved for internal networks"),
        ("http://127.0.0.1.nip.io/hook", "loopback"),
        ("http://%31%32%37.0.0.1/hook", "loopback"),
        ("file:///etc/passwd", "scheme `file` is not allowed"),
        ("gopher://example.com/", "scheme `gopher` is not allowed"),
        ("ftp://example.com/", "scheme `ftp` is not allowed"),
        ("https://user:pw@example.com/", "must not contain a user name"),
        ("https://example.com@127.0.0.1/", "must not contain a user name"),
        ("http:\\\\127.0.0.1/", "backslashes"),
        ("http:/example.com/", "must start with http://host"),
        ("http:///example.com/", "must start with http://host"),
        ("https://example.com:99999/", "port must be a number"),
        ("https://example.com /", "whitespace"),
        ("example.com/hook", "no scheme"),
        ("", "1 to 2048 characters"),
    ])
    func refusesInternalAndMalformedURLs(_ url: String, _ reason: String) {
        switch OutboundURLCheck.check(url) {
        case .success(let target): Issue.record("accepted \(url) as \(target)")
        case .failure(let rejection): #expect(rejection.reason.contains(reason), "\(url): \(rejection.reason)")
        }
    }

    @Test func allowInternalSkipsOnlyTheHostClassification() throws {
        #expect(try OutboundURLCheck.check("http://127.0.0.1:9000/hook", allowInternal: true).get().port == 9000)
        guard case .failure = OutboundURLCheck.check("file:///etc/passwd", allowInternal: true) else {
            Issue.record("file: accepted with allowInternal")
            return
        }
    }

    @Test(arguments: [
        ("127.0.0.1", "loopback"), ("10.0.0.8", "private network"), ("::1", "loopback"), ("fe80::1%eth0", "link-local"),
        ("169.254.169.254", "cloud metadata service"), ("::ffff:192.168.1.1", "private network"), ("not-an-ip", "not an IP address"),
    ])
    func classifiesResolvedInternalAddresses(_ address: String, _ category: String) {
        #expect(OutboundURLCheck.internalCategory(ofAddress: address)?.contains(category) == true, "\(address)")
    }

    @Test(arguments: ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"])
    func publicAddressesAreNotInternal(_ address: String) {
        #expect(OutboundURLCheck.internalCategory(ofAddress: address) == nil)
    }
}
