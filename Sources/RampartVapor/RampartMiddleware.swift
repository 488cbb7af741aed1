// RampartVapor: Rampart protection for Vapor apps (one middleware).

import Rampart
import Vapor

/// Protects a Vapor app: `app.middleware.use(RampartMiddleware())`.
///
/// Per request: phase 1 (client IP blocklist and WAF over URI, query, headers, cookies, route parameters) before
/// the body is read, phase 2 over the body (collected up to the configured limit), then the handler runs with the
/// request's ``RequestSecurityContext`` bound (RASP hooks and `Rampart.setUser` see it), and phase 3 over the
/// response status. A ``RampartBlockedError`` thrown by the handler (a blocked user, a RASP exploit in block mode)
/// becomes the blocking response. Any failure inside Rampart lets the request through.
///
/// Register it last among global middlewares (innermost), so no event-loop-hopping middleware runs between it and
/// the handler.
public struct RampartMiddleware: AsyncMiddleware {
    public let agent: RampartAgent
    public let securityHeaders: SecurityHeaders?

    /// - Parameters:
    ///   - agent: defaults to ``RampartAgent/shared`` (configured from `RAMPART_*` variables).
    ///   - securityHeaders: headers added to every response (nil: none); its `reportPath` receives CSP reports.
    public init(agent: RampartAgent = .shared, securityHeaders: SecurityHeaders? = nil) {
        self.agent = agent
        self.securityHeaders = securityHeaders
    }

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard agent.isEnabled else { return try await next.respond(to: request) }
        if let securityHeaders, let reportPath = securityHeaders.reportPath, request.method == .POST,
            request.url.path == reportPath
        {
            return await recordCSPReport(request)
        }

        let context = agent.makeContext(for: Self.info(for: request))
        request.storage[RampartContextKey.self] = context
        let accept = request.headers.first(name: .accept)

        if let decision = context.inspectHeaders() {
            return finish(context, with: decision, accept: accept)
        }
        if let bytes = await collectBody(request) {
            if let decision = context.inspectBody(bytes, contentType: request.headers.first(name: .contentType)) {
                return finish(context, with: decision, accept: accept)
            }
        } else if request.method != .GET, request.method != .HEAD, request.body.data == nil {
            // A streamed body belongs to the route (Vapor 4 cannot hand a handler a stream other than the one it
            // received). Routes that collect it (the default) have it by the time the handler calls a RASP sink or
            // returns: it is inspected then.
            let limit = agent.configuration.bodyLimit
            let contentType = request.headers.first(name: .contentType)
            context.deferBodyInspection {
                guard let buffer = request.body.data, buffer.readableBytes <= limit else { return nil }
                return (Array(buffer.readableBytesView), contentType)
            }
        }

        var response: Response
        do {
            response = try await RequestSecurityContext.$current.withValue(context) {
                try await next.respond(to: request)
            }
        } catch let blocked as RampartBlockedError {
            return finish(context, with: blocked.decision, accept: accept)
        } catch {
            // The app's own errors keep their normal handling; the status is what Vapor will answer.
            let status = (error as? any AbortError)?.status.code ?? 500
            _ = context.inspectResponse(status: Int(status))
            context.finish(status: Int(status))
            throw error
        }
        if let decision = context.inspectDeferredBody() {
            return finish(context, with: decision, accept: accept)
        }
        if let decision = context.inspectResponse(status: Int(response.status.code)) {
            return finish(context, with: decision, accept: accept)
        }
        context.finish(status: Int(response.status.code))
        addSecurityHeaders(to: &response, request: request)
        return response
    }

    private func finish(_ context: RequestSecurityContext, with decision: BlockingDecision, accept: String?) -> Response {
        let rendered = agent.renderer.render(decision, accept: accept)
        context.finish(status: rendered.status)
        var headers = HTTPHeaders()
        for field in rendered.headers { headers.add(name: field.name, value: field.value) }
        return Response(
            status: HTTPResponseStatus(statusCode: rendered.status), headers: headers,
            body: .init(string: rendered.body))
    }

    private func addSecurityHeaders(to response: inout Response, request: Request) {
        guard let securityHeaders else { return }
        let secure = request.url.scheme == "https"
            || request.headers.first(name: "x-forwarded-proto")?.lowercased() == "https"
        for field in securityHeaders.fields(secure: secure) where !response.headers.contains(name: field.name) {
            response.headers.replaceOrAdd(name: field.name, value: field.value)
        }
    }

    /// The body bytes when they can be read without breaking the app: already collected, or announced by
    /// `Content-Length` within the limit. Streamed bodies of unknown length are left to the route (see `respond`).
    private func collectBody(_ request: Request) async -> [UInt8]? {
        guard request.method != .GET, request.method != .HEAD else { return nil }
        let limit = agent.configuration.bodyLimit
        if let buffer = request.body.data {
            return buffer.readableBytes <= limit ? Array(buffer.readableBytesView) : nil
        }
        guard let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > 0, length <= limit
        else { return nil }
        guard let buffer = try? await request.body.collect(max: limit).get() else { return nil }
        return Array(buffer.readableBytesView)
    }

    private func recordCSPReport(_ request: Request) async -> Response {
        let context = agent.makeContext(for: Self.info(for: request))
        let body = (try? await request.body.collect(max: CSPReportParser.maxBytes).get()).map { Array($0.readableBytesView) }
        context.recordCSPReport(body ?? [])
        context.finish(status: 204)
        return Response(status: .noContent)
    }

    static func info(for request: Request) -> HTTPRequestInfo {
        var parameters: [(name: String, value: String)] = []
        for name in request.parameters.allNames.sorted() {
            if let value = request.parameters.get(name) { parameters.append((name, value)) }
        }
        let catchall = request.parameters.getCatchall()
        if !catchall.isEmpty { parameters.append(("**", catchall.joined(separator: "/"))) }
        return HTTPRequestInfo(
            method: request.method.rawValue,
            uri: request.url.string,
            headers: request.headers.map { ($0.name, $0.value) },
            peerAddress: request.remoteAddress?.ipAddress,
            route: request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") },
            pathParameters: parameters)
    }
}

/// Where the middleware keeps the request's security context (also reachable after event-loop hops).
public enum RampartContextKey: StorageKey {
    public typealias Value = RequestSecurityContext
}

extension Request {
    /// The Rampart context of this request (nil when the middleware did not run).
    public var rampart: RequestSecurityContext? { storage[RampartContextKey.self] }
}
