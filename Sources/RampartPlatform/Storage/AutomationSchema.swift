/// Tables for webhooks, their delivery log and the advisory database. Numbered 10 so that schema steps other
/// branches append (3, 4, ...) never collide with it; the migrator applies every step not yet recorded.
enum AutomationSchema {
    static let migration = Migrations.Migration(
        version: 10, name: "webhooks and advisories",
        statements: [
            """
            CREATE TABLE webhooks (
                webhook_id TEXT PRIMARY KEY,
                app_id TEXT,
                url TEXT NOT NULL,
                on_events BIGINT NOT NULL,
                on_playbooks BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                created_by TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE webhook_deliveries (
                delivery_id TEXT PRIMARY KEY,
                webhook_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                item_count BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                attempts BIGINT NOT NULL,
                status TEXT NOT NULL,
                detail TEXT NOT NULL
            )
            """,
            "CREATE INDEX webhook_deliveries_time ON webhook_deliveries (created_at)",
            """
            CREATE TABLE advisories (
                advisory_id TEXT PRIMARY KEY,
                document TEXT NOT NULL,
                imported_at BIGINT NOT NULL
            )
            """,
        ])
}

/// Per-webhook signing secrets (see ``WebhookSignature``). Numbered 12, after the flagged-users table; webhooks
/// that existed before get an empty secret and are sent unsigned until an admin rotates it.
enum WebhookSigningSchema {
    static let migration = Migrations.Migration(
        version: 12, name: "webhook signing secrets",
        statements: ["ALTER TABLE webhooks ADD COLUMN signing_secret TEXT NOT NULL DEFAULT ''"])
}
