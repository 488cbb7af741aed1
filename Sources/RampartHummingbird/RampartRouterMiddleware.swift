// RampartHummingbird: Rampart protection for Hummingbird 2 apps (one router middleware).

import HTTPTypes
import Hummingbird
import NIOCore
import Rampart

/// Protects a Hummingbird 2 router: `router.add(middleware: RampartRouterMiddleware())`, added before the routes.
///
/// Per request: phase 1 (client IP blocklist and WAF over URI, query, headers, cookies and route parameters)
/// before the body is read, phase 2 over the body (collected up to the configured limit and kept for the handler),
/// then the handler runs with the request's ``RequestSecurityContext`` bound (RASP hooks and `Rampart.setUser` see
/// it), and phase 3 over the response status. A ``RampartBlockedError`` thrown by the handler becomes the blocking
/// response. The client IP is known when the app's context conforms to `RemoteAddressRequestContext`.
public struct RampartRouterMiddleware<Context: RequestContext>: RouterMiddleware {
    public let agent: RampartAgent
    public let securityHeaders: SecurityHeaders?
    static var forwardedProto: HTTPField.Name? { HTTPField.Name("X-Forwarded-Proto") }

    public init(agent: RampartAgent = .shared, securityHeaders: SecurityHeaders? = nil) {
        self.agent = agent
        self.securityHeaders = securityHeaders
    }

    public func handle(
        _ input: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard agent.isEnabled else { return try await next(input, context) }
        var request = input
        if let securityHeaders, let reportPath = securityHeaders.reportPath, request.method == .post,
            request.uri.path == reportPath
        {
            let security = agent.makeContext(for: Self.info(for: request, context: context))
            let body = (try? await request.collectBody(upTo: CSPReportParser.maxBytes)).map { Array($0.readableBytesView) }
            security.recordCSPReport(body ?? [])
            security.finish(status: 204)
            return Response(status: .noContent)
        }

        let head = Self.head(of: request, context: context)
        let security = agent.makeContext(for: head.info)
        let accept = head.accept
        if let decision = security.inspectHeaders() {
            return finish(security, with: decision, accept: accept)
        }
        if let bytes = await collectBody(&request, contentLength: head.contentLength),
            let decision = security.inspectBody(bytes, contentType: head.contentType)
        {
            return finish(security, with: decision, accept: accept)
        }

        var response: Response
        do {
            response = try await RequestSecurityContext.$current.withValue(security) {
                try await next(request, context)
            }
        } catch let blocked as RampartBlockedError {
            return finish(security, with: blocked.decision, accept: accept)
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            _ = security.inspectResponse(status: status)
            security.finish(status: status)
            throw error
        }
        if let decision = security.inspectResponse(status: response.status.code) {
            return finish(security, with: decision, accept: accept)
        }
        security.finish(status: response.status.code)
        if let securityHeaders {
            let forwardedProto = Self.forwardedProto.flatMap { request.headers[$0] }
            let secure = request.head.scheme == "https" || forwardedProto?.lowercased() == "https"
            for field in securityHeaders.fields(secure: secure) {
                guard let name = HTTPField.Name(field.name), response.headers[name] == nil else { continue }
                response.headers[name] = field.value
            }
        }
        return response
    }

    private func finish(_ security: RequestSecurityContext, with decision: BlockingDecision, accept: String?) -> Response {
        let rendered = agent.renderer.render(decision, accept: accept)
        security.finish(status: rendered.status)
        var headers = HTTPFields()
        for field in rendered.headers {
            if let name = HTTPField.Name(field.name) { headers.append(HTTPField(name: name, value: field.value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: rendered.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: rendered.body)))
    }

    /// The body bytes to inspect, at most the configured limit. A body announced within the limit is collected
    /// (the request keeps it for the handler). A streamed body (chunked, or longer than the limit) is read only up
    /// to the limit: that prefix is inspected, and the handler gets a body that replays the prefix and then
    /// continues the original stream, so nothing beyond the limit is buffered.
    private func collectBody(_ request: inout Request, contentLength: String?) async -> [UInt8]? {
        guard request.method != .get, request.method != .head else { return nil }
        let limit = agent.configuration.bodyLimit
        guard limit > 0 else { return nil }
        if let length = contentLength.flatMap(Int.init) {
            if length == 0 { return nil }
            if length <= limit {
                guard let buffer = try? await request.collectBody(upTo: limit) else { return nil }
                return Array(buffer.readableBytesView)
            }
        }
        var iterator = request.body.makeAsyncIterator()
        var prefix: [ByteBuffer] = []
        var collected = 0
        var ended = false
        do {
            while collected < limit {
                guard let chunk = try await iterator.next() else {
                    ended = true
                    break
                }
                collected &+= chunk.readableBytes
                prefix.append(chunk)
            }
        } catch {
            // The stream failed: the handler sees the same failure after the bytes read so far.
            request.body = RequestBody(asyncSequence: ReplayedBody(prefix: prefix, rest: nil, failure: error))
            return nil
        }
        request.body = RequestBody(
            asyncSequence: ReplayedBody(prefix: prefix, rest: ended ? nil : HandedOverIterator(iterator), failure: nil))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(collected, limit))
        for chunk in prefix {
            let room = limit &- bytes.count
            guard room > 0 else { break }
            bytes.append(contentsOf: chunk.readableBytesView.prefix(room))
        }
        return bytes
    }

    static func info(for request: Request, context: Context) -> HTTPRequestInfo {
        head(of: request, context: context).info
    }

    /// What the middleware reads of a request head, taken in one pass over the header fields (`HTTPFields`'s
    /// by-name subscript searches and joins the fields on every call).
    struct RequestHead {
        var info: HTTPRequestInfo
        var accept: String?
        var contentType: String?
        var contentLength: String?
    }

    static func head(of request: Request, context: Context) -> RequestHead {
        let peer = (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(request.headers.count)
        var accept: String?
        var contentType: String?
        var contentLength: String?
        for field in request.headers {
            let value = field.value
            // HTTPTypes keeps the lower-cased name: rules and events read lower-cased names, and lower-casing
            // every name of every request again would cost an allocation each.
            let name = field.name.canonicalName
            headers.append((name, value))
            // Repeated fields are joined as `HTTPFields`'s subscript does (a doubled Content-Length then reads as
            // no length, and the body is streamed).
            switch field.name {
            case .accept: accept = accept.map { $0 + ", " + value } ?? value
            case .contentType: contentType = contentType.map { $0 + ", " + value } ?? value
            case .contentLength: contentLength = contentLength.map { $0 + ", " + value } ?? value
            default: continue
            }
        }
        let info = HTTPRequestInfo(
            method: request.method.rawValue,
            uri: request.head.path ?? request.uri.description,
            headers: headers,
            peerAddress: peer,
            route: context.endpointPath,
            // Hummingbird keeps parameters percent-encoded; rules expect the decoded value, as the app sees it.
            pathParameters: context.parameters.map { parameter in
                (String(parameter.key), PercentDecoding.decode(parameter.value))
            })
        return RequestHead(info: info, accept: accept, contentType: contentType, contentLength: contentLength)
    }
}
