/// What the host should do because rules matched (libddwaf's `actions` section and built-in defaults).
public enum WAFAction: Sendable, Hashable {
    case block(status: Int, type: BlockResponseType, id: String)
    case redirect(status: Int, location: String, id: String)
    case generateStack(id: String)
    case custom(id: String, type: String, parameters: [String: String])

    public var id: String {
        switch self {
        case .block(_, _, let id), .redirect(_, _, let id), .generateStack(let id), .custom(let id, _, _): id
        }
    }

    /// libddwaf's action type name (`block_request`, `redirect_request`, `generate_stack`, or the custom type).
    public var typeName: String {
        switch self {
        case .block: "block_request"
        case .redirect: "redirect_request"
        case .generateStack: "generate_stack"
        case .custom(_, let type, _): type
        }
    }

    /// Blocking actions interrupt the request; rules carrying them are evaluated first.
    public var isBlocking: Bool {
        switch self {
        case .block, .redirect: true
        case .generateStack, .custom: false
        }
    }

    /// Actions every ruleset has unless it redefines the id (libddwaf's defaults).
    static let defaults: [String: WAFAction] = [
        "block": .block(status: 403, type: .auto, id: "block"),
        "stack_trace": .generateStack(id: "stack_trace"),
        "extract_schema": .custom(id: "extract_schema", type: "generate_schema", parameters: [:]),
        "monitor": .custom(id: "monitor", type: "monitor", parameters: [:]),
    ]
}

/// Body format of a blocking response.
public enum BlockResponseType: String, Sendable, Hashable, Codable {
    case json, html, auto
}
