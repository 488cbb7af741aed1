import Foundation
import Hummingbird

/// Dashboard pages for webhooks (list, add, remove, delivery log) and vulnerable dependencies. Reuses the
/// dashboard's session, CSRF and role checks and its rendering.
struct AutomationController: Sendable {
    let dashboard: DashboardController
    let webhooks: WebhookDispatcher
    let validator: WebhookURLValidator

    var store: PlatformStore { dashboard.store }

    func register(on router: Router<BasicRequestContext>) {
        router.get("/webhooks") { request, _ in
            try await dashboard.guarded(request) { session, _ in
                let query = request.uri.queryParameters
                return try await webhooksPage(session, flash: query.get("done"))
            }
        }
        router.post("/webhooks/add") { request, _ in
            try await dashboard.guarded(request, post: true, admin: true) { session, form in try await addWebhook(form, session) }
        }
        router.post("/webhooks/rotate-secret") { request, _ in
            try await dashboard.guarded(request, post: true, admin: true) { session, form in try await rotateSecret(form, session) }
        }
        router.post("/webhooks/remove") { request, _ in
            try await dashboard.guarded(request, post: true, admin: true) { session, form in try await removeWebhook(form, session) }
        }
        router.get("/vulnerabilities") { request, _ in
            try await dashboard.guarded(request) { session, _ in try await vulnerabilitiesPage(session) }
        }
    }

    /// A secret just generated, shown on the page that answers the POST (never in a URL) and never again.
    struct RevealedSecret {
        var url: String
        var secret: String
    }

    private func webhooksPage(
        _ session: SessionRecord, flash: String? = nil, problem: String? = nil, url: String = "", revealed: RevealedSecret? = nil
    ) async throws -> Response {
        let apps = try await store.apps()
        let names = Dictionary(apps.map { ($0.appID, $0.name) }, uniquingKeysWith: { first, _ in first })
        let hooks = try await store.webhooks()
        let urls = Dictionary(hooks.map { ($0.webhookID, $0.url) }, uniquingKeysWith: { first, _ in first })
        let deliveries = try await store.webhookDeliveries(limit: 50)
        var latest: [String: WebhookDeliveryRecord] = [:]
        for delivery in deliveries where latest[delivery.webhookID] == nil { latest[delivery.webhookID] = delivery }
        let statistics = webhooks.statistics
        var context: [String: Any] = [
            "title": "Webhooks", "navWebhooks": true, "readOnly": session.user.role != .admin, "url": url,
            "allowInternal": validator.allowInternal,
            "apps": apps.map { ["appID": $0.appID, "name": $0.name] },
            "webhooks": hooks.map { hook -> [String: Any] in
                var row: [String: Any] = [
                    "webhookID": hook.webhookID, "url": hook.url,
                    "scope": hook.appID.map { names[$0] ?? $0 } ?? "all applications",
                    "triggers": [hook.onEvents ? "security events" : nil, hook.onPlaybooks ? "playbook runs" : nil].compactMap { $0 }.joined(separator: ", "),
                    "createdAt": DashboardController.time(hook.createdAt), "createdBy": hook.createdBy,
                    "signing": hook.signingSecret.isEmpty ? "unsigned (rotate to sign)" : "HMAC-SHA256",
                ]
                if let last = latest[hook.webhookID] {
                    row["lastStatus"] = last.status.rawValue
                    row["lastTime"] = DashboardController.time(last.updatedAt)
                }
                return row
            },
            "deliveries": deliveries.map { delivery in
                [
                    "time": DashboardController.time(delivery.updatedAt), "url": urls[delivery.webhookID] ?? delivery.webhookID,
                    "kind": delivery.kind.rawValue, "items": delivery.itemCount, "attempts": delivery.attempts,
                    "status": delivery.status.rawValue, "detail": delivery.detail,
                ] as [String: Any]
            },
            "queued": statistics.queued, "dropped": statistics.dropped, "delivered": statistics.delivered, "failed": statistics.failed,
        ]
        if let flash = DashboardController.nonEmpty(flash) { context["flash"] = flash }
        if let problem { context["problem"] = problem }
        if let revealed { context["revealed"] = ["url": revealed.url, "secret": revealed.secret] }
        return dashboard.render("webhooks", context, session: session)
    }

