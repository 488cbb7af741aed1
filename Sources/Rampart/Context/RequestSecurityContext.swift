import Foundation
import NIOConcurrencyHelpers
import RampartProtocol
import RampartWAF

/// Thrown when Rampart refuses a request or an operation in block mode (a blocked user, a RASP exploit). The
/// middlewares turn it into the blocking response; code that catches it should rethrow it.
public struct RampartBlockedError: Error, Sendable, CustomStringConvertible {
    public let decision: BlockingDecision
    public let reason: String

    public init(decision: BlockingDecision, reason: String) {
        self.decision = decision
        self.reason = reason
    }

    public var description: String { "Rampart blocked this request: \(reason)" }
}

/// The security state of one request: its data as WAF addresses, the WAF context that remembers what was already
/// evaluated, the user, and the events found so far. Bound to the handling task with ``current`` so that code deep
/// inside a handler (SQL, HTTP, process, file hooks) is checked against this request's parameters.
public final class RequestSecurityContext: @unchecked Sendable {
    /// The context of the request the current task is handling, if any.
    @TaskLocal public static var current: RequestSecurityContext?

    public let agent: RampartAgent
    public let request: HTTPRequestInfo
    public let clientIP: String
    private let wafContext: WAFContext?
    /// The addresses the context's ruleset reads: phases build only these.
    private let collected: CollectedAddresses?
    private let lock = NIOLock()
    // Guarded by `lock`.
    private var userID: String?
    private var pendingEvents: [SecurityEvent] = []
    private var blockingDecision: BlockingDecision?
    private var finished = false
    /// A WAF run happened: later runs with no data the ruleset reads have nothing to evaluate and are skipped.
    private var evaluatedOnce = false
    /// The parsed body (phase 2), kept for sink checks that run outside the WAF (DNS rebinding).
    private var inspectedBody: WAFValue?
    /// A body the middleware could not read before the handler (a stream only the framework may consume): read
    /// once, when the handler has collected it, at the first sink check or at the end of the handler.
    private var deferredBody: (@Sendable () -> (bytes: [UInt8], contentType: String?)?)?

    init(agent: RampartAgent, request: HTTPRequestInfo) {
        self.agent = agent
        self.request = request
        clientIP =
            agent.clientIPResolver.resolve(peer: request.peerAddress, header: request.values(of:)) ?? ""
        if let waf = agent.wafHandle?.current {
            wafContext = waf.makeContext()
            collected = agent.collectedAddresses.addresses(of: waf)
        } else {
            wafContext = nil
            collected = nil
        }
    }

    /// The decision taken for this request so far (first blocking decision wins).
    public var decision: BlockingDecision? { lock.withLock { blockingDecision } }

    public var currentUserID: String? { lock.withLock { userID } }

    // MARK: Phases

    /// Phase 1, before the body is read: blocklisted client IP, then the WAF over method, URI, query, headers,
    /// cookies, route parameters and client IP.
    public func inspectHeaders() -> BlockingDecision? {
        agent.metrics.recordRequest()
        if !clientIP.isEmpty, agent.blockedIPs.isBlocked(clientIP) {
            let decision = BlockingDecision.block(status: nil, format: .auto, securityResponseID: Self.newResponseID())
            let blocked = agent.mode(forCategory: "blocklist") == .block
            append(event(kind: .blocklist, blocked: blocked, rules: [
                RuleMatchEvidence(
                    ruleID: "blocked-ip", ruleName: "Blocked IP address", category: "blocklist", operator: "ip_match",
                    address: "http.client_ip", value: clientIP)
            ]))
            if blocked {
                agent.metrics.recordBlock(type: "blocklist_ip")
                return setDecision(decision)
            }
        }
        guard wafContext != nil else { return nil }
        return evaluate(headerPhaseData(), ephemeral: [:], kind: .waf, operation: nil)
    }

