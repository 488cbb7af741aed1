import Foundation
import Hummingbird
import Logging
import Mustache
import NIOCore
import RampartProtocol

/// The server-rendered dashboard: login, overview, signals, event details, agents and settings.
struct DashboardController: Sendable {
    let store: PlatformStore
    let configuration: PlatformConfiguration
    let library: MustacheLibrary
    let logger: Logger

    static let sessionCookie = "rampart_session"
    /// Categories offered on the settings page besides those seen in events (libddwaf `type` tags).
    static let knownCategories = [
        "attack_tool", "command_injection", "http_protocol_violation", "js_code_injection", "lfi", "nosql_injection",
        "php_code_injection", "rfi", "security_scanner", "shell_injection", "sql_injection", "ssrf", "xss",
    ]

    init(store: PlatformStore, configuration: PlatformConfiguration, logger: Logger) throws {
        self.store = store
        self.configuration = configuration
        self.library = try DashboardTemplates.makeLibrary()
        self.logger = logger
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("/assets/app.css") { _, _ in asset(DashboardAssets.css, type: "text/css; charset=utf-8") }
        router.get("/assets/app.js") { _, _ in asset(DashboardAssets.javascript, type: "text/javascript; charset=utf-8") }
        router.get("/login") { _, _ in render("login", ["title": "Sign in"], session: nil) }
        router.post("/login") { request, _ in try await login(request) }
        router.post("/logout") { request, _ in try await guarded(request, post: true, admin: false) { session, _ in try await logout(request, session) } }
        router.get("/") { request, _ in try await guarded(request) { session, _ in try await overview(request, session) } }
        router.get("/signals") { request, _ in try await guarded(request) { session, _ in try await signals(request, session) } }
        router.get("/signals/events") { request, _ in try await guarded(request) { session, _ in try await eventList(request, session) } }
        router.get("/events/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await guarded(request) { session, _ in try await eventDetail(id, session) }
        }
        router.get("/agents") { request, _ in try await guarded(request) { session, _ in try await agents(session) } }
        router.get("/settings") { request, _ in try await guarded(request) { session, _ in
                let query = request.uri.queryParameters
                return try await settingsPage(session, appID: query.get("app"), flash: query.get("done"))
            } }
        for action in ["mode", "budget", "block", "unblock", "ruleset", "autoblock", "failedlogins", "unflag"] {
            let path: String = "/settings/" + action
            router.post(RouterPath(path)) { request, _ in
                try await guarded(request, post: true, admin: true) { session, form in try await changeSettings(action, form, session) }
            }
        }
    }

    // MARK: Sessions and guards

    /// Resolves the session cookie (redirecting to the login page without one) and, for POSTs, checks the CSRF
    /// token and the role before running `body` with the parsed form.
    func guarded(
        _ request: Request, post: Bool = false, admin: Bool = false,
        _ body: (SessionRecord, FormFields) async throws -> Response
    ) async throws -> Response {
        guard let token = request.cookies[Self.sessionCookie]?.value, let session = try await store.session(token: token) else {
            return redirect("/login")
        }
        var form = FormFields("")
        if post {
            let buffer = try await request.body.collect(upTo: 4 << 20)
            form = FormFields(String(buffer: buffer))
            guard let csrf = form["csrf"], constantTimeEquals(Array(csrf.utf8), Array(session.csrfToken.utf8)) else {
                return render("message", ["title": "Forbidden", "heading": "Forbidden", "text": "The form was stale or forged (CSRF token mismatch). Reload the page and try again."], session: session, status: .forbidden)
            }
            if admin, session.user.role != .admin {
                return render("message", ["title": "Forbidden", "heading": "Forbidden", "text": "Only administrators can change settings."], session: session, status: .forbidden)
            }
        }
        return try await body(session, form)
    }

