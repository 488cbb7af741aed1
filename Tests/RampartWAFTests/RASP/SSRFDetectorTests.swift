import Testing
@testable import RampartWAF

struct URLCase: CustomTestStringConvertible, Sendable {
    var url: String
    var parameter: String
    var testDescription: String { "\(url) ← \(parameter)" }
    init(_ url: String, _ parameter: String) {
        self.url = url
        self.parameter = parameter
    }
}

@Suite struct SSRFDetectorTests {

    static let injectionCases: [URLCase] = [
        URLCase("http://127.0.0.1:6379/", "http://127.0.0.1:6379/"),
        URLCase("http://127.0.0.1/status", "127.0.0.1"),
        URLCase("http://127.1/", "http://127.1/"),
        URLCase("http://127.0.0.1./", "127.0.0.1."),
        URLCase("http://2130706433/", "http://2130706433/"),
        URLCase("http://0x7f000001/", "http://0x7f000001/"),
        URLCase("http://0x7f.1/", "0x7f.1"),
        URLCase("http://0177.0.0.1/", "0177.0.0.1"),
        URLCase("http://017700000001/", "017700000001"),
        URLCase("http://0/", "0"),
        URLCase("http://0.0.0.0:8080/", "0.0.0.0:8080"),
        URLCase("http://%31%32%37.0.0.1/", "%31%32%37.0.0.1"),
        URLCase("http://１２７.０.０.１/", "１２７.０.０.１"),
        URLCase("http://127。0。0。1/", "127。0。0。1"),
        URLCase("http://[::1]:8080/", "http://[::1]:8080/"),
        URLCase("http://[::]/", "[::]"),
        URLCase("http://[0:0:0:0:0:0:0:1]/", "[0:0:0:0:0:0:0:1]"),
        URLCase("http://[::ffff:127.0.0.1]/", "[::ffff:127.0.0.1]"),
        URLCase("http://[::ffff:7f00:1]/", "[::ffff:7f00:1]"),
        URLCase("http://[::ffff:a9fe:a9fe]/latest", "[::ffff:a9fe:a9fe]"),
        URLCase("http://[fd00:ec2::254]/latest/meta-data/", "[fd00:ec2::254]"),
        URLCase("http://[fe80::1%25eth0]/", "[fe80::1%25eth0]"),
        URLCase("http://[fc00::5]/", "[fc00::5]"),
        URLCase("http://[64:ff9b::10.0.0.1]/", "[64:ff9b::10.0.0.1]"),
        URLCase("http://[2002:7f00:1::]/", "[2002:7f00:1::]"),
        URLCase("http://169.254.169.254/latest/meta-data/", "http://169.254.169.254/latest/meta-data/"),
        URLCase("http://169.254.170.2/v2/credentials", "169.254.170.2"),
        URLCase("http://100.100.100.200/latest/meta-data", "100.100.100.200"),
        URLCase("http://metadata.google.internal/computeMetadata/v1/", "metadata.google.internal"),
        URLCase("http://metadata/computeMetadata/v1/", "metadata"),
        URLCase("http://10.0.0.5:2375/status", "10.0.0.5:2375"),
        URLCase("http://172.16.3.4/", "172.16.3.4"),
        URLCase("http://172.31.255.255/", "172.31.255.255"),
        URLCase("http://192.168.1.1/admin", "192.168.1.1"),
        URLCase("http://100.64.0.1/", "100.64.0.1"),
        URLCase("http://localhost/admin", "http://localhost/admin"),
        URLCase("http://LOCALHOST/admin", "LOCALHOST"),
        URLCase("http://localhost./admin", "localhost."),
        URLCase("http://app.localhost/", "app.localhost"),
        URLCase("http://db.internal:5432/", "db.internal"),
        URLCase("http://printer.local/", "printer.local"),
        URLCase("http://redis:6379/", "redis"),
        URLCase("http://localtest.me/", "localtest.me"),
        URLCase("http://127.0.0.1.nip.io/", "127.0.0.1.nip.io"),
        URLCase("http://10-0-0-1.sslip.io/", "10-0-0-1.sslip.io"),
        URLCase("http:/\\127.0.0.1/", "http:/\\127.0.0.1/"),
        URLCase("http:127.0.0.1/", "http:127.0.0.1/"),
        URLCase("  http://127.0.0.1/", "http://127.0.0.1/"),
        URLCase("http://user:pw@127.0.0.1/", "http://user:pw@127.0.0.1/"),
        URLCase("http://google.com@127.0.0.1/", "http://google.com@127.0.0.1/"),
        URLCase("http://127.0.0.1:80\\@google.com/", "http://127.0.0.1:80\\@google.com/"),
        URLCase("gopher://127.0.0.1:11211/_stats", "gopher://127.0.0.1:11211/_stats"),
        URLCase("gopher://example.com/_x", "gopher://example.com/_x"),
        URLCase("file:///etc/passwd", "file:///etc/passwd"),
        URLCase("dict://example.com:11211/stat", "dict://example.com:11211/stat"),
        URLCase("ftp://example.com/x", "ftp://example.com/x"),
        URLCase("FILE:///etc/passwd", "FILE:///etc/passwd"),
        URLCase("https://api.partner.example@evil.example/v1", "@evil.example"),
        URLCase("https://api.partner.example:443@evil.example/", ":443@evil.example"),
        URLCase("http://10.0.0.5:2375/", "2375"),
        URLCase("https://api.partner.example/v1/users/x@169.254.169.254/latest", "x@169.254.169.254/latest"),
        URLCase("https://api.partner.example/v1/fetch?u=http://127.0.0.1/admin", "http://127.0.0.1/admin"),
        URLCase("https://api.partner.example/v1/users/..%2f..%2fadmin", "..%2f..%2fadmin"),
        URLCase("https://api.partner.example/v1/users/../admin", "../admin"),
        URLCase("https://api.partner.example/v1/users/%2e%2e/%2e%2e/admin", "%2e%2e/%2e%2e/admin"),
        URLCase("https://api.partner.example/v1/users/..%5cadmin", "..%5c"),
        URLCase("https://api.partner.example/v1/users/%252e%252e%252fadmin", "%252e%252e%252fadmin"),
    ]

