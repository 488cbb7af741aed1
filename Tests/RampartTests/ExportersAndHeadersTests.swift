import Foundation
import RampartProtocol
import Testing

@testable import Rampart

@Suite("Exporters, security headers, CSP reports")
struct ExportersAndHeadersTests {
    func sampleEvent(_ path: String) -> SecurityEvent {
        SecurityEvent(
            timestamp: Date(timeIntervalSince1970: 1_700_000_000), kind: .waf, blocked: true, route: "/items/:id",
            method: "GET", path: path, clientIP: "198.51.100.1",
            rules: [RuleMatchEvidence(ruleID: "r1", ruleName: "rule", category: "xss", operator: "is_xss", address: "server.request.query", value: "<script>")])
    }

    @Test("JSON Lines exporter appends one decodable event per line")
    func jsonLines() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let exporter = try JSONLinesFileExporter(path: path)
        exporter.export(sampleEvent("/a"))
        exporter.export(sampleEvent("/b"))
        let reopened = try JSONLinesFileExporter(path: path)
        reopened.export(sampleEvent("/c"))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let decoded = try lines.map { try ProtocolCoding.decode(SecurityEvent.self, from: Data($0.utf8)) }
        #expect(decoded.map(\.path) == ["/a", "/b", "/c"])
    }

    @Test("security headers: HSTS only over HTTPS, CSP enforce or report-only with the report path")
    func headers() {
        var headers = SecurityHeaders()
        let plain = Dictionary(uniqueKeysWithValues: headers.fields(secure: false).map { ($0.name, $0.value) })
        #expect(plain["Strict-Transport-Security"] == nil)
        #expect(plain["X-Content-Type-Options"] == "nosniff")
        #expect(plain["Content-Security-Policy"]?.hasSuffix("report-uri /_rampart/csp-report") == true)
        headers.reportOnly = true
        headers.frameOptions = nil
        let secure = Dictionary(uniqueKeysWithValues: headers.fields(secure: true).map { ($0.name, $0.value) })
        #expect(secure["Strict-Transport-Security"] != nil)
        #expect(secure["Content-Security-Policy-Report-Only"] != nil)
        #expect(secure["Content-Security-Policy"] == nil)
        #expect(secure["X-Frame-Options"] == nil)
    }

    @Test("CSP reports in both formats; junk gives nothing")
    func cspReports() {
        let classic = CSPReportParser.evidence(from: Array(
            #"{"csp-report":{"document-uri":"https://shop.example/","violated-directive":"script-src-elem","blocked-uri":"https://evil.example/x.js"}}"#.utf8))
        #expect(classic.map(\.value) == ["https://evil.example/x.js"])
        #expect(classic.first?.operatorValue == "script-src-elem")
        let reporting = CSPReportParser.evidence(from: Array(
            #"[{"type":"csp-violation","body":{"documentURL":"https://shop.example/","effectiveDirective":"img-src","blockedURL":"data"}}]"#.utf8))
        #expect(reporting.map(\.operatorValue) == ["img-src"])
        #expect(CSPReportParser.evidence(from: Array("not json".utf8)).isEmpty)
        #expect(CSPReportParser.evidence(from: [0xFF, 0x00]).isEmpty)
    }
}