    private func login(_ request: Request) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        let form = FormFields(String(buffer: buffer))
        let username = form["username"] ?? ""
        let password = form["password"] ?? ""
        let failures = try await store.recentLoginFailures(username: username, window: configuration.loginFailureWindow)
        if failures >= configuration.maxLoginFailures {
            return render("login", ["title": "Sign in", "problem": "Too many failed attempts for this user; try again later."], session: nil, status: .tooManyRequests)
        }
        guard let user = try await store.verifyLogin(username: username, password: password) else {
            return render("login", ["title": "Sign in", "problem": "Unknown user or wrong password."], session: nil, status: .unauthorized)
        }
        let token = try await store.createSession(for: user, lifetime: configuration.sessionLifetime)
        var response = redirect("/")
        response.setCookie(
            Cookie(name: Self.sessionCookie, value: token, maxAge: Int(configuration.sessionLifetime), path: "/",
                secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    private func logout(_ request: Request, _ session: SessionRecord) async throws -> Response {
        if let token = request.cookies[Self.sessionCookie]?.value { try await store.deleteSession(token: token) }
        var response = redirect("/login")
        response.setCookie(Cookie(name: Self.sessionCookie, value: "", maxAge: 0, path: "/", secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    // MARK: Pages

    /// The app / environment / window selection shared by the overview, signals and events pages.
    private struct Selection {
        var appID: String?
        var environment: String?
        var windowKey: String
        var filter: EventFilter

        static let windows: [(key: String, label: String, seconds: TimeInterval)] = [
            ("1h", "Last hour", 3600), ("6h", "Last 6 hours", 6 * 3600), ("24h", "Last 24 hours", 86_400),
            ("7d", "Last 7 days", 7 * 86_400), ("30d", "Last 30 days", 30 * 86_400),
        ]

        init(_ request: Request, now: Date = Date()) {
            let query = request.uri.queryParameters
            appID = query.get("app").flatMap { $0.isEmpty ? nil : $0 }
            environment = query.get("env").flatMap { $0.isEmpty ? nil : $0 }
            let key = query.get("window") ?? "24h"
            let window = Self.windows.first { $0.key == key } ?? Self.windows[2]
            windowKey = window.key
            filter = EventFilter(since: now.addingTimeInterval(-window.seconds), until: now.addingTimeInterval(1), appID: appID, environment: environment)
            filter.clientIP = query.get("ip").flatMap { $0.isEmpty ? nil : $0 }
            filter.category = query.get("category").flatMap { $0.isEmpty ? nil : $0 }
        }

        var query: String {
            FormFields.query([("app", appID), ("env", environment), ("window", windowKey)])
        }
    }

    private func filterContext(_ selection: Selection, hidden: [(String, String?)] = []) async throws -> [String: Any] {
        let apps = try await store.apps()
        let environments = try await store.environments()
        return [
            "apps": apps.map { ["appID": $0.appID, "name": $0.name, "selected": $0.appID == selection.appID] as [String: Any] },
            "environments": environments.map { ["name": $0, "selected": $0 == selection.environment] as [String: Any] },
            "windows": Selection.windows.map { ["value": $0.key, "label": $0.label, "selected": $0.key == selection.windowKey] as [String: Any] },
            "hiddenFields": hidden.compactMap { name, value in value.map { ["name": name, "value": $0] } },
            "query": selection.query,
        ]
    }

    private func overview(_ request: Request, _ session: SessionRecord) async throws -> Response {
        let selection = Selection(request)
        // Whole minutes: the overview then reads only its counters, never the events.
        var filter = selection.filter.wholeMinutes()
        filter.clientIP = nil
        filter.category = nil
        let data = try await store.overview(filter)
        var context = try await filterContext(selection)
        let count = { (items: [OverviewData.Count]) in items.map { ["label": $0.label, "count": $0.count, "query": selection.query] as [String: Any] } }
        context.merge([
            "title": "Overview", "navOverview": true, "total": data.total, "blocked": data.blocked, "monitored": data.monitored,
            "chart": TimelineChart.svg(data.buckets, bucketSeconds: data.bucketSeconds),
            "bucketLabel": Self.describe(seconds: data.bucketSeconds),
            "topCategories": count(data.topCategories), "topIPs": count(data.topIPs), "topRoutes": count(data.topRoutes),
        ]) { $1 }
        return render("overview", context, session: session)
    }

    private func signals(_ request: Request, _ session: SessionRecord) async throws -> Response {
        let selection = Selection(request)
        let groups = try await store.signals(selection.filter)
        var context = try await filterContext(selection, hidden: [("ip", selection.filter.clientIP), ("category", selection.filter.category)])
        context.merge([
            "title": "Signals", "navSignals": true,
            "groups": groups.map { group in
                [
                    "clientIP": group.clientIP, "category": group.category, "count": group.count, "blocked": group.blocked,
                    "firstSeen": Self.time(group.firstSeen), "lastSeen": Self.time(group.lastSeen), "routes": group.routes,
                    "latestEventID": group.latestEventID,
                    "canBlock": session.user.role == .admin && selection.appID != nil, "appID": selection.appID ?? "",
                    "query": selection.query + "&" + FormFields.query([("ip", group.clientIP), ("category", group.category)]),
                ] as [String: Any]
            },
        ]) { $1 }
        return render("signals", context, session: session)
    }

    private func eventList(_ request: Request, _ session: SessionRecord) async throws -> Response {
        let selection = Selection(request)
        let events = try await store.events(selection.filter, limit: 200)
        var context = try await filterContext(selection, hidden: [("ip", selection.filter.clientIP), ("category", selection.filter.category)])
        context.merge([
            "title": "Events", "navSignals": true,
            "events": events.map { stored in
                [
                    "eventID": stored.event.eventID.uuidString, "time": Self.time(stored.event.timestamp), "appName": stored.appName,
                    "environment": stored.environment, "kind": stored.event.kind.rawValue, "blocked": stored.event.blocked,
                    "method": stored.event.method, "path": stored.event.path, "ruleID": stored.event.rules.first?.ruleID ?? "",
                ] as [String: Any]
            },
        ]) { $1 }
        if let clientIP = Self.nonEmpty(selection.filter.clientIP) { context["clientIP"] = clientIP }
        if let category = Self.nonEmpty(selection.filter.category) { context["category"] = category }
        return render("events", context, session: session)
    }

    private func eventDetail(_ id: String, _ session: SessionRecord) async throws -> Response {
        guard let stored = try await store.event(id: id) else {
            return render("message", ["title": "Not found", "heading": "Not found", "text": "No event with this id (it may have been deleted by retention)."], session: session, status: .notFound)
        }
        let event = stored.event
        let context: [String: Any?] = [
            "title": "Event", "navSignals": true, "eventID": event.eventID.uuidString, "time": Self.time(event.timestamp),
            "appName": stored.appName, "environment": stored.environment, "agentID": stored.agentID, "kind": event.kind.rawValue,
            "blocked": event.blocked, "status": event.status.map(String.init), "method": event.method, "path": event.path,
            "route": Self.nonEmpty(event.route), "clientIP": event.clientIP, "userID": Self.nonEmpty(event.userID),
            "userAgent": Self.nonEmpty(event.userAgent),
            "rules": event.rules.map { rule -> [String: Any] in
                let fields: [String: Any?] = [
                    "ruleID": rule.ruleID, "ruleName": rule.ruleName, "category": rule.category, "crsID": Self.nonEmpty(rule.crsID),
                    "operator": rule.operator, "operatorValue": Self.nonEmpty(rule.operatorValue), "address": rule.address,
                    "keyPath": rule.keyPath, "highlight": rule.highlight,
                    "segments": HighlightSegments.split(rule.value, highlights: rule.highlight).map { ["text": $0.text, "hit": $0.isMatch] as [String: Any] },
                ]
                return fields.compactMapValues { $0 }
            },
            "hasStack": !(event.stack ?? []).isEmpty, "stack": event.stack ?? [],
            "headers": (event.request?.headers ?? [:]).sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] },
            "query": (event.request?.query ?? [:]).sorted { $0.key < $1.key }.map { ["name": $0.key, "values": $0.value] as [String: Any] },
        ]
        return render("event", context.compactMapValues { $0 }, session: session)
    }

    private func agents(_ session: SessionRecord) async throws -> Response {
        let agents = try await store.agents()
        let now = Date()
        var latestPerApp: [String: AgentRecord] = [:]
        for agent in agents where (latestPerApp[agent.appID]?.lastLogin ?? .distantPast) < agent.lastLogin {
            latestPerApp[agent.appID] = agent
        }
        let context: [String: Any] = [
            "title": "Agents", "navAgents": true,
            "agents": agents.map { agent in
                [
                    "appName": agent.appName, "environment": agent.environment, "hostname": agent.hostname, "framework": agent.framework,
                    "rampartVersion": agent.rampartVersion, "swiftVersion": agent.swiftVersion, "os": agent.os,
                    "rulesetVersion": agent.rulesetVersion ?? "embedded",
                    "lastHeartbeat": agent.lastHeartbeat.map(Self.time) ?? "never", "health": agent.health(at: now).rawValue,
                    "totalRequests": agent.totalRequests, "totalAttacks": agent.totalAttacks, "totalBlocked": agent.totalBlocked,
                    "droppedEvents": agent.droppedEvents, "wafTimeouts": agent.wafTimeouts, "wafP99Micros": agent.wafP99Micros,
                ] as [String: Any]
            },
            "inventories": latestPerApp.values.sorted { $0.appName < $1.appName }.map { agent in
                [
                    "appName": agent.appName, "hostname": agent.hostname, "environment": agent.environment,
                    "routeCount": agent.routes.count, "dependencyCount": agent.dependencies.count,
                    "routes": agent.routes.map { ["method": $0.method, "path": $0.path] },
                    "dependencies": agent.dependencies.map { ["name": $0.name, "version": $0.version] },
                ] as [String: Any]
            },
        ]
        return render("agents", context, session: session)
    }

    private func settingsPage(_ session: SessionRecord, appID: String?, flash: String? = nil, problem: String? = nil) async throws -> Response {
        let apps = try await store.apps()
        let selectedID = appID ?? apps.first?.appID
        var context: [String: Any] = [
            "title": "Settings", "navSettings": true, "readOnly": session.user.role != .admin,
            "apps": apps.map { ["appID": $0.appID, "name": $0.name, "selected": $0.appID == selectedID] as [String: Any] },
        ]
        if let flash { context["flash"] = flash }
        if let problem { context["problem"] = problem }
        if let selectedID, apps.contains(where: { $0.appID == selectedID }) {
            let settings = try await store.settings(appID: selectedID)
            let lastMonth = EventFilter(since: Date().addingTimeInterval(-30 * 86_400), until: Date().addingTimeInterval(1), appID: selectedID)
            let seen = try await store.overview(lastMonth.wholeMinutes(), bucketCount: 1)
                .topCategories.map(\.label)
            let categories = Set(Self.knownCategories + seen + settings.categoryModes.keys).sorted()
            let defaultMode = settings.defaultMode ?? .monitor
            context.merge([
                "hasApp": true, "appID": selectedID, "revision": settings.revision,
                "defaultModes": ProtectionMode.allCases.map { ["value": $0.rawValue, "selected": $0 == defaultMode] as [String: Any] },
                "categories": categories.map { name in
                    let mode = settings.categoryModes[name] ?? defaultMode
                    return ["name": name, "mode": settings.categoryModes[name].map(\.rawValue) ?? "\(defaultMode.rawValue) (default)",
                            "monitor": mode == .monitor, "block": mode == .block] as [String: Any]
                },
                "budget": settings.budgetMicros.map(String.init) ?? "",
                "blocklist": settings.blocklist.map { entry in
                    ["list": entry.list.rawValue, "value": entry.value, "expires": entry.expiresAt.map(Self.time) ?? "never", "reason": entry.reason]
                },
                "rulesets": settings.rulesets.map { ["version": $0.version, "uploadedAt": Self.time($0.uploadedAt), "diagnostics": $0.diagnostics] },
            ]) { $1 }
            if let version = Self.nonEmpty(settings.rulesetVersion) { context["rulesetVersion"] = version }
            let playbook = try await store.autoBlock(appID: selectedID)
            context["autoBlockEnabled"] = playbook != nil
            context["autoBlockThreshold"] = playbook?.threshold ?? 20
            context["autoBlockWindow"] = playbook?.windowMinutes ?? 5
            context["autoBlockMinutes"] = playbook?.blockMinutes ?? 60
            let failedLogins = try await store.failedLoginPlaybook(appID: selectedID)
            context["failedLoginEnabled"] = failedLogins != nil
            context["failedLoginThreshold"] = failedLogins?.threshold ?? 10
            context["failedLoginWindow"] = failedLogins?.windowMinutes ?? 10
            context["failedLoginBlockMinutes"] = failedLogins?.blockMinutes ?? 0
            context["flaggedUsers"] = try await store.flaggedUsers(appID: selectedID).map { user in
                ["user": user.userID, "failures": user.failures, "flaggedAt": Self.time(user.flaggedAt), "reason": user.reason] as [String: Any]
            }
        }
        return render("settings", context, session: session)
    }

    private func changeSettings(_ action: String, _ form: FormFields, _ session: SessionRecord) async throws -> Response {
        guard let appID = form["app"], try await store.app(id: appID) != nil else {
            return render("message", ["title": "Not found", "heading": "Not found", "text": "Unknown application."], session: session, status: .notFound)
        }
        let done: String
        do {
            switch action {
            case "mode":
                guard let mode = form["mode"].flatMap(ProtectionMode.init(rawValue:)) else { throw StorageError("mode must be monitor or block") }
                let category = form["category"].flatMap { $0.isEmpty ? nil : $0 }
                if let category, category.utf8.count > 64 || category.contains(where: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
                    throw StorageError("a category is letters, digits, _ and - only")
                }
                try await store.setMode(mode, category: category, appID: appID)
                done = "Mode for \(category ?? "all categories") set to \(mode.rawValue)."
            case "budget":
                guard let micros = form["micros"].flatMap({ Int($0) }) else { throw StorageError("the budget must be a number of microseconds") }
                try await store.setBudget(micros: micros, appID: appID)
                done = "WAF budget set to \(micros) µs."
            case "block":
                guard let list = form["list"].flatMap(BlocklistKind.init(rawValue:)), let value = form["value"] else {
                    throw StorageError("choose a list and a value")
                }
                let minutes = form["minutes"].flatMap { Int($0) } ?? 0
                guard (0...525_600).contains(minutes) else { throw StorageError("minutes must be 0 to 525600") }
                if list == .ip, !Self.looksLikeIPOrCIDR(value) { throw StorageError("\(value) is not an IP address or CIDR range") }
                let expiry = minutes > 0 ? Date().addingTimeInterval(Double(minutes) * 60) : nil
                try await store.block(list, value: value, expiresAt: expiry, reason: form["reason"] ?? "by \(session.user.username)", appID: appID)
                done = "Blocked \(value)\(minutes > 0 ? " for \(minutes) minutes" : "")."
            case "unblock":
                guard let list = form["list"].flatMap(BlocklistKind.init(rawValue:)), let value = form["value"] else {
                    throw StorageError("choose a list and a value")
                }
                try await store.unblock(list, value: value, appID: appID)
                done = "Removed \(value) from the \(list.rawValue) blocklist."
            case "autoblock":
                if form["enabled"] == "on" {
                    let playbook = try AutoBlockPlaybook(
                        threshold: form["threshold"].flatMap { Int($0) } ?? 0, windowMinutes: form["window"].flatMap { Int($0) } ?? 0,
                        blockMinutes: form["minutes"].flatMap { Int($0) } ?? 0)
                    try await store.setAutoBlock(playbook, appID: appID)
                    done = "IPs with \(playbook.threshold) attacks within \(playbook.windowMinutes) minutes will be blocked for \(playbook.blockMinutes) minutes."
                } else {
                    try await store.setAutoBlock(nil, appID: appID)
                    done = "Automatic IP blocking is off."
                }
            case "failedlogins":
                if form["enabled"] == "on" {
                    let playbook = try FailedLoginPlaybook(
                        threshold: form["threshold"].flatMap { Int($0) } ?? 0, windowMinutes: form["window"].flatMap { Int($0) } ?? 0,
                        blockMinutes: form["minutes"].flatMap { Int($0) } ?? 0)
                    try await store.setFailedLoginPlaybook(playbook, appID: appID)
                    done = "Users with \(playbook.threshold) failed logins within \(playbook.windowMinutes) minutes will be flagged"
                        + (playbook.blockMinutes > 0 ? " and blocked for \(playbook.blockMinutes) minutes." : ".")
                } else {
                    try await store.setFailedLoginPlaybook(nil, appID: appID)
                    done = "Failed-login flagging is off."
                }
            case "unflag":
                guard let user = form["user"], !user.isEmpty else { throw StorageError("choose a user") }
                try await store.unflagUser(user, appID: appID)
                done = "Cleared the flag on \(user)."
            case "ruleset":
                let text = form["ruleset"] ?? ""
                let report: RulesetValidator.Report
                do {
                    report = try RulesetValidator.validate(text)
                } catch {
                    throw StorageError("ruleset rejected: \(error)")
                }
                try await store.uploadRuleset(version: report.version, document: text, diagnostics: report.summary, appID: appID)
                done = "Ruleset \(report.version) published (\(report.summary))."
            default:
                throw StorageError("unknown action")
            }
        } catch let error as StorageError {
            return try await settingsPage(session, appID: appID, problem: error.message)
        }
        return redirect("/settings?" + FormFields.query([("app", appID), ("done", done)]))
    }

    // MARK: Rendering

    func render(_ template: String, _ context: [String: Any], session: SessionRecord?, status: HTTPResponse.Status = .ok) -> Response {
        var context = context
        context["version"] = RampartPlatform.version
        if let session {
            context["session"] = ["username": session.user.username, "role": session.user.role.rawValue, "csrf": session.csrfToken]
            context["csrf"] = session.csrfToken
        }
        let html = library.render(context, withTemplate: template) ?? ""
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    private func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=300"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// Mustache treats an empty string as true in sections, so absent values must be absent keys.
    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    static func time(_ date: Date) -> String {
        ProtocolTimestamp.string(from: date)
    }

    static func describe(seconds: Int) -> String {
        if seconds % 86_400 == 0 { return "\(seconds / 86_400) d" }
        if seconds % 3600 == 0 { return "\(seconds / 3600) h" }
        if seconds % 60 == 0 { return "\(seconds / 60) min" }
        return "\(seconds) s"
    }

    static func looksLikeIPOrCIDR(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = parts.first, !address.isEmpty else { return false }
        if parts.count == 2, Int(parts[1]).map({ (0...128).contains($0) }) != true { return false }
        let isV4 = address.split(separator: ".", omittingEmptySubsequences: false).count == 4
            && address.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { UInt8($0) != nil }
        let isV6 = address.contains(":") && address.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        return isV4 || isV6
    }
}
