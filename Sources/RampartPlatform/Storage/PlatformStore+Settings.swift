import Foundation
import RampartProtocol

/// Settings per application. Every change bumps the application's settings revision and records it on the
/// changed row, so the commands an agent still needs are "rows changed after the revision it has".
extension PlatformStore {
    static let defaultModeSetting = "mode"
    static let categoryModePrefix = "mode:"
    static let budgetSetting = "budget"
    static let rulesetSetting = "ruleset"

    /// Sets (or with nil clears to monitor) the mode of one category, or the default mode when `category` is nil.
    public func setMode(_ mode: ProtectionMode, category: String?, appID: String) async throws {
        let name = category.map { Self.categoryModePrefix + $0 } ?? Self.defaultModeSetting
        try await putSetting(name: name, value: mode.rawValue, appID: appID)
    }

    public func setBudget(micros: Int, appID: String) async throws {
        guard (1...10_000_000).contains(micros) else { throw StorageError("the WAF budget must be 1 to 10,000,000 µs") }
        try await putSetting(name: Self.budgetSetting, value: String(micros), appID: appID)
    }

    /// Stores a ruleset document under `version` and makes it the application's active ruleset.
    public func uploadRuleset(version: String, document: String, diagnostics: String, appID: String, now: Date = Date()) async throws {
        let nowMillis = Timestamp.milliseconds(now)
        try await database.transaction { executor in
            let revision = try await Self.bumpRevision(appID: appID, executor: executor)
            try await executor.query(
                """
                INSERT INTO rulesets (app_id, version, document, uploaded_at, diagnostics) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (app_id, version) DO UPDATE SET document = excluded.document,
                    uploaded_at = excluded.uploaded_at, diagnostics = excluded.diagnostics
                """,
                [.text(appID), .text(version), .text(document), .integer(nowMillis), .text(diagnostics)])
            try await Self.upsertSetting(
                name: Self.rulesetSetting, value: version, revision: revision, appID: appID, executor: executor)
        }
    }

    public func ruleset(version: String, appID: String) async throws -> String? {
        try await database.query(
            "SELECT document FROM rulesets WHERE app_id = $1 AND version = $2", [.text(appID), .text(version)]
        ).first?.string("document")
    }

    /// Adds or refreshes a blocklist entry.
    public func block(_ list: BlocklistKind, value: String, expiresAt: Date?, reason: String, appID: String, now: Date = Date()) async throws {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 256 else { throw StorageError("a blocklist value must have 1 to 256 characters") }
        let nowMillis = Timestamp.milliseconds(now)
        try await database.transaction { executor in
            let revision = try await Self.bumpRevision(appID: appID, executor: executor)
            try await executor.query(
                """
                INSERT INTO blocklist (app_id, list, value, expires_at, reason, created_at, created_revision, removed_revision)
                VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)
                ON CONFLICT (app_id, list, value) DO UPDATE SET expires_at = excluded.expires_at, reason = excluded.reason,
                    created_at = excluded.created_at, created_revision = excluded.created_revision, removed_revision = NULL
                """,
                [.text(appID), .text(list.rawValue), .text(trimmed), expiresAt.map { .integer(Timestamp.milliseconds($0)) } ?? .null,
                 .text(reason), .integer(nowMillis), .int(revision)])
        }
    }

    public func unblock(_ list: BlocklistKind, value: String, appID: String) async throws {
        try await database.transaction { executor in
            let revision = try await Self.bumpRevision(appID: appID, executor: executor)
            try await executor.query(
                "UPDATE blocklist SET removed_revision = $1 WHERE app_id = $2 AND list = $3 AND value = $4 AND removed_revision IS NULL",
                [.int(revision), .text(appID), .text(list.rawValue), .text(value)])
        }
    }

    public func settings(appID: String, now: Date = Date()) async throws -> AppSettings {
        let revision = try await database.query(
            "SELECT settings_revision FROM apps WHERE app_id = $1", [.text(appID)]
        ).first?.int("settings_revision") ?? 0
        var settings = AppSettings(
            revision: revision, defaultMode: nil, categoryModes: [:], budgetMicros: nil, rulesetVersion: nil,
            blocklist: [], rulesets: [])
        for row in try await database.query("SELECT name, value FROM app_settings WHERE app_id = $1", [.text(appID)]) {
            guard let name = row.string("name"), let value = row.string("value") else { continue }
            if name == Self.defaultModeSetting {
                settings.defaultMode = ProtectionMode(rawValue: value)
            } else if name.hasPrefix(Self.categoryModePrefix) {
                settings.categoryModes[String(name.dropFirst(Self.categoryModePrefix.count))] = ProtectionMode(rawValue: value)
            } else if name == Self.budgetSetting {
                settings.budgetMicros = Int(value)
            } else if name == Self.rulesetSetting {
                settings.rulesetVersion = value
            }
        }
        settings.blocklist = try await database.query(
            """
            SELECT list, value, expires_at, reason, created_at FROM blocklist
            WHERE app_id = $1 AND removed_revision IS NULL AND (expires_at IS NULL OR expires_at > $2)
            ORDER BY list, created_at DESC
            """, [.text(appID), .integer(Timestamp.milliseconds(now))]
        ).compactMap { row in
            guard let list = row.string("list").flatMap(BlocklistKind.init(rawValue:)), let value = row.string("value") else { return nil }
            return BlocklistRecord(
                list: list, value: value, expiresAt: row.int("expires_at").map { Timestamp.date(Int64($0)) },
                reason: row.string("reason") ?? "", createdAt: Timestamp.date(Int64(row.int("created_at") ?? 0)))
        }
        settings.rulesets = try await database.query(
            "SELECT version, uploaded_at, diagnostics FROM rulesets WHERE app_id = $1 ORDER BY uploaded_at DESC", [.text(appID)]
        ).compactMap { row in
            guard let version = row.string("version") else { return nil }
            return RulesetRecord(
                version: version, uploadedAt: Timestamp.date(Int64(row.int("uploaded_at") ?? 0)),
                diagnostics: row.string("diagnostics") ?? "")
        }
        return settings
    }