    static let benignCases: [URLCase] = [
        URLCase("https://www.example.com/image.png", "https://www.example.com/image.png"),
        URLCase("https://cdn.example.org/a.js", "https://cdn.example.org/a.js"),
        URLCase("http://status.example.com/status", "status.example.com"),
        URLCase("http://api.example.net/status", "api.example.net"),
        URLCase("https://api.partner.example/v1/users/42", "42"),
        URLCase("https://api.partner.example/v1/users/jane", "jane"),
        URLCase("https://api.partner.example/v1/users/jane@example.com", "jane@example.com"),
        URLCase("https://api.partner.example/v1/users/a..b", "a..b"),
        URLCase("https://api.partner.example/v1/users/v1.2..3", "v1.2..3"),
        URLCase("https://api.partner.example/v1/users/x/../y", "x/../y"),
        URLCase("https://api.partner.example/v1/search?q=127.0.0.1", "127.0.0.1"),
        URLCase("https://api.partner.example/v1/search?q=localhost", "localhost"),
        URLCase("https://api.partner.example/v1/search?q=../../x", "x"),
        URLCase("https://api.partner.example/v1/users/user@localhost", "user@localhost"),
        URLCase("https://api.partner.example/v1/img?u=https://example.com/x.png", "https://example.com/x.png"),
        URLCase("http://8.8.8.8/", "8.8.8.8"),
        URLCase("http://[2001:4860:4860::8888]/", "[2001:4860:4860::8888]"),
        URLCase("http://[::ffff:8.8.8.8]/", "[::ffff:8.8.8.8]"),
        URLCase("http://172.32.0.1/", "172.32.0.1"),
        URLCase("http://192.169.0.1/", "192.169.0.1"),
        URLCase("http://11.0.0.1/", "11.0.0.1"),
        URLCase("https://example.com:8443/x", "8443"),
        URLCase("https://example.com:8443/x", "example.com:8443"),
        URLCase("https://user@example.com/", "https://user@example.com/"),
        URLCase("http://10.0.0.5/internal-api/v1/items/7", "7"),
        URLCase("http://10.0.0.5/internal-api/v1/items/abc", "abc"),
        URLCase("http://127.0.0.1:8080/health", "health"),
        URLCase("http://localhost/status", "en"),
        URLCase("https://example.com/a b", "a b"),
        URLCase("https://example.com/x", "http"),
        URLCase("https://example.com/x", "https"),
        URLCase("https://example.com/x", "https://"),
        URLCase("https://api.example.com/", "api"),
        URLCase("mailto:someone@example.com", "someone@example.com"),
        URLCase("/relative/path", "/relative/path"),
        URLCase("", "x"),
        URLCase("http://", "http://"),
        URLCase("http://[", "http://["),
        URLCase("http://[::1", "http://[::1"),
    ]

    @Test(arguments: injectionCases)
    func injection(_ testCase: URLCase) throws {
        let finding = try #require(SSRFDetector.detect(url: testCase.url, parameters: RaspTestSupport.query(testCase.parameter)))
        #expect(finding.detector == "ssrf_detector")
        let location = try #require(finding.location)
        #expect(Array(testCase.url.utf8)[location] == Array(testCase.parameter.utf8)[...])
    }

