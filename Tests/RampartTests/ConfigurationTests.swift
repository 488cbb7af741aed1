import Foundation
import Testing

@testable import Rampart

@Suite("Configuration from the environment")
struct ConfigurationTests {
    @Test("valid variables are applied")
    func validVariables() throws {
        let (configuration, issues) = RampartConfiguration.parse(environment: [
            "RAMPART_ENABLED": "false",
            "RAMPART_MODE": "BLOCK",
            "RAMPART_RULES": "/etc/rampart/rules.json",
            "RAMPART_WAF_BUDGET": "750us",
            "RAMPART_RASP_ENABLED": "0",
            "RAMPART_TRUSTED_PROXIES": " 10.0.0.0/8, ::1 ,",
            "RAMPART_BODY_LIMIT": "128k",
            "RAMPART_OBFUSCATION_KEY_REGEX": "(?i)pin",
            "RAMPART_PLATFORM_URL": "https://rampart.example.com",
            "RAMPART_API_KEY": "key-1",
            "RAMPART_APP_NAME": "shop",
            "RAMPART_ENV": "staging",
            "RAMPART_SCANNER_404_THRESHOLD": "0",
            "RAMPART_SCANNER_404_WINDOW": "30",
        ])
        #expect(issues.isEmpty)
        #expect(configuration.enabled == false)
        #expect(configuration.mode == .block)
        #expect(configuration.rulesPath == "/etc/rampart/rules.json")
        #expect(configuration.wafBudget == .microseconds(750))
        #expect(configuration.raspEnabled == false)
        #expect(configuration.trustedProxies == ["10.0.0.0/8", "::1"])
        #expect(configuration.bodyLimit == 128 * 1024)
        #expect(configuration.obfuscationKeyRegex == "(?i)pin")
        #expect(configuration.platformURL == "https://rampart.example.com")
        #expect(configuration.apiKey == "key-1")
        #expect(configuration.appName == "shop")
        #expect(configuration.environment == "staging")
        #expect(configuration.scannerNotFoundThreshold == 0)
        #expect(configuration.scannerNotFoundWindow == .seconds(30))
    }

    @Test("invalid variables are reported and keep the safe defaults")
    func invalidVariables() {
        let (configuration, issues) = RampartConfiguration.parse(environment: [
            "RAMPART_ENABLED": "maybe",
            "RAMPART_MODE": "destroy",
            "RAMPART_WAF_BUDGET": "-5ms",
            "RAMPART_BODY_LIMIT": "lots",
            "RAMPART_PLATFORM_URL": "ftp://nowhere",
            "RAMPART_BLOCK_STATUS": "200",
            "RAMPART_EVENT_BUFFER": "0",
            "RAMPART_BLOCKED_TEMPLATE_HTML": "/nonexistent/rampart/template.html",
            "RAMPART_SCANNER_404_THRESHOLD": "-1",
            "RAMPART_SCANNER_404_WINDOW": "forever",
        ])
        let defaults = RampartConfiguration()
        #expect(configuration.enabled == defaults.enabled)
        #expect(configuration.mode == .monitor)
        #expect(configuration.wafBudget == defaults.wafBudget)
        #expect(configuration.bodyLimit == defaults.bodyLimit)
        #expect(configuration.platformURL == nil)
        #expect(configuration.blockStatus == 403)
        #expect(configuration.eventBufferCapacity == defaults.eventBufferCapacity)
        #expect(configuration.blockedTemplateHTML == nil)
        #expect(configuration.scannerNotFoundThreshold == defaults.scannerNotFoundThreshold)
        #expect(configuration.scannerNotFoundWindow == defaults.scannerNotFoundWindow)
        #expect(
            Set(issues.map(\.setting)) == [
                "RAMPART_ENABLED", "RAMPART_MODE", "RAMPART_WAF_BUDGET", "RAMPART_BODY_LIMIT", "RAMPART_PLATFORM_URL",
                "RAMPART_BLOCK_STATUS", "RAMPART_EVENT_BUFFER", "RAMPART_BLOCKED_TEMPLATE_HTML",
                "RAMPART_SCANNER_404_THRESHOLD", "RAMPART_SCANNER_404_WINDOW",
            ])
        #expect(issues.allSatisfy { !$0.problem.isEmpty })
    }

    @Test("template files are read")
    func templateFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("blocked.json").path
        try #"{"blocked":"[security_response_id]"}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let (configuration, issues) = RampartConfiguration.parse(environment: ["RAMPART_BLOCKED_TEMPLATE_JSON": path])
        #expect(issues.isEmpty)
        #expect(configuration.blockedTemplateJSON == #"{"blocked":"[security_response_id]"}"#)
    }

    @Test("durations and byte counts", arguments: [
        ("5ms", Duration.milliseconds(5)), ("500us", .microseconds(500)), ("2000", .microseconds(2000)), ("1s", .seconds(1)),
    ])
    func durations(text: String, expected: Duration) {
        #expect(RampartConfiguration.parseDuration(text) == expected)
    }

    @Test func byteCounts() {
        #expect(RampartConfiguration.parseByteCount("1m") == 1024 * 1024)
        #expect(RampartConfiguration.parseByteCount("4096") == 4096)
        #expect(RampartConfiguration.parseByteCount("12q") == nil)
    }
}
