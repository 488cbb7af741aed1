import Foundation

/// A URL the platform POSTs JSON to, for one application or (``appID`` nil) for all.
public struct WebhookRecord: Sendable, Hashable {
    public var webhookID: String
    public var appID: String?
    public var url: String
    /// POST new security events (one request per heartbeat that stored events).
    public var onEvents: Bool
    /// POST playbook runs (IPs blocked automatically).
    public var onPlaybooks: Bool
    public var createdAt: Date
    public var createdBy: String
    /// The HMAC key of the `Rampart-Signature` header (see ``WebhookSignature``); empty for a webhook added before
    /// signing existed, whose deliveries go unsigned until its secret is rotated. Shown once, when generated.
    public var signingSecret: String
}

/// One delivery of one payload to one webhook, with its retries.
public struct WebhookDeliveryRecord: Sendable, Hashable {
    public enum Status: String, Sendable {
        /// Being sent or waiting for a retry.
        case pending
        case delivered
        /// All attempts failed.
        case failed
        /// The URL failed the SSRF check at send time (e.g. its name now resolves to an internal address).
        case rejected
    }

    public var deliveryID: String
    public var webhookID: String
    public var kind: WebhookEventKind
    public var itemCount: Int
    public var createdAt: Date
    public var updatedAt: Date
    public var attempts: Int
    public var status: Status
    public var detail: String
}

/// What a webhook is told about.
public enum WebhookEventKind: String, Sendable, Hashable, CaseIterable {
    case securityEvents = "security_events"
    case playbookRun = "playbook_run"
}