    @Test(arguments: benignCases)
    func benign(_ testCase: URLCase) {
        let finding = SSRFDetector.detect(url: testCase.url, parameters: RaspTestSupport.query(testCase.parameter))
        #expect(finding == nil, "\(finding?.reason ?? "")")
    }

    @Test func resolvedAddressesCatchRebinding() throws {
        let parameters = RaspTestSupport.query("rebind.attacker.example")
        #expect(SSRFDetector.detect(url: "http://rebind.attacker.example/", parameters: parameters) == nil)
        let finding = try #require(SSRFDetector.detect(
            url: "http://rebind.attacker.example/", parameters: parameters, resolvedAddresses: ["93.184.216.34", "127.0.0.1"]))
        #expect(finding.reason.contains("127.0.0.1"))
        #expect(SSRFDetector.detect(url: "http://rebind.attacker.example/", parameters: parameters,
                                    resolvedAddresses: ["fd00:ec2::254"]) != nil)
        #expect(SSRFDetector.detect(url: "http://example.com/", parameters: RaspTestSupport.query("x"),
                                    resolvedAddresses: ["127.0.0.1"]) == nil)
    }

    @Test func reasonNamesTheInternalTarget() throws {
        let finding = try #require(SSRFDetector.detect(url: "http://0x7f000001/", parameters: RaspTestSupport.query("0x7f000001")))
        #expect(finding.reason.contains("127.0.0.1"))
        #expect(finding.reason.contains("loopback"))
    }

    @Test(arguments: [
        ("127.0.0.1", UInt32(0x7F00_0001)), ("127.1", 0x7F00_0001), ("2130706433", 0x7F00_0001), ("0x7f.1", 0x7F00_0001),
        ("0177.0.0.01", 0x7F00_0001), ("0x7f.0.0.0x1", 0x7F00_0001), ("10.1", 0x0A00_0001), ("1.2.3.4.", 0x0102_0304),
        ("0", 0), ("0x", 0), ("255.255.255.255", 0xFFFF_FFFF),
    ])
    func ipv4Forms(_ text: String, _ expected: UInt32) {
        #expect(HostClassifier.parseIPv4(Array(text.utf8)) == expected)
    }

    @Test(arguments: ["256.0.0.1", "1.2.3.4.5", "4294967296", "08", "1..2", "example.com", "1.2.3.x", ".1", ""])
    func notIPv4(_ text: String) {
        #expect(HostClassifier.parseIPv4(Array(text.utf8)) == nil)
    }

    @Test(arguments: [
        ("::1", [0, 0, 0, 0, 0, 0, 0, 1] as [UInt16]), ("::", [0, 0, 0, 0, 0, 0, 0, 0]),
        ("1::2", [1, 0, 0, 0, 0, 0, 0, 2]), ("fd00:ec2::254", [0xFD00, 0xEC2, 0, 0, 0, 0, 0, 0x254]),
        ("::ffff:1.2.3.4", [0, 0, 0, 0, 0, 0xFFFF, 0x0102, 0x0304]), ("1:2:3:4:5:6:7:8", [1, 2, 3, 4, 5, 6, 7, 8]),
    ])
    func ipv6Forms(_ text: String, _ expected: [UInt16]) {
        #expect(HostClassifier.parseIPv6(Array(text.utf8)) == expected)
    }

    @Test(arguments: [
        ([0, 0, 0, 0, 0, 0, 0, 1] as [UInt16], "[::1]"), ([0, 0, 0, 0, 0, 0, 0, 0], "[::]"),
        ([0xFD00, 0xEC2, 0, 0, 0, 0, 0, 0x254], "[fd00:ec2::254]"), ([1, 0, 2, 0, 0, 3, 0, 0], "[1:0:2::3:0:0]"),
        ([1, 2, 3, 4, 5, 6, 7, 8], "[1:2:3:4:5:6:7:8]"), ([1, 0, 2, 3, 4, 5, 6, 7], "[1:0:2:3:4:5:6:7]"),
    ])
    func ipv6Text(_ pieces: [UInt16], _ expected: String) {
        #expect(HostClassifier.formatIPv6(pieces) == expected)
    }

    @Test(arguments: ["1:2:3:4:5:6:7:8:9", ":1", "1:::2", "1::2::3", "12345::", "::1.2.3", "g::", "1:2:3:4:5:6:7", ""])
    func notIPv6(_ text: String) {
        #expect(HostClassifier.parseIPv6(Array(text.utf8)) == nil)
    }
}
