import RampartProtocol

/// The schema, as an ordered list of migrations recorded in `schema_migrations`. The same DDL serves SQLite and
/// PostgreSQL: text ids, BIGINT Unix-millisecond timestamps, 0/1 integers for booleans.
enum Migrations {
    struct Migration: Sendable {
        var version: Int
        var name: String
        var statements: [String]
        /// Replaces `statements` on SQLite, for the rare step whose DDL differs (WITHOUT ROWID tables).
        var sqliteStatements: [String]? = nil
    }

    /// Every migration, in the order applied.
    static let all: [Migration] = schema + [
        AutomationSchema.migration, FlaggedUsersSchema.migration, WebhookSigningSchema.migration, loginIndexMigration,
        EventRollups.minuteTopsMigration,
    ]

    /// Only login events are counted per user (the failed-login playbook, whose query names the kind as a literal
    /// so that both planners use a partial index): attack events no longer update this index. After version 11,
    /// which created the full index.
    static let loginIndexMigration = Migration(version: 13, name: "index login events only by user", statements: [
        "DROP INDEX events_login_user",
        "CREATE INDEX events_login_user ON events (app_id, user_id, occurred_at) WHERE kind = '\(EventKind.login.rawValue)'",
    ])

    static let schema: [Migration] = [
        Migration(version: 1, name: "initial schema", statements: [
            """
            CREATE TABLE apps (
                app_id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                key_id TEXT NOT NULL UNIQUE,
                key_salt TEXT NOT NULL,
                key_hash TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                settings_revision BIGINT NOT NULL DEFAULT 0
            )
            """,
            """
            CREATE TABLE agents (
                agent_id TEXT PRIMARY KEY,
                app_id TEXT NOT NULL REFERENCES apps (app_id),
                environment TEXT NOT NULL,
                hostname TEXT NOT NULL,
                rampart_version TEXT NOT NULL,
                swift_version TEXT NOT NULL,
                os TEXT NOT NULL,
                framework TEXT NOT NULL,
                routes TEXT NOT NULL,
                dependencies TEXT NOT NULL,
                first_seen BIGINT NOT NULL,
                last_login BIGINT NOT NULL,
                last_heartbeat BIGINT,
                heartbeat_interval BIGINT NOT NULL,
                last_sequence BIGINT NOT NULL DEFAULT 0,
                delivered_revision BIGINT NOT NULL DEFAULT 0,
                ruleset_version TEXT,
                total_requests BIGINT NOT NULL DEFAULT 0,
                total_blocked BIGINT NOT NULL DEFAULT 0,
                total_attacks BIGINT NOT NULL DEFAULT 0,
                dropped_events BIGINT NOT NULL DEFAULT 0,
                waf_timeouts BIGINT NOT NULL DEFAULT 0,
                waf_p99_micros BIGINT NOT NULL DEFAULT 0
            )
            """,
            "CREATE INDEX agents_app ON agents (app_id, last_login)",
            """
            CREATE TABLE event_batches (
                batch_id TEXT PRIMARY KEY,
                app_id TEXT NOT NULL,
                agent_id TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                event_count BIGINT NOT NULL
            )
            """,
            "CREATE INDEX event_batches_received ON event_batches (received_at)",
            """
            CREATE TABLE events (
                event_id TEXT PRIMARY KEY,
                batch_id TEXT NOT NULL,
                app_id TEXT NOT NULL,
                agent_id TEXT NOT NULL,
                environment TEXT NOT NULL,
                occurred_at BIGINT NOT NULL,
                received_at BIGINT NOT NULL,
                kind TEXT NOT NULL,
                blocked BIGINT NOT NULL,
                route TEXT NOT NULL,
                method TEXT NOT NULL,
                path TEXT NOT NULL,
                client_ip TEXT NOT NULL,
                user_id TEXT,
                category TEXT NOT NULL,
                rule_id TEXT NOT NULL,
                document TEXT NOT NULL
            )
            """,
            "CREATE INDEX events_time ON events (occurred_at)",
            "CREATE INDEX events_app_time ON events (app_id, occurred_at)",
            "CREATE INDEX events_ip_time ON events (client_ip, occurred_at)",
            """
            CREATE TABLE app_settings (
                app_id TEXT NOT NULL,
                name TEXT NOT NULL,
                value TEXT NOT NULL,
                revision BIGINT NOT NULL,
                PRIMARY KEY (app_id, name)
            )
            """,
            """
            CREATE TABLE blocklist (
                app_id TEXT NOT NULL,
                list TEXT NOT NULL,
                value TEXT NOT NULL,
                expires_at BIGINT,
                reason TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                created_revision BIGINT NOT NULL,
                removed_revision BIGINT,
                PRIMARY KEY (app_id, list, value)
            )
            """,
            """
            CREATE TABLE rulesets (
                app_id TEXT NOT NULL,
                version TEXT NOT NULL,
                document TEXT NOT NULL,
                uploaded_at BIGINT NOT NULL,
                diagnostics TEXT NOT NULL,
                PRIMARY KEY (app_id, version)
            )
            """,
            """
            CREATE TABLE users (
                username TEXT PRIMARY KEY,
                password_hash TEXT NOT NULL,
                role TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                username TEXT NOT NULL,
                csrf_token TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE login_failures (
                username TEXT NOT NULL,
                failed_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX login_failures_user ON login_failures (username, failed_at)",
        ]),
        // The dashboard's aggregates read only these columns: a covering index spares reading the event
        // documents, which make up most of each row.
        Migration(version: 2, name: "covering index for dashboard aggregates", statements: [
            "CREATE INDEX events_dashboard ON events (occurred_at, app_id, environment, blocked, category, client_ip, route)",
        ]),
        // Counters the overview reads instead of the events (see EventRollups), backfilled from stored events.
        EventRollups.migration,
        // events_dashboard starts with occurred_at, so it serves every query events_time did; one index fewer to
        // update per stored event.
        Migration(version: 4, name: "drop the index duplicated by events_dashboard", statements: [
            "DROP INDEX events_time",
        ]),
        // Groups of the signals page (see EventRollups), backfilled from stored events.
        EventRollups.signalsMigration,
    ]

    /// Applies the migrations not yet recorded, in one transaction. On PostgreSQL an advisory lock makes
    /// instances starting together take turns; the loser then finds the migrations recorded.
    static func migrate(_ database: any SQLDatabase) async throws -> [Int] {
        try await database.transaction { executor in
            if database.kind == "postgresql" {
                try await executor.query("SELECT pg_advisory_xact_lock(7243531)")
            }
            try await executor.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
            )
            let applied = Set(try await executor.query("SELECT version FROM schema_migrations").compactMap { $0.int("version") })
            var newlyApplied: [Int] = []
            for migration in all where !applied.contains(migration.version) {
                let statements = database.kind == "sqlite" ? migration.sqliteStatements ?? migration.statements : migration.statements
                for statement in statements {
                    try await executor.query(statement)
                }
                try await executor.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    [.int(migration.version), .text(migration.name), .integer(Timestamp.now())])
                newlyApplied.append(migration.version)
            }
            return newlyApplied
        }
    }
}
