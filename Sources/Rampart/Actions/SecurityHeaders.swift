import Foundation
import RampartProtocol

/// Response headers that harden browsers' handling of the app's pages, and a Content-Security-Policy (enforced
/// or report-only) whose violation reports the middleware records as events. Every header can be turned off with
/// nil.
public struct SecurityHeaders: Sendable, Hashable {
    /// `Strict-Transport-Security`; only sent on requests that arrived over HTTPS (or via a trusted proxy saying so).
    public var strictTransportSecurity: String? = "max-age=31536000; includeSubDomains"
    public var contentTypeOptions: String? = "nosniff"
    public var frameOptions: String? = "DENY"
    public var referrerPolicy: String? = "strict-origin-when-cross-origin"
    /// The policy; nil = no CSP header.
    public var contentSecurityPolicy: String? = "default-src 'self'; object-src 'none'; frame-ancestors 'none'"
    /// Sends `Content-Security-Policy-Report-Only` instead of enforcing.
    public var reportOnly = false
    /// Path the middleware answers to record violation reports (added as `report-uri`); nil = no reports.
    public var reportPath: String? = "/_rampart/csp-report"

    public init() {}

    /// Header fields to add to a response; `secure` tells whether the request came over HTTPS.
    public func fields(secure: Bool) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        if secure, let strictTransportSecurity { fields.append(("Strict-Transport-Security", strictTransportSecurity)) }
        if let contentTypeOptions { fields.append(("X-Content-Type-Options", contentTypeOptions)) }
        if let frameOptions { fields.append(("X-Frame-Options", frameOptions)) }
        if let referrerPolicy { fields.append(("Referrer-Policy", referrerPolicy)) }
        if var policy = contentSecurityPolicy {
            if let reportPath { policy += "; report-uri \(reportPath)" }
            fields.append((reportOnly ? "Content-Security-Policy-Report-Only" : "Content-Security-Policy", policy))
        }
        return fields
    }
}

/// Reads CSP violation reports (the `application/csp-report` form and the Reporting API's
/// `application/reports+json` list) into event evidence.
public enum CSPReportParser {
    /// Longest report body read.
    public static let maxBytes = 64 * 1024

    public static func evidence(from body: [UInt8]) -> [RuleMatchEvidence] {
        guard body.count <= maxBytes, let json = try? JSONSerialization.jsonObject(with: Data(body)) else { return [] }
        var reports: [[String: Any]] = []
        if let object = json as? [String: Any], let report = object["csp-report"] as? [String: Any] {
            reports.append(report)
        } else if let list = json as? [[String: Any]] {
            reports = list.compactMap { $0["body"] as? [String: Any] }
        }
        return reports.prefix(20).map { report in
            func text(_ keys: String...) -> String {
                for key in keys { if let value = report[key] as? String { return String(value.prefix(1024)) } }
                return ""
            }
            let directive = text("violated-directive", "effectiveDirective", "effective-directive")
            return RuleMatchEvidence(
                ruleID: "csp-violation", ruleName: "Content-Security-Policy violation", category: "csp",
                operator: "csp", operatorValue: directive, address: "csp.report",
                keyPath: [text("document-uri", "documentURL")], value: text("blocked-uri", "blockedURL"),
                highlight: [directive])
        }
    }
}
