/// RampartProtocol: the wire types agents and the platform exchange (JSON over HTTP, versioned).
///
/// Everything here is a plain `Codable`, `Sendable` value. Encode and decode with ``ProtocolCoding`` so dates use
/// the documented ISO 8601 form; the types also encode their dates as ISO 8601 strings by themselves, so a plain
/// `JSONEncoder` produces the same wire format. The HTTP endpoints are described in `docs/agent-protocol.md`.
public enum RampartProtocol {
    /// The protocol version this module speaks; sent by agents in ``AgentLogin/protocolVersion``.
    public static let version = 1
    /// Versions a platform built from this module accepts.
    public static let supportedVersions: [Int] = [1]

    /// The HTTP header carrying the application's API key: `Authorization: Bearer <key>`.
    public static let authorizationHeader = "Authorization"
    /// The `Content-Type` of every request and response body except the ruleset download.
    public static let contentType = "application/json"

    /// Endpoint paths, relative to the platform's base URL.
    public enum Endpoint {
        public static let login = "/api/v1/agent/login"
        public static let heartbeat = "/api/v1/agent/heartbeat"
        /// `GET` with a `version` query parameter; returns a libddwaf-format ruleset document.
        public static let ruleset = "/api/v1/agent/ruleset"

        /// The ruleset download path for one version, with the query percent-encoded.
        public static func ruleset(version: String) -> String {
            let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
            var encoded = ""
            for byte in version.utf8 {
                if allowed.contains(byte) {
                    encoded.unicodeScalars.append(Unicode.Scalar(byte))
                } else {
                    let hex = String(byte, radix: 16, uppercase: true)
                    encoded += byte < 16 ? "%0\(hex)" : "%\(hex)"
                }
            }
            return "\(ruleset)?version=\(encoded)"
        }
    }
}