extension PlatformStore {
    /// Stores a webhook whose URL the caller has validated (see ``WebhookURLValidator``), with a new signing
    /// secret (returned in the record: show it to the user once).
    public func addWebhook(
        url: String, appID: String?, onEvents: Bool, onPlaybooks: Bool, createdBy: String, now: Date = Date()
    ) async throws -> WebhookRecord {
        guard onEvents || onPlaybooks else { throw StorageError("choose at least one trigger: security events or playbook runs") }
        if let appID, try await app(id: appID) == nil { throw StorageError("no application \(appID)") }
        let record = WebhookRecord(
            webhookID: UUID().uuidString, appID: appID, url: url, onEvents: onEvents, onPlaybooks: onPlaybooks,
            createdAt: now, createdBy: createdBy, signingSecret: WebhookSignature.generateSecret())
        try await database.query(
            """
            INSERT INTO webhooks (webhook_id, app_id, url, on_events, on_playbooks, created_at, created_by, signing_secret)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            [.text(record.webhookID), .optionalText(appID), .text(url), .bool(onEvents), .bool(onPlaybooks),
             .integer(Timestamp.milliseconds(now)), .text(createdBy), .text(record.signingSecret)])
        return record
    }

    /// Replaces a webhook's signing secret and returns the new one (nil when there is no such webhook); deliveries
    /// from then on are signed with it.
    public func rotateWebhookSecret(id: String) async throws -> String? {
        let secret = WebhookSignature.generateSecret()
        let rows = try await database.query(
            "UPDATE webhooks SET signing_secret = $1 WHERE webhook_id = $2 RETURNING webhook_id", [.text(secret), .text(id)])
        return rows.isEmpty ? nil : secret
    }

    /// Removes a webhook and its delivery log; false when there was none.
    @discardableResult
    public func removeWebhook(id: String) async throws -> Bool {
        let removed = try await database.query("DELETE FROM webhooks WHERE webhook_id = $1 RETURNING webhook_id", [.text(id)])
        try await database.query("DELETE FROM webhook_deliveries WHERE webhook_id = $1", [.text(id)])
        return !removed.isEmpty
    }

    /// All webhooks, global ones first, then by creation time.
    public func webhooks() async throws -> [WebhookRecord] {
        try await database.query(
            "SELECT webhook_id, app_id, url, on_events, on_playbooks, created_at, created_by, signing_secret FROM webhooks ORDER BY app_id IS NOT NULL, created_at"
        ).compactMap(Self.webhookRecord)
    }

    /// The webhooks an application's `kind` notifications go to: its own and the global ones.
    public func webhooks(appID: String, kind: WebhookEventKind) async throws -> [WebhookRecord] {
        let column = kind == .securityEvents ? "on_events" : "on_playbooks"
        return try await database.query(
            """
            SELECT webhook_id, app_id, url, on_events, on_playbooks, created_at, created_by, signing_secret FROM webhooks
            WHERE (app_id IS NULL OR app_id = $1) AND \(column) = 1 ORDER BY created_at
            """, [.text(appID)]
        ).compactMap(Self.webhookRecord)
    }

    /// Inserts or updates a delivery's row.
    public func recordDelivery(_ delivery: WebhookDeliveryRecord) async throws {
        try await database.query(
            """
            INSERT INTO webhook_deliveries (delivery_id, webhook_id, kind, item_count, created_at, updated_at, attempts, status, detail)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (delivery_id) DO UPDATE SET updated_at = excluded.updated_at, attempts = excluded.attempts,
                status = excluded.status, detail = excluded.detail
            """,
            [.text(delivery.deliveryID), .text(delivery.webhookID), .text(delivery.kind.rawValue), .int(delivery.itemCount),
             .integer(Timestamp.milliseconds(delivery.createdAt)), .integer(Timestamp.milliseconds(delivery.updatedAt)),
             .int(delivery.attempts), .text(delivery.status.rawValue), .text(delivery.detail)])
    }

    /// The most recent deliveries, newest first, optionally of one webhook.
    public func webhookDeliveries(webhookID: String? = nil, limit: Int = 50) async throws -> [WebhookDeliveryRecord] {
        let limit = max(1, min(limit, 1000))
        let rows: [SQLRow]
        let columns = "delivery_id, webhook_id, kind, item_count, created_at, updated_at, attempts, status, detail"
        if let webhookID {
            rows = try await database.query(
                "SELECT \(columns) FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY created_at DESC, updated_at DESC LIMIT \(limit)",
                [.text(webhookID)])
        } else {
            rows = try await database.query("SELECT \(columns) FROM webhook_deliveries ORDER BY created_at DESC, updated_at DESC LIMIT \(limit)")
        }
        return rows.compactMap { row in
            guard let id = row.string("delivery_id"), let webhookID = row.string("webhook_id"),
                let kind = row.string("kind").flatMap(WebhookEventKind.init(rawValue:)),
                let status = row.string("status").flatMap(WebhookDeliveryRecord.Status.init(rawValue:))
            else { return nil }
            return WebhookDeliveryRecord(
                deliveryID: id, webhookID: webhookID, kind: kind, itemCount: row.int("item_count") ?? 0,
                createdAt: Timestamp.date(Int64(row.int("created_at") ?? 0)), updatedAt: Timestamp.date(Int64(row.int("updated_at") ?? 0)),
                attempts: row.int("attempts") ?? 0, status: status, detail: row.string("detail") ?? "")
        }
    }

    /// Deletes delivery log rows older than `date`; returns how many.
    @discardableResult
    public func pruneWebhookDeliveries(before date: Date) async throws -> Int {
        try await database.query(
            "DELETE FROM webhook_deliveries WHERE created_at < $1 RETURNING delivery_id", [.integer(Timestamp.milliseconds(date))]
        ).count
    }

    /// Of the given batch ids, those stored at exactly `receivedAt` (i.e. newly stored by the heartbeat that
    /// used that time), so a resent batch is not announced twice.
    func batchIDs(_ ids: [String], storedAt receivedAt: Date) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        var found: Set<String> = []
        // Chunks keep the bind count far below both databases' limits.
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let placeholders = chunk.indices.map { "$\($0 + 2)" }.joined(separator: ", ")
            let rows = try await database.query(
                "SELECT batch_id FROM event_batches WHERE received_at = $1 AND batch_id IN (\(placeholders))",
                [.integer(Timestamp.milliseconds(receivedAt))] + chunk.map(SQLValue.text))
            for row in rows { if let id = row.string("batch_id") { found.insert(id) } }
        }
        return found
    }

    static func webhookRecord(_ row: SQLRow) -> WebhookRecord? {
        guard let id = row.string("webhook_id"), let url = row.string("url") else { return nil }
        return WebhookRecord(
            webhookID: id, appID: row.string("app_id"), url: url, onEvents: row.int("on_events") == 1,
            onPlaybooks: row.int("on_playbooks") == 1, createdAt: Timestamp.date(Int64(row.int("created_at") ?? 0)),
            createdBy: row.string("created_by") ?? "", signingSecret: row.string("signing_secret") ?? "")
    }
}
