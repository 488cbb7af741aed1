import NIOConcurrencyHelpers
import RampartWAF

/// Which of the request addresses the agent can build a ruleset reads. Building an address costs allocations
/// (headers, cookies and query become maps of arrays), so each phase builds only those some rule reads.
public struct CollectedAddresses: Sendable, Hashable {
    public var method: Bool
    public var uri: Bool
    public var headers: Bool
    public var query: Bool
    public var cookies: Bool
    public var pathParameters: Bool
    public var clientIP: Bool
    public var body: Bool
    public var bodyFileNames: Bool
    public var responseStatus: Bool
    public var userID: Bool

    public init(required addresses: Set<String>) {
        method = addresses.contains("server.request.method")
        uri = addresses.contains("server.request.uri.raw")
        headers = addresses.contains("server.request.headers.no_cookies")
        query = addresses.contains("server.request.query")
        cookies = addresses.contains("server.request.cookies")
        pathParameters = addresses.contains("server.request.path_params")
        clientIP = addresses.contains("http.client_ip")
        body = addresses.contains("server.request.body")
        bodyFileNames = addresses.contains("server.request.body.filenames")
        responseStatus = addresses.contains("server.response.status")
        userID = addresses.contains("usr.id")
    }
}

/// Remembers the ``CollectedAddresses`` of the last `WAF` asked about: working them out walks every condition of
/// the ruleset, which is fine once per ruleset but not once per request.
final class CollectedAddressesCache: Sendable {
    private let last = NIOLockedValueBox<(waf: WAF, addresses: CollectedAddresses)?>(nil)

    func addresses(of waf: WAF) -> CollectedAddresses {
        if let known = last.withLockedValue({ $0 }), known.waf === waf { return known.addresses }
        // Worked out outside the lock; two requests racing on a new ruleset both compute the same answer.
        let addresses = CollectedAddresses(required: waf.requiredAddresses)
        last.withLockedValue { $0 = (waf, addresses) }
        return addresses
    }
}
