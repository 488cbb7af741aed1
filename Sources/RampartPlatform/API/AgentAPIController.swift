import Foundation
import Hummingbird
import Logging
import NIOCore
import RampartProtocol

/// The agent protocol of docs/agent-protocol.md: login, heartbeat and ruleset download.
struct AgentAPIController: Sendable {
    let store: PlatformStore
    let configuration: PlatformConfiguration
    let logger: Logger
    /// Told about stored events and playbook runs; nil sends no webhooks.
    var webhooks: WebhookDispatcher?

    func register(on router: Router<BasicRequestContext>) {
        router.post(RouterPath(RampartProtocol.Endpoint.login)) { request, _ in
            await respond { try await login(request) }
        }
        router.post(RouterPath(RampartProtocol.Endpoint.heartbeat)) { request, _ in
            await respond { try await heartbeat(request) }
        }
        router.get(RouterPath(RampartProtocol.Endpoint.ruleset)) { request, _ in
            await respond { try await ruleset(request) }
        }
    }

    /// Failures become protocol error bodies; storage errors are logged and reported as 500 without details.
    private func respond(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let failure as Failure {
            return failure.response
        } catch {
            logger.error("agent API failure: \(error)")
            return JSONResponse.error(.internalServerError, code: "internal_error", message: "the platform could not process the request")
        }
    }

    private struct Failure: Error {
        var response: Response
    }

    private func authenticate(_ request: Request) async throws -> AppRecord {
        let header = request.headers[.authorization] ?? ""
        let prefix = "Bearer "
        guard header.hasPrefix(prefix), let app = try await store.authenticate(apiKey: String(header.dropFirst(prefix.count)))
        else {
            throw Failure(response: JSONResponse.error(.unauthorized, code: ProtocolErrorResponse.Code.unauthorized,
                message: "missing or invalid API key (Authorization: Bearer <key>)"))
        }
        return app
    }

    private func decodeBody<Value: Decodable>(_ type: Value.Type, _ request: Request) async throws -> Value {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
        } catch {
            throw Failure(response: JSONResponse.error(.contentTooLarge, code: ProtocolErrorResponse.Code.tooLarge,
                message: "the body exceeds \(configuration.maxBodyBytes) bytes"))
        }
        do {
            return try ProtocolCoding.decode(Value.self, from: Data(buffer.readableBytesView))
        } catch {
            throw Failure(response: JSONResponse.error(.badRequest, code: ProtocolErrorResponse.Code.invalidRequest,
                message: "invalid \(Value.self): \(Self.describe(error))"))
        }
    }

    func login(_ request: Request) async throws -> Response {
        let app = try await authenticate(request)
        let login = try await decodeBody(AgentLogin.self, request)
        guard RampartProtocol.supportedVersions.contains(login.protocolVersion) else {
            return JSONResponse.error(.badRequest, code: ProtocolErrorResponse.Code.unsupportedProtocolVersion,
                message: "protocol version \(login.protocolVersion) is not supported", supportedVersions: RampartProtocol.supportedVersions)
        }
        guard UUID(uuidString: login.agentID) != nil else {
            return JSONResponse.error(.badRequest, code: ProtocolErrorResponse.Code.invalidRequest, message: "agentID must be a UUID")
        }
        do {
            try await store.recordLogin(login, app: app, heartbeatInterval: configuration.heartbeatInterval)
        } catch let error as StorageError {
            return JSONResponse.error(.badRequest, code: ProtocolErrorResponse.Code.invalidRequest, message: error.message)
        }
        let (commands, revision) = try await store.commands(appID: app.appID, since: 0)
        try await store.recordDelivered(revision: revision, agentID: login.agentID)
        return try JSONResponse.make(
            AgentLoginResponse(agentID: login.agentID, heartbeatInterval: configuration.heartbeatInterval, commands: commands,
                settingsRevision: revision))
    }

    func heartbeat(_ request: Request) async throws -> Response {
        let app = try await authenticate(request)
        let heartbeat = try await decodeBody(Heartbeat.self, request)
        // The webhook job finds the batches this heartbeat stored by this time.
        let receivedAt = Date()
        guard let result = try await store.ingest(heartbeat, app: app, now: receivedAt) else {
            return JSONResponse.error(.notFound, code: ProtocolErrorResponse.Code.notFound,
                message: "unknown agent \(heartbeat.agentID) for this application; log in again")
        }
        if result.storedEvents > 0 {
            let attackers = Set(heartbeat.batches.flatMap { $0.events.filter { $0.kind != .login }.map(\.clientIP) })
            let blocked = try await store.runAutoBlock(appID: app.appID, candidateIPs: attackers)
            if !blocked.isEmpty {
                logger.info("auto-block playbook blocked \(blocked) for \(app.name)")
                webhooks?.enqueuePlaybookRun(
                    app: app, name: "auto-block", description: "IPs over the auto-block threshold blocked", blockedIPs: blocked)
            }
            let failedLoginUsers = Set(heartbeat.batches.flatMap { batch in
                batch.events.filter { $0.kind == .login && $0.rules.first?.ruleID == EventKind.loginFailureRuleID }
                    .compactMap(\.userID)
            })
            let flagged = try await store.runFailedLoginPlaybook(appID: app.appID, candidateUsers: failedLoginUsers)
            if !flagged.isEmpty {
                logger.info("failed-login playbook flagged \(flagged) for \(app.name)")
                webhooks?.enqueuePlaybookRun(
                    app: app, name: "failed-logins", description: "users over the failed-login threshold flagged: "
                        + flagged.joined(separator: ", "), blockedIPs: [])
            }
            webhooks?.enqueueEvents(app: app, batches: heartbeat.batches, receivedAt: receivedAt)
        }
        let (commands, revision) = try await store.commands(appID: app.appID, since: result.agentRevision)
        // Settings rarely change: most heartbeats deliver the revision already recorded and need no second write.
        if revision != result.deliveredRevision {
            try await store.recordDelivered(revision: revision, agentID: heartbeat.agentID)
        }
        return try JSONResponse.make(
            HeartbeatResponse(acknowledgedBatchIDs: result.acknowledgedBatchIDs, commands: commands, settingsRevision: revision))
    }

    func ruleset(_ request: Request) async throws -> Response {
        let app = try await authenticate(request)
        guard let version = request.uri.queryParameters.get("version"), !version.isEmpty else {
            return JSONResponse.error(.badRequest, code: ProtocolErrorResponse.Code.invalidRequest, message: "missing version")
        }
        guard let document = try await store.ruleset(version: version, appID: app.appID) else {
            return JSONResponse.error(.notFound, code: ProtocolErrorResponse.Code.notFound, message: "no ruleset version \(version)")
        }
        return Response(
            status: .ok, headers: [.contentType: RampartProtocol.contentType, .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: document)))
    }

    /// A decoding error as "field path: what was wrong", without echoing the body.
    static func describe(_ error: any Error) -> String {
        guard let decodingError = error as? DecodingError else { return "not valid JSON" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return keys.isEmpty ? "body" : keys.joined(separator: ".")
        }
        switch decodingError {
        case .keyNotFound(let key, let context): return "\(path(context)): missing \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "not valid JSON"
        }
    }
}
