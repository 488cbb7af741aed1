import AsyncHTTPClient
import NIOCore

extension HTTPClient {
    /// `execute` after the SSRF check of the request's URL against the current request's parameters, including the
    /// addresses its host name resolves to when a parameter chose the host (`resolver`, bounded in time). Redirects
    /// are checked only when the client is configured not to follow them itself (`redirectConfiguration =
    /// .disallow`), in which case use ``executeCheckedFollowingRedirects(_:timeout:maxRedirects:)``.
    // Not inlined into the redirect loop: Swift 6.3's optimizer crashes (LLVM coroutine splitting around swifterror)
    // when these typed-throwing checks are inlined into an async loop in release builds.
    @inline(never)
    public func executeChecked(
        _ request: HTTPClientRequest, timeout: TimeAmount = .seconds(30), resolver: HostNameResolver = .system
    ) async throws -> HTTPClientResponse {
        try RASPCheck.outgoingURL(request.url)
        // The client resolves the name again when it connects: a name whose answer flips between the two lookups
        // (TTL 0) is not caught here; pinning the address is left to the app.
        try await RASPCheck.outgoingURLResolvedAddresses(request.url, resolver: resolver)
        return try await execute(request, timeout: timeout)
    }

    /// Follows redirects itself (the client must not follow them), checking every hop's URL before requesting it.
    public func executeCheckedFollowingRedirects(
        _ request: HTTPClientRequest, timeout: TimeAmount = .seconds(30), maxRedirects: Int = 5,
        resolver: HostNameResolver = .system
    ) async throws -> HTTPClientResponse {
        var current = request
        var hops = 0
        while true {
            let response = try await executeChecked(current, timeout: timeout, resolver: resolver)
            guard (301...308).contains(response.status.code), response.status.code != 304, hops < maxRedirects,
                let location = response.headers.first(name: "location"),
                let next = Self.resolve(location: location, against: current.url)
            else { return response }
            hops += 1
            if response.status.code == 303 || ((301...302).contains(response.status.code) && current.method == .POST) {
                current.method = .GET
                current.body = nil
            }
            current.url = next
        }
    }

    static func resolve(location: String, against base: String) -> String? {
        if location.contains("://") { return location }
        guard let schemeEnd = base.range(of: "://") else { return nil }
        let afterScheme = base[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? afterScheme.endIndex
        let origin = base[..<authorityEnd]
        if location.hasPrefix("//") { return String(base[..<schemeEnd.lowerBound]) + ":" + location }
        if location.hasPrefix("/") { return origin + location }
        let path = afterScheme[authorityEnd...].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let directory = path.lastIndex(of: "/").map { path[...$0] } ?? "/"
        return origin + directory + location
    }
}
