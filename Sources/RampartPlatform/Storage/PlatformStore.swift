import Foundation
import Logging
import RampartProtocol

/// Everything the platform stores, over either database. Holds no state of its own besides the connection, so
/// several platform processes can share one PostgreSQL database.
public final class PlatformStore: Sendable {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) {
        self.database = database
    }

    /// Opens (creating if needed) the database at `location` and applies pending migrations.
    /// For PostgreSQL the returned store's ``PostgresDatabase/run()`` must be running; `open` starts nothing itself,
    /// so call it from within a task that runs the pool (see ``PlatformServer``).
    public static func connect(_ location: DatabaseLocation, logger: Logger) async throws -> PlatformStore {
        switch location {
        case .sqlite(let path):
            return PlatformStore(database: try await SQLiteDatabase.open(path: path, logger: logger))
        case .postgres(let host, let port, let username, let password, let database):
            return PlatformStore(
                database: PostgresDatabase(
                    host: host, port: port, username: username, password: password, database: database, logger: logger))
        }
    }

    /// Applies schema migrations not yet applied; returns the versions applied now.
    @discardableResult
    public func migrate() async throws -> [Int] {
        try await Migrations.migrate(database)
    }

    // MARK: Applications

    /// Registers an application and returns its API key, which is not stored in clear and cannot be shown again.
    public func createApp(name: String, now: Date = Date()) async throws -> CreatedApp {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 100 else {
            throw StorageError("an application name must have 1 to 100 characters")
        }
        if try await app(named: trimmed) != nil {
            throw StorageError("an application named \(trimmed.debugDescription) already exists")
        }
        let key = APIKey.generate()
        let salt = SecretGenerator.hex(bytes: 16)
        let record = AppRecord(appID: UUID().uuidString, name: trimmed, createdAt: now, settingsRevision: 0)
        try await database.query(
            "INSERT INTO apps (app_id, name, key_id, key_salt, key_hash, created_at, settings_revision) VALUES ($1, $2, $3, $4, $5, $6, 0)",
            [.text(record.appID), .text(trimmed), .text(key.keyID), .text(salt),
             .text(APIKey.hash(secret: key.secret, salt: salt)), .integer(Timestamp.milliseconds(now))])
        return CreatedApp(app: record, apiKey: key)
    }

    /// Replaces an application's API key; the old key stops working at once.
    public func rotateKey(appID: String) async throws -> APIKey {
        let key = APIKey.generate()
        let salt = SecretGenerator.hex(bytes: 16)
        let rows = try await database.query(
            "UPDATE apps SET key_id = $1, key_salt = $2, key_hash = $3 WHERE app_id = $4 RETURNING app_id",
            [.text(key.keyID), .text(salt), .text(APIKey.hash(secret: key.secret, salt: salt)), .text(appID)])
        guard !rows.isEmpty else { throw StorageError("no application \(appID)") }
        return key
    }

    /// The application an `Authorization: Bearer` value belongs to, or nil.
    public func authenticate(apiKey text: String) async throws -> AppRecord? {
        guard let key = APIKey(parsing: text) else { return nil }
        let rows = try await database.query(
            "SELECT app_id, name, key_salt, key_hash, created_at, settings_revision FROM apps WHERE key_id = $1",
            [.text(key.keyID)])
        guard let row = rows.first, let salt = row.string("key_salt"), let hash = row.string("key_hash"),
            APIKey.verify(secret: key.secret, salt: salt, expectedHash: hash)
        else { return nil }
        return Self.appRecord(row)
    }

    public func apps() async throws -> [AppRecord] {
        try await database.query("SELECT app_id, name, created_at, settings_revision FROM apps ORDER BY name")
            .compactMap(Self.appRecord)
    }

    public func app(named name: String) async throws -> AppRecord? {
        try await database.query(
            "SELECT app_id, name, created_at, settings_revision FROM apps WHERE name = $1", [.text(name)]
        ).first.flatMap(Self.appRecord)
    }

    public func app(id: String) async throws -> AppRecord? {
        try await database.query(
            "SELECT app_id, name, created_at, settings_revision FROM apps WHERE app_id = $1", [.text(id)]
        ).first.flatMap(Self.appRecord)
    }

    static func appRecord(_ row: SQLRow) -> AppRecord? {
        guard let id = row.string("app_id"), let name = row.string("name") else { return nil }
        return AppRecord(
            appID: id, name: name, createdAt: Timestamp.date(Int64(row.int("created_at") ?? 0)),
            settingsRevision: row.int("settings_revision") ?? 0)
    }
}

extension PlatformStore {
    /// Connects, runs the PostgreSQL pool when needed, migrates, runs `body`, and closes: for one-shot commands
    /// such as `rampart platform create-app`.
    public static func withStore<Result: Sendable>(
        _ location: DatabaseLocation, logger: Logger, _ body: @Sendable (PlatformStore) async throws -> Result
    ) async throws -> Result {
        let store = try await connect(location, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            if let postgres = store.database as? PostgresDatabase {
                group.addTask { await postgres.run() }
            }
            do {
                try await store.migrate()
                let result = try await body(store)
                group.cancelAll()
                try await store.database.close()
                return result
            } catch {
                group.cancelAll()
                try? await store.database.close()
                throw error
            }
        }
    }
}
