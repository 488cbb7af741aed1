import HTTPTypes
import Hummingbird

/// Headers on every response: a strict Content-Security-Policy (scripts and styles only from the platform,
/// nothing inline), no framing, no MIME sniffing, no referrer.
extension HTTPField.Name {
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")
}

struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String {
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        if let name = HTTPField.Name.xFrameOptions { response.headers[name] = "DENY" }
        if let name = HTTPField.Name.referrerPolicy { response.headers[name] = "no-referrer" }
        return response
    }
}
