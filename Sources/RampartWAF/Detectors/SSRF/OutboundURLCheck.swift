/// Vets a URL the server itself will call because an operator configured it (a webhook), with the same host
/// classification the SSRF detector uses: no request parameter is involved, so the whole URL is judged.
///
/// A URL is refused when its scheme is not allowed, it carries userinfo, it contains characters on which URL
/// parsers disagree (backslashes, whitespace, controls), or its host is internal as far as its text tells
/// (loopback, private, link-local, cloud metadata, reserved internal names, single-label names, IP literals in
/// any encoding). Names that look public must also be checked after resolution with ``internalCategory(ofAddress:)``.
public enum OutboundURLCheck {
    /// The parts of an accepted URL.
    public struct Target: Sendable, Hashable {
        /// Lowercased scheme.
        public var scheme: String
        /// Normalised host: lowercased, percent-decoded, without trailing dot; IPv6 in brackets.
        public var host: String
        public var port: Int?
        /// Whether the host is an IP literal (then no resolution is needed).
        public var hostIsAddress: Bool
    }

    /// Why a URL was refused, in words for an operator.
    public struct Rejection: Error, Sendable, Hashable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    public static let webSchemes: Set<String> = ["http", "https"]

    /// Checks the URL's text. With `allowInternal` the host classification is skipped (for tests against a
    /// local receiver); scheme and syntax checks still apply.
    public static func check(
        _ url: String, allowedSchemes: Set<String> = webSchemes, allowInternal: Bool = false
    ) -> Result<Target, Rejection> {
        guard !url.isEmpty, url.utf8.count <= 2048 else { return .failure(Rejection(reason: "the URL must have 1 to 2048 characters")) }
        if url.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }) {
            return .failure(Rejection(reason: "the URL contains whitespace, control characters or backslashes"))
        }
        let bytes = Array(url.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> Result<Target, Rejection> in
            let layout = URLLayout(buffer)
            guard layout.scheme != nil else { return .failure(Rejection(reason: "the URL has no scheme")) }
            guard allowedSchemes.contains(layout.schemeName) else {
                return .failure(Rejection(reason: "scheme `\(layout.schemeName)` is not allowed (use \(allowedSchemes.sorted().joined(separator: " or ")))"))
            }
            // Require the canonical `scheme://` form: lenient forms (`http:host`, `http:///host`) are read
            // differently by different clients.
            let afterScheme = Array(bytes.dropFirst(layout.schemeName.utf8.count &+ 1).prefix(3))
            guard afterScheme.count >= 3, afterScheme[0] == UInt8(ascii: "/"), afterScheme[1] == UInt8(ascii: "/"),
                afterScheme[2] != UInt8(ascii: "/")
            else {
                return .failure(Rejection(reason: "the URL must start with \(layout.schemeName)://host"))
            }
            guard layout.userinfoEnd == nil else {
                return .failure(Rejection(reason: "the URL must not contain a user name or password (`user@host`)"))
            }
            guard let hostRange = layout.host, !hostRange.isEmpty else { return .failure(Rejection(reason: "the URL has no host")) }
            let normalized = URLLayout.normalizedHost(buffer, hostRange)
            let host = String(decoding: normalized, as: UTF8.self)
            var port: Int?
            if let portRange = layout.port, !portRange.isEmpty {
                let digits = bytes[portRange]
                guard digits.count <= 5, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                    let value = Int(String(decoding: digits, as: UTF8.self)), (1...65535).contains(value)
                else {
                    return .failure(Rejection(reason: "the port must be a number from 1 to 65535"))
                }
                port = value
            }
            let isAddress = normalized.first == UInt8(ascii: "[") || HostClassifier.parseIPv4(normalized) != nil
            if !allowInternal, let verdict = HostClassifier.classify(normalized) {
                return .failure(Rejection(reason: "host \(host) is \(verdict.category) (\(verdict.canonical))"))
            }
            return .success(Target(scheme: layout.schemeName, host: host, port: port, hostIsAddress: isAddress))
        }
    }

    /// Why a resolved IP address (text form, IPv4 dotted or IPv6 with or without brackets) is internal, or nil
    /// when it is public. Text that is not an address is reported as internal: it must not be connected to.
    public static func internalCategory(ofAddress address: String) -> String? {
        var bytes = Array(address.lowercased().utf8)
        if bytes.contains(UInt8(ascii: ":")) && bytes.first != UInt8(ascii: "[") {
            bytes = [UInt8(ascii: "[")] + bytes + [UInt8(ascii: "]")]
        }
        if bytes.first == UInt8(ascii: "[") {
            guard bytes.count >= 2, bytes.last == UInt8(ascii: "]") else { return "not an IP address" }
            var inner = Array(bytes[1..<(bytes.count &- 1)])
            if let zone = inner.firstIndex(of: UInt8(ascii: "%")) { inner.removeSubrange(zone...) }
            guard let pieces = HostClassifier.parseIPv6(inner) else { return "not an IP address" }
            return HostClassifier.classifyIPv6(pieces)?.category
        }
        guard let v4 = HostClassifier.parseIPv4(bytes) else { return "not an IP address" }
        return HostClassifier.classifyIPv4(v4)?.category
    }
}
