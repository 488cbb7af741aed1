/// One step in a path into a nested request value: a map key or an array index (libddwaf's `key_path`).
public enum KeyPathComponent: Sendable, Hashable, CustomStringConvertible {
    case key(String)
    case index(Int)

    public var description: String {
        switch self {
        case .key(let key): key
        case .index(let index): String(index)
        }
    }
}

/// A piece of user input in scope when the app performs a dangerous operation: a string leaf of a request
/// address (`server.request.query`, `server.request.body`, ...) and where it came from.
public struct UserParameter: Sendable, Hashable {
    public var value: String
    /// The address the value was read from, e.g. `server.request.query`.
    public var address: String
    /// Where inside that address, e.g. `[.key("q"), .index(0)]`.
    public var keyPath: [KeyPathComponent]

    public init(value: String, address: String, keyPath: [KeyPathComponent] = []) {
        self.value = value
        self.address = address
        self.keyPath = keyPath
    }
}

/// Evidence that a parameter broke out of the place the developer meant for it in an operation.
public struct InjectionFinding: Sendable, Hashable {
    /// The detector that fired: `sqli_detector`, `shi_detector`, `cmdi_detector`, `lfi_detector`, `ssrf_detector`.
    public var detector: String
    /// The offending parameter.
    public var parameter: UserParameter
    /// The operation (statement, command line, path, URL) as checked.
    public var operation: String
    /// UTF-8 byte range of the parameter inside `operation`, when it was found there.
    public var location: Range<Int>?
    /// Which rule of the detector fired, readable by a security engineer
    /// (e.g. "parameter spans 5 SQL tokens and adds the keyword UNION").
    public var reason: String

    public init(detector: String, parameter: UserParameter, operation: String, location: Range<Int>?, reason: String) {
        self.detector = detector
        self.parameter = parameter
        self.operation = operation
        self.location = location
        self.reason = reason
    }
}