    /// Phase 1's addresses, only those the ruleset reads.
    func headerPhaseData() -> [String: WAFValue] {
        guard let collected else { return [:] }
        var data: [String: WAFValue] = [:]
        data.reserveCapacity(8)
        if collected.method { data["server.request.method"] = .string(request.method) }
        if collected.uri { data["server.request.uri.raw"] = .string(request.uri) }
        if collected.headers || collected.cookies {
            var cookieHeaders: [String] = []
            if collected.headers {
                data["server.request.headers.no_cookies"] = WAFValue.headers(
                    fields: request.headers, cookies: &cookieHeaders)
            } else {
                cookieHeaders = request.values(of: "cookie")
            }
            if collected.cookies, !cookieHeaders.isEmpty {
                data["server.request.cookies"] = WAFValue.cookies(headers: cookieHeaders)
            }
        }
        if collected.query {
            let rawQuery = request.rawQuery
            if !rawQuery.isEmpty { data["server.request.query"] = WAFValue.query(String(rawQuery)) }
        }
        if collected.pathParameters, !request.pathParameters.isEmpty {
            data["server.request.path_params"] = .map(
                request.pathParameters.map { WAFValue.Entry(key: $0.name, value: .string($0.value)) })
        }
        if collected.clientIP, !clientIP.isEmpty { data["http.client_ip"] = .string(clientIP) }
        return data
    }

    /// Phase 2: the collected body (JSON, URL-encoded form, multipart field values and file names).
    public func inspectBody(_ bytes: [UInt8], contentType: String?) -> BlockingDecision? {
        guard let collected else { return nil }
        // RASP checks compare operations with the body's values whatever the WAF rules read, so it is parsed
        // when either needs it.
        guard collected.body || collected.bodyFileNames || agent.configuration.raspEnabled else { return nil }
        let parsed = RequestBodyParser.parse(bytes, contentType: contentType)
        var data: [String: WAFValue] = [:]
        if let body = parsed.body {
            if collected.body { data["server.request.body"] = body }
            lock.withLock { inspectedBody = body }
        }
        if collected.bodyFileNames, !parsed.fileNames.isEmpty {
            data["server.request.body.filenames"] = .array(parsed.fileNames.map { .string($0) })
        }
        guard !data.isEmpty else { return nil }
        return evaluate(data, ephemeral: [:], kind: .waf, operation: nil)
    }

    /// Phase 2 later: `provider` returns the body once the framework has collected it for the handler (nil while
    /// it has not, or when it is over the limit). It is asked at the first RASP check and by
    /// ``inspectDeferredBody()``; RASP checks then also compare the operation with the body's values.
    public func deferBodyInspection(_ provider: @escaping @Sendable () -> (bytes: [UInt8], contentType: String?)?) {
        lock.withLock { deferredBody = provider }
    }

    /// Runs phase 2 over a deferred body if it is available now (at most once per request).
    public func inspectDeferredBody() -> BlockingDecision? {
        // Taken under the lock so that concurrent sink checks inspect it once.
        let body: (bytes: [UInt8], contentType: String?)? = lock.withLock {
            guard let provider = deferredBody, let body = provider() else { return nil }
            deferredBody = nil
            return body
        }
        guard let body else { return nil }
        return inspectBody(body.bytes, contentType: body.contentType)
    }

    /// Phase 2 for payloads that are already values (a function event, a queue message).
    public func inspectPayload(_ payload: WAFValue) -> BlockingDecision? {
        lock.withLock { inspectedBody = payload }
        return evaluate(["server.request.body": payload], ephemeral: [:], kind: .waf, operation: nil)
    }

    /// Phase 3: the response status. Scanners probing for files show up as bursts of 404s to one client: the
    /// response that completes a burst carries one `security_scanner` event (reported, never blocked, since the
    /// answer was a 404 anyway).
    public func inspectResponse(status: Int) -> BlockingDecision? {
        if status == 404, wafContext != nil, let count = agent.notFoundBursts.recordNotFound(clientIP: clientIP) {
            let detector = agent.notFoundBursts
            append(event(kind: .waf, blocked: false, rules: [
                RuleMatchEvidence(
                    ruleID: Self.notFoundBurstRuleID, ruleName: "Burst of 404 responses to one client (probing for files)",
                    category: "security_scanner", operator: "not_found_burst",
                    operatorValue: "\(detector.threshold) in \(detector.window.components.seconds)s",
                    address: "server.response.status", value: "\(count) responses with status 404")
            ]))
        }
        // Most rulesets read no response address: then there is nothing to run (and no string to build).
        guard collected?.responseStatus == true else { return nil }
        return evaluate(["server.response.status": .string(String(status))], ephemeral: [:], kind: .waf, operation: nil)
    }

