import Foundation

/// The playbook "at least `threshold` attacks from one IP within `windowMinutes` → block that IP for
/// `blockMinutes`", evaluated by the platform after each heartbeat that stored events.
public struct AutoBlockPlaybook: Sendable, Hashable {
    public var threshold: Int
    public var windowMinutes: Int
    public var blockMinutes: Int

    public init(threshold: Int, windowMinutes: Int, blockMinutes: Int) throws {
        guard (1...100_000).contains(threshold), (1...10_080).contains(windowMinutes), (1...525_600).contains(blockMinutes) else {
            throw StorageError("the auto-block playbook needs 1–100000 attacks, a 1–10080 minute window and a 1–525600 minute block")
        }
        self.threshold = threshold
        self.windowMinutes = windowMinutes
        self.blockMinutes = blockMinutes
    }

    /// Stored as `threshold:window:block`.
    var stored: String { "\(threshold):\(windowMinutes):\(blockMinutes)" }

    init?(stored: String) {
        let parts = stored.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 3, let playbook = try? AutoBlockPlaybook(threshold: parts[0], windowMinutes: parts[1], blockMinutes: parts[2])
        else { return nil }
        self = playbook
    }
}

extension PlatformStore {
    static let autoBlockSetting = "playbook:autoblock"

    /// Enables (or with nil disables) the auto-block playbook for an application. Not sent to agents: the
    /// platform runs it and sends the resulting blocks.
    public func setAutoBlock(_ playbook: AutoBlockPlaybook?, appID: String) async throws {
        try await setPlaybookSetting(Self.autoBlockSetting, to: playbook?.stored, appID: appID)
    }

    public func autoBlock(appID: String) async throws -> AutoBlockPlaybook? {
        try await playbookSetting(Self.autoBlockSetting, appID: appID).flatMap(AutoBlockPlaybook.init(stored:))
    }

    /// Stores a playbook's `app_settings` row (nil deletes it). Playbooks are not sent to agents: the platform runs
    /// them and sends what they decide.
    func setPlaybookSetting(_ name: String, to value: String?, appID: String) async throws {
        if let value {
            try await database.query(
                """
                INSERT INTO app_settings (app_id, name, value, revision) VALUES ($1, $2, $3, 0)
                ON CONFLICT (app_id, name) DO UPDATE SET value = excluded.value
                """, [.text(appID), .text(name), .text(value)])
        } else {
            try await database.query("DELETE FROM app_settings WHERE app_id = $1 AND name = $2", [.text(appID), .text(name)])
        }
    }

    func playbookSetting(_ name: String, appID: String) async throws -> String? {
        try await database.query(
            "SELECT value FROM app_settings WHERE app_id = $1 AND name = $2", [.text(appID), .text(name)]
        ).first?.string("value")
    }

    /// Blocks the given IPs that crossed the playbook's threshold and are not blocked yet; returns them.
    @discardableResult
    public func runAutoBlock(appID: String, candidateIPs: Set<String>, now: Date = Date()) async throws -> [String] {
        guard !candidateIPs.isEmpty, let playbook = try await autoBlock(appID: appID) else { return [] }
        let windowStart = Timestamp.milliseconds(now.addingTimeInterval(-Double(playbook.windowMinutes) * 60))
        let nowMillis = Timestamp.milliseconds(now)
        var blocked: [String] = []
        for ip in candidateIPs.sorted() {
            let count = try await database.query(
                "SELECT COUNT(*) AS n FROM events WHERE app_id = $1 AND client_ip = $2 AND occurred_at >= $3",
                [.text(appID), .text(ip), .integer(windowStart)]
            ).first?.int("n") ?? 0
            guard count >= playbook.threshold else { continue }
            let active = try await database.query(
                """
                SELECT value FROM blocklist WHERE app_id = $1 AND list = 'ip' AND value = $2 AND removed_revision IS NULL
                    AND (expires_at IS NULL OR expires_at > $3)
                """, [.text(appID), .text(ip), .integer(nowMillis)])
            guard active.isEmpty else { continue }
            try await block(
                .ip, value: ip, expiresAt: now.addingTimeInterval(Double(playbook.blockMinutes) * 60),
                reason: "playbook: \(count) attacks in \(playbook.windowMinutes) min", appID: appID, now: now)
            blocked.append(ip)
        }
        return blocked
    }
}