    private func addWebhook(_ form: FormFields, _ session: SessionRecord) async throws -> Response {
        let url = (form["url"] ?? "").trimmingCharacters(in: .whitespaces)
        let scope = form["app"].flatMap { $0.isEmpty ? nil : $0 }
        do {
            _ = try await validator.validate(url)
            let hook = try await store.addWebhook(
                url: url, appID: scope, onEvents: form["events"] == "on", onPlaybooks: form["playbooks"] == "on",
                createdBy: session.user.username)
            return try await webhooksPage(
                session, flash: "Webhook \(hook.url) added.", revealed: RevealedSecret(url: hook.url, secret: hook.signingSecret))
        } catch let error as WebhookURLError {
            return try await webhooksPage(session, problem: "Webhook URL refused: \(error.reason)", url: url)
        } catch let error as StorageError {
            return try await webhooksPage(session, problem: error.message, url: url)
        }
    }

    private func rotateSecret(_ form: FormFields, _ session: SessionRecord) async throws -> Response {
        guard let id = form["webhook"], let hook = try await store.webhooks().first(where: { $0.webhookID == id }),
            let secret = try await store.rotateWebhookSecret(id: id)
        else {
            return try await webhooksPage(session, problem: "No such webhook.")
        }
        return try await webhooksPage(
            session, flash: "New signing secret for \(hook.url); the old one no longer signs.",
            revealed: RevealedSecret(url: hook.url, secret: secret))
    }

    private func removeWebhook(_ form: FormFields, _ session: SessionRecord) async throws -> Response {
        guard let id = form["webhook"], try await store.removeWebhook(id: id) else {
            return try await webhooksPage(session, problem: "No such webhook.")
        }
        return dashboard.redirect("/webhooks?" + FormFields.query([("done", "Webhook removed.")]))
    }

    private func vulnerabilitiesPage(_ session: SessionRecord) async throws -> Response {
        let (advisoryCount, applications) = try await store.vulnerableApplications()
        let vulnerable = applications.filter { !$0.findings.isEmpty }
        let clean = applications.filter { $0.findings.isEmpty }
        let context: [String: Any] = [
            "title": "Vulnerable dependencies", "navVulnerabilities": true, "advisoryCount": advisoryCount,
            "hasAdvisories": advisoryCount > 0, "vulnerableCount": vulnerable.count, "hasClean": !clean.isEmpty,
            "applications": vulnerable.map { application in
                [
                    "appName": application.appName, "environment": application.environment, "hostname": application.hostname,
                    "reportedAt": DashboardController.time(application.reportedAt),
                    "unchecked": application.uncheckedDependencies.isEmpty ? nil : application.uncheckedDependencies.count,
                    "findings": application.findings.map { finding in
                        [
                            "package": finding.package, "installed": finding.installedVersion, "advisoryID": finding.advisoryID,
                            "aliases": finding.aliases.joined(separator: ", "), "summary": finding.summary,
                            "fixed": finding.fixedVersions.isEmpty ? "no fixed version known" : finding.fixedVersions.joined(separator: ", "),
                        ]
                    },
                ] as [String: Any?]
            }.map { $0.compactMapValues { $0 } },
            "clean": clean.map {
                // Absent rather than 0: Mustache sections treat any present number as true.
                ["appName": $0.appName, "environment": $0.environment,
                 "unchecked": $0.uncheckedDependencies.isEmpty ? nil : $0.uncheckedDependencies.count] as [String: Any?]
            }.map { $0.compactMapValues { $0 } },
        ]
        return dashboard.render("vulnerabilities", context, session: session)
    }
}
