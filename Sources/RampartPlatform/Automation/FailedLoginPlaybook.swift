import Foundation
import RampartProtocol

/// The playbook "at least `threshold` failed logins for one user within `windowMinutes` → flag that user" (an
/// account-takeover or credential-stuffing signal), optionally also blocking the user for `blockMinutes`.
/// Evaluated by the platform after each heartbeat that stored failed-login events (`Rampart.trackLogin`).
public struct FailedLoginPlaybook: Sendable, Hashable {
    public var threshold: Int
    public var windowMinutes: Int
    /// 0: flag only. Otherwise the user is also put on the user blocklist for this many minutes.
    public var blockMinutes: Int

    public init(threshold: Int, windowMinutes: Int, blockMinutes: Int = 0) throws {
        guard (1...100_000).contains(threshold), (1...10_080).contains(windowMinutes), (0...525_600).contains(blockMinutes) else {
            throw StorageError(
                "the failed-login playbook needs 1–100000 failures, a 1–10080 minute window and a 0–525600 minute block")
        }
        self.threshold = threshold
        self.windowMinutes = windowMinutes
        self.blockMinutes = blockMinutes
    }

    /// Stored as `threshold:window:block`.
    var stored: String { "\(threshold):\(windowMinutes):\(blockMinutes)" }

    init?(stored: String) {
        let parts = stored.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 3,
            let playbook = try? FailedLoginPlaybook(threshold: parts[0], windowMinutes: parts[1], blockMinutes: parts[2])
        else { return nil }
        self = playbook
    }
}

/// A user the failed-login playbook flagged.
public struct FlaggedUser: Sendable, Hashable {
    public var userID: String
    public var failures: Int
    public var flaggedAt: Date
    public var reason: String
}

/// The table of flagged users. Numbered 11, after the automation tables.
enum FlaggedUsersSchema {
    static let migration = Migrations.Migration(
        version: 11, name: "users flagged by the failed-login playbook",
        statements: [
            """
            CREATE TABLE flagged_users (
                app_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                failures BIGINT NOT NULL,
                flagged_at BIGINT NOT NULL,
                reason TEXT NOT NULL,
                PRIMARY KEY (app_id, user_id)
            )
            """,
            "CREATE INDEX events_login_user ON events (app_id, user_id, occurred_at)",
        ])
}

extension PlatformStore {
    static let failedLoginSetting = "playbook:failedlogin"

    /// Enables (or with nil disables) the failed-login playbook for an application.
    public func setFailedLoginPlaybook(_ playbook: FailedLoginPlaybook?, appID: String) async throws {
        try await setPlaybookSetting(Self.failedLoginSetting, to: playbook?.stored, appID: appID)
    }

    public func failedLoginPlaybook(appID: String) async throws -> FailedLoginPlaybook? {
        try await playbookSetting(Self.failedLoginSetting, appID: appID).flatMap(FailedLoginPlaybook.init(stored:))
    }

    /// Flags the given users whose failed logins within the window reached the threshold and who were not flagged
    /// within that window already (a user still under attack is flagged again once per window); blocks them too
    /// when the playbook says so. Returns the users flagged now.
    @discardableResult
    public func runFailedLoginPlaybook(appID: String, candidateUsers: Set<String>, now: Date = Date()) async throws -> [String] {
        guard !candidateUsers.isEmpty, let playbook = try await failedLoginPlaybook(appID: appID) else { return [] }
        let windowStart = Timestamp.milliseconds(now.addingTimeInterval(-Double(playbook.windowMinutes) * 60))
        let nowMillis = Timestamp.milliseconds(now)
        var flagged: [String] = []
        for user in candidateUsers.sorted() {
            let failures = try await database.query(
                """
                SELECT COUNT(*) AS n FROM events
                WHERE app_id = $1 AND user_id = $2 AND kind = '\(EventKind.login.rawValue)' AND rule_id = $3 AND occurred_at >= $4
                """,
                [.text(appID), .text(user), .text(EventKind.loginFailureRuleID), .integer(windowStart)]
            ).first?.int("n") ?? 0
            guard failures >= playbook.threshold else { continue }
            let recent = try await database.query(
                "SELECT flagged_at FROM flagged_users WHERE app_id = $1 AND user_id = $2 AND flagged_at >= $3",
                [.text(appID), .text(user), .integer(windowStart)])
            guard recent.isEmpty else { continue }
            let reason = "playbook: \(failures) failed logins in \(playbook.windowMinutes) min"
            try await database.query(
                """
                INSERT INTO flagged_users (app_id, user_id, failures, flagged_at, reason) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (app_id, user_id) DO UPDATE
                    SET failures = excluded.failures, flagged_at = excluded.flagged_at, reason = excluded.reason
                """, [.text(appID), .text(user), .integer(Int64(failures)), .integer(nowMillis), .text(reason)])
            if playbook.blockMinutes > 0 {
                try await block(
                    .user, value: user, expiresAt: now.addingTimeInterval(Double(playbook.blockMinutes) * 60), reason: reason,
                    appID: appID, now: now)
            }
            flagged.append(user)
        }
        return flagged
    }

    /// Users flagged by the failed-login playbook, most recent first.
    public func flaggedUsers(appID: String, limit: Int = 100) async throws -> [FlaggedUser] {
        try await database.query(
            """
            SELECT user_id, failures, flagged_at, reason FROM flagged_users WHERE app_id = $1
            ORDER BY flagged_at DESC, user_id LIMIT $2
            """, [.text(appID), .integer(Int64(max(1, min(limit, 1000))))]
        ).map { row in
            FlaggedUser(
                userID: row.string("user_id") ?? "", failures: row.int("failures") ?? 0,
                flaggedAt: Timestamp.date(Int64(row.int("flagged_at") ?? 0)), reason: row.string("reason") ?? "")
        }
    }

    /// Clears a flag (the user was checked).
    public func unflagUser(_ userID: String, appID: String) async throws {
        try await database.query(
            "DELETE FROM flagged_users WHERE app_id = $1 AND user_id = $2", [.text(appID), .text(userID)])
    }
}