    /// Rule id of the behavioural scanner event (not a ruleset rule: the agent counts 404s itself).
    public static let notFoundBurstRuleID = "rpt-behaviour-404-burst"

    /// Ends the request: its events go to the agent's buffer and exporters with the final status.
    public func finish(status: Int?) {
        let events: [SecurityEvent] = lock.withLock {
            guard !finished else { return [] }
            finished = true
            defer { pendingEvents = [] }
            return pendingEvents
        }
        for var event in events {
            event.status = status
            agent.record(event)
        }
    }

    // MARK: User and business events

    /// Associates the request with a user; throws when the user is blocked (block mode).
    public func setUser(id: String) throws(RampartBlockedError) {
        lock.withLock { userID = id }
        if agent.blockedUsers.isBlocked(id) {
            let blocked = agent.mode(forCategory: "blocklist") == .block
            append(event(kind: .blocklist, blocked: blocked, rules: [
                RuleMatchEvidence(
                    ruleID: "blocked-user", ruleName: "Blocked user", category: "blocklist", operator: "exact_match",
                    address: "usr.id", value: id)
            ]))
            if blocked {
                agent.metrics.recordBlock(type: "blocklist_user")
                let decision = setDecision(
                    .block(status: nil, format: .auto, securityResponseID: Self.newResponseID()))
                throw RampartBlockedError(decision: decision, reason: "user \(id) is blocked")
            }
        }
        if collected?.userID == true,
            let decision = evaluate(["usr.id": .string(id)], ephemeral: [:], kind: .waf, operation: nil)
        {
            throw RampartBlockedError(decision: decision, reason: "a rule on the user id asked to block")
        }
    }

