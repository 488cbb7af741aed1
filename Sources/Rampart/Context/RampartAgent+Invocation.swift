import RampartWAF

extension RampartAgent {
    /// Protects a non-HTTP entry point (a serverless function event, a queue message) in-process: the payload is
    /// inspected as a request body, then `body` runs with a security context bound so RASP hooks inside it are
    /// checked against the payload. In block mode an attack throws ``RampartBlockedError`` before `body` runs.
    ///
    /// - Parameters:
    ///   - name: what is invoked (a function or queue name), reported as the route.
    ///   - payload: the decoded event, e.g. `try WAFValue(jsonBytes: eventBytes)`.
    ///   - source: the caller's address when there is one.
    public func protectInvocation<Result>(
        named name: String, payload: WAFValue, source: String? = nil,
        _ body: () async throws -> Result
    ) async throws -> Result {
        guard isEnabled else { return try await body() }
        let context = makeContext(
            for: HTTPRequestInfo(method: "INVOKE", uri: "/" + name, headers: [], peerAddress: source, route: name))
        if let decision = context.inspectHeaders() ?? context.inspectPayload(payload) {
            context.finish(status: nil)
            throw RampartBlockedError(decision: decision, reason: "attack in the \(name) payload")
        }
        do {
            let result = try await RequestSecurityContext.$current.withValue(context) { try await body() }
            context.finish(status: nil)
            return result
        } catch {
            context.finish(status: nil)
            throw error
        }
    }
}
