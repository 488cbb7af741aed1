/// The body of every non-2xx response from the agent API.
public struct ProtocolErrorResponse: Codable, Sendable, Hashable, Error {
    /// A stable machine-readable code, see ``Code``.
    public var error: String
    /// A human-readable explanation.
    public var message: String
    /// Present with ``Code/unsupportedProtocolVersion``.
    public var supportedVersions: [Int]?

    public init(error: String, message: String, supportedVersions: [Int]? = nil) {
        self.error = error
        self.message = message
        self.supportedVersions = supportedVersions
    }

    /// The error codes the platform sends.
    public enum Code {
        /// 401: no `Authorization: Bearer` header or an unknown/revoked API key.
        public static let unauthorized = "unauthorized"
        /// 400: the body is not valid JSON for the endpoint.
        public static let invalidRequest = "invalid_request"
        /// 400: ``AgentLogin/protocolVersion`` is not one the platform speaks.
        public static let unsupportedProtocolVersion = "unsupported_protocol_version"
        /// 404: a heartbeat from an agent id that never logged in (log in again), or an unknown ruleset version.
        public static let notFound = "not_found"
        /// 413: the body is larger than the platform accepts.
        public static let tooLarge = "too_large"
    }
}