    func recordBusinessEvent(kind: EventKind, name: String, userID: String?, metadata: [String: String]) {
        var evidence = [RuleMatchEvidence]()
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            evidence.append(
                RuleMatchEvidence(
                    ruleID: name, ruleName: name, category: kind.rawValue, operator: "track",
                    address: "metadata", keyPath: [key], value: agent.scrubber.scrub(value, keyPath: [key])))
        }
        if evidence.isEmpty {
            evidence.append(
                RuleMatchEvidence(ruleID: name, ruleName: name, category: kind.rawValue, operator: "track", address: "event", value: ""))
        }
        var record = event(kind: kind, blocked: false, rules: evidence)
        if let userID { record.userID = userID }
        append(record)
    }

    /// Records a browser's Content-Security-Policy violation report (the body POSTed to the report path).
    public func recordCSPReport(_ body: [UInt8]) {
        let evidence = CSPReportParser.evidence(from: body)
        guard !evidence.isEmpty else { return }
        append(event(kind: .csp, blocked: false, rules: evidence))
    }

    // MARK: RASP

    /// Runs the RASP rules over one sink operation (`address` → `value`, e.g. `server.db.statement`), compared with
    /// this request's parameters. Throws in block mode when a rule asks to block.
    public func checkSink(
        _ ephemeral: [String: WAFValue], operation: String
    ) throws(RampartBlockedError) {
        if let decision = inspectDeferredBody() {
            throw RampartBlockedError(decision: decision, reason: "attack in the request body")
        }
        if let decision = evaluate([:], ephemeral: ephemeral, kind: .rasp, operation: operation) {
            throw RampartBlockedError(decision: decision, reason: "exploit attempt in \(operation)")
        }
    }

    /// The request's values an attacker controls (query, route parameters, body), as detector parameters.
    public func userParameters() -> [UserParameter] {
        var parameters: [UserParameter] = []
        let rawQuery = request.rawQuery
        if !rawQuery.isEmpty {
            Self.collect(WAFValue.query(String(rawQuery)), address: "server.request.query", into: &parameters)
        }
        for parameter in request.pathParameters {
            parameters.append(
                UserParameter(
                    value: parameter.value, address: "server.request.path_params", keyPath: [.key(parameter.name)]))
        }
        if let body = lock.withLock({ inspectedBody }) {
            Self.collect(body, address: "server.request.body", into: &parameters)
        }
        return parameters
    }

    /// DNS rebinding: the outgoing `url`'s host name resolved to `addresses`; a request parameter that chose that
    /// host is an SSRF exploit when any address is internal, however public the name looks. Reported (and thrown
    /// in block mode for the `ssrf` category) like a RASP rule match.
    public func checkResolvedHost(
        url: String, addresses: [String], parameters: [UserParameter]
    ) throws(RampartBlockedError) {
        guard !addresses.isEmpty,
            let finding = SSRFDetector.detect(url: url, parameters: parameters, resolvedAddresses: addresses)
        else { return }
        let blocked = agent.mode(forCategory: "ssrf") == .block
        let parameter = finding.parameter
        let parameterPath = [parameter.address] + parameter.keyPath.map(\.description)
        let rules = [
            RuleMatchEvidence(
                ruleID: "rampart-rasp-ssrf-resolved", ruleName: "Server-side request forgery (resolved address)",
                category: "ssrf", operator: "ssrf_detector", operatorValue: finding.reason,
                address: "server.io.net.url", value: agent.scrubber.scrub(url, keyPath: ["server.io.net.url"]),
                highlight: [addresses.joined(separator: ", ")]),
            RuleMatchEvidence(
                ruleID: "rampart-rasp-ssrf-resolved", ruleName: "Server-side request forgery (resolved address)",
                category: "ssrf", operator: "ssrf_detector", address: parameter.address,
                keyPath: parameter.keyPath.map(\.description),
                value: agent.scrubber.scrub(parameter.value, keyPath: parameterPath),
                highlight: [agent.scrubber.scrub(parameter.value, keyPath: parameterPath)]),
        ]
        var record = event(kind: .rasp, blocked: blocked, rules: rules)
        record.stack = Self.captureStack()
        append(record)
        agent.metrics.recordAttack()
        guard blocked else { return }
        agent.metrics.recordBlock(type: "rasp")
        let decision = setDecision(.block(status: nil, format: .auto, securityResponseID: Self.newResponseID()))
        throw RampartBlockedError(decision: decision, reason: "exploit attempt in outgoing request (resolved address)")
    }

    /// Bounds on the parameters taken from one value, as the WAF bounds what it reads (depth and count).
    static let parameterDepthLimit = 20
    static let parameterCountLimit = 4096

    private static func collect(
        _ value: WAFValue, address: String, path: [KeyPathComponent] = [], into parameters: inout [UserParameter]
    ) {
        guard path.count <= parameterDepthLimit, parameters.count < parameterCountLimit else { return }
        switch value {
        case .string(let text): parameters.append(UserParameter(value: text, address: address, keyPath: path))
        case .array(let items):
            for (index, item) in items.enumerated() {
                collect(item, address: address, path: path + [.index(index)], into: &parameters)
            }
        case .map(let entries):
            for entry in entries {
                collect(entry.value, address: address, path: path + [.key(entry.key)], into: &parameters)
            }
        default: return
        }
    }

    // MARK: Evaluation

    /// One WAF run within the budget; records events and returns a decision only in block mode. Never throws and
    /// never blocks on a WAF timeout.
    private func evaluate(
        _ data: [String: WAFValue], ephemeral: [String: WAFValue], kind: EventKind, operation: String?
    ) -> BlockingDecision? {
        guard let wafContext else { return nil }
        let skip: Bool = lock.withLock {
            // The first run evaluates even without data (rules reading nothing the request has can still apply).
            if data.isEmpty && ephemeral.isEmpty && evaluatedOnce { return true }
            evaluatedOnce = true
            return false
        }
        if skip { return nil }
        let result = wafContext.run(data, ephemeral: ephemeral, budget: agent.wafBudget)
        agent.metrics.recordWAFRun(duration: result.duration, timedOut: result.timedOut)
        guard !result.events.isEmpty else { return nil }

        let isRASP = kind == .rasp || result.events.contains { $0.rule.tags["module"] == "rasp" }
        let blockingCategories = result.events.contains { event in
            agent.mode(forCategory: event.rule.tags["type"] ?? "") == .block
        }
        var decision: BlockingDecision?
        if blockingCategories {
            for action in result.actions {
                switch action {
                case .block(let status, let type, let id):
                    decision = .block(
                        status: status, format: BlockingFormat(rawValue: "\(type)") ?? .auto,
                        securityResponseID: id.isEmpty ? Self.newResponseID() : id)
                case .redirect(let status, let location, let id):
                    decision = .redirect(
                        status: status, location: location, securityResponseID: id.isEmpty ? Self.newResponseID() : id)
                default:
                    continue
                }
                break
            }
        }
        let wantsStack = isRASP || result.actions.contains { if case .generateStack = $0 { true } else { false } }
        var record = event(
            kind: isRASP ? .rasp : .waf, blocked: decision != nil,
            rules: result.events.flatMap { evidence(from: $0) })
        if wantsStack { record.stack = Self.captureStack() }
        append(record)
        agent.metrics.recordAttack()
        guard let decision else { return nil }
        agent.metrics.recordBlock(type: isRASP ? "rasp" : "waf")
        return setDecision(decision)
    }

    private func evidence(from wafEvent: WAFEvent) -> [RuleMatchEvidence] {
        let rule = wafEvent.rule
        var result: [RuleMatchEvidence] = []
        for match in wafEvent.ruleMatches {
            for parameter in match.parameters {
                let keyPath = parameter.keyPath.map(\.description)
                let scrubPath = [parameter.address] + keyPath
                result.append(
                    RuleMatchEvidence(
                        ruleID: rule.id, ruleName: rule.name, category: rule.tags["type"] ?? "",
                        crsID: rule.tags["crs_id"], operator: match.operator, operatorValue: match.operatorValue,
                        address: parameter.address, keyPath: keyPath,
                        value: agent.scrubber.scrub(parameter.value, keyPath: scrubPath),
                        highlight: parameter.highlight.map { agent.scrubber.scrub($0, keyPath: scrubPath) }))
            }
        }
        return result
    }

    private func event(kind: EventKind, blocked: Bool, rules: [RuleMatchEvidence]) -> SecurityEvent {
        let scrubber = agent.scrubber
        var headers: [String: String] = [:]
        for (name, value) in request.headers where !name.caseInsensitiveEquals("cookie") {
            let key = name.lowercased()
            let scrubbed = scrubber.scrub(value, keyPath: [key])
            headers[key] = headers[key].map { $0 + ", " + scrubbed } ?? scrubbed
        }
        var query: [String: [String]] = [:]
        for pair in request.rawQuery.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decodeComponent(parts.first ?? "")
            let value = parts.count > 1 ? Self.decodeComponent(parts[1]) : ""
            query[key, default: []].append(scrubber.scrub(value, keyPath: [key]))
        }
        return SecurityEvent(
            timestamp: Date(), kind: kind, blocked: blocked, route: request.route ?? "", method: request.method,
            path: String(request.path), clientIP: clientIP, userID: lock.withLock { userID },
            userAgent: request.values(of: "user-agent").first, rules: rules,
            request: RequestSummary(headers: headers, query: query))
    }

    private func append(_ event: SecurityEvent) {
        let late = lock.withLock {
            if finished { return true }
            pendingEvents.append(event)
            return false
        }
        // Work that outlives the response (a detached RASP call) still reports.
        if late { agent.record(event) }
    }

    private func setDecision(_ decision: BlockingDecision) -> BlockingDecision {
        lock.withLock {
            if blockingDecision == nil { blockingDecision = decision }
            return blockingDecision ?? decision
        }
    }

    static func decodeComponent(_ text: Substring) -> String {
        PercentDecoding.decode(text, plusAsSpace: true)
    }

    static func newResponseID() -> String { UUID().uuidString.lowercased() }

    static func captureStack() -> [String] {
        Array(Thread.callStackSymbols.dropFirst(2).prefix(32))
    }
}