    /// The commands that bring an agent from `revision` to the application's current settings, and that revision.
    /// With `revision` 0 (a login) this is the whole state; expired blocklist entries are never sent.
    public func commands(appID: String, since revision: Int, now: Date = Date()) async throws -> (commands: [AgentCommand], revision: Int) {
        try await database.transaction { executor in
            let current = try await executor.query(
                "SELECT settings_revision FROM apps WHERE app_id = $1", [.text(appID)]
            ).first?.int("settings_revision") ?? 0
            // An agent ahead of the platform (a restored database) gets the whole state.
            let since = revision > current ? 0 : revision
            guard current > since else { return ([], current) }
            var commands: [AgentCommand] = []
            let settingRows = try await executor.query(
                "SELECT name, value FROM app_settings WHERE app_id = $1 AND revision > $2 ORDER BY name",
                [.text(appID), .int(since)])
            var modes: [AgentCommand] = []
            var others: [AgentCommand] = []
            for row in settingRows {
                guard let name = row.string("name"), let value = row.string("value") else { continue }
                if name == Self.defaultModeSetting, let mode = ProtectionMode(rawValue: value) {
                    modes.insert(.setMode(category: nil, mode: mode), at: 0)
                } else if name.hasPrefix(Self.categoryModePrefix), let mode = ProtectionMode(rawValue: value) {
                    modes.append(.setMode(category: String(name.dropFirst(Self.categoryModePrefix.count)), mode: mode))
                } else if name == Self.budgetSetting, let micros = Int(value) {
                    others.append(.setBudget(micros: micros))
                } else if name == Self.rulesetSetting {
                    others.append(.fetchRuleset(version: value, url: RampartProtocol.Endpoint.ruleset(version: value)))
                }
            }
            commands += modes + others
            let nowMillis = Timestamp.milliseconds(now)
            let added = try await executor.query(
                """
                SELECT list, value, expires_at FROM blocklist
                WHERE app_id = $1 AND removed_revision IS NULL AND created_revision > $2
                    AND (expires_at IS NULL OR expires_at > $3)
                ORDER BY created_revision, value
                """, [.text(appID), .int(since), .integer(nowMillis)])
            var blockedIPs: [BlocklistEntry] = []
            var blockedUsers: [BlocklistEntry] = []
            for row in added {
                guard let value = row.string("value") else { continue }
                let entry = BlocklistEntry(value: value, expiresAt: row.int("expires_at").map { Timestamp.date(Int64($0)) })
                if row.string("list") == BlocklistKind.user.rawValue { blockedUsers.append(entry) } else { blockedIPs.append(entry) }
            }
            var unblockedIPs: [String] = []
            var unblockedUsers: [String] = []
            if since > 0 {
                let removed = try await executor.query(
                    """
                    SELECT list, value FROM blocklist
                    WHERE app_id = $1 AND removed_revision > $2 AND created_revision <= $3 ORDER BY removed_revision, value
                    """, [.text(appID), .int(since), .int(since)])
                for row in removed {
                    guard let value = row.string("value") else { continue }
                    if row.string("list") == BlocklistKind.user.rawValue { unblockedUsers.append(value) } else { unblockedIPs.append(value) }
                }
            }
            if !unblockedIPs.isEmpty { commands.append(.unblockIPs(unblockedIPs)) }
            if !unblockedUsers.isEmpty { commands.append(.unblockUsers(unblockedUsers)) }
            if !blockedIPs.isEmpty { commands.append(.blockIPs(blockedIPs)) }
            if !blockedUsers.isEmpty { commands.append(.blockUsers(blockedUsers)) }
            return (commands, current)
        }
    }

    private func putSetting(name: String, value: String, appID: String) async throws {
        try await database.transaction { executor in
            let revision = try await Self.bumpRevision(appID: appID, executor: executor)
            try await Self.upsertSetting(name: name, value: value, revision: revision, appID: appID, executor: executor)
        }
    }

    private static func upsertSetting(name: String, value: String, revision: Int, appID: String, executor: any SQLExecutor) async throws {
        try await executor.query(
            """
            INSERT INTO app_settings (app_id, name, value, revision) VALUES ($1, $2, $3, $4)
            ON CONFLICT (app_id, name) DO UPDATE SET value = excluded.value, revision = excluded.revision
            """, [.text(appID), .text(name), .text(value), .int(revision)])
    }

    /// Increments and returns the application's settings revision (row-locked on PostgreSQL until commit).
    private static func bumpRevision(appID: String, executor: any SQLExecutor) async throws -> Int {
        let rows = try await executor.query(
            "UPDATE apps SET settings_revision = settings_revision + 1 WHERE app_id = $1 RETURNING settings_revision",
            [.text(appID)])
        guard let revision = rows.first?.int("settings_revision") else { throw StorageError("no application \(appID)") }
        return revision
    }
}
