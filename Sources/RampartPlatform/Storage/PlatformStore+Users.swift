import Crypto
import Foundation

/// Dashboard users and their sessions.
extension PlatformStore {
    /// Creates a user with a random one-time password, returned once.
    public func createUser(username: String, role: UserRole, hasher: PasswordHasher = PasswordHasher(), now: Date = Date()) async throws -> String {
        let name = username.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.utf8.count <= 64 else { throw StorageError("a user name must have 1 to 64 characters") }
        let password = SecretGenerator.password()
        try await database.query(
            """
            INSERT INTO users (username, password_hash, role, created_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role
            """,
            [.text(name), .text(try hasher.hash(password)), .text(role.rawValue), .integer(Timestamp.milliseconds(now))])
        return password
    }

    public func userCount() async throws -> Int {
        try await database.query("SELECT COUNT(*) AS n FROM users").first?.int("n") ?? 0
    }

    /// Failed logins for `username` within `window` before `now`; the dashboard refuses to try more than a few.
    public func recentLoginFailures(username: String, window: TimeInterval, now: Date = Date()) async throws -> Int {
        try await database.query(
            "SELECT COUNT(*) AS n FROM login_failures WHERE username = $1 AND failed_at > $2",
            [.text(username), .integer(Timestamp.milliseconds(now.addingTimeInterval(-window)))]
        ).first?.int("n") ?? 0
    }

    /// Checks a password; records a failure when it does not match.
    public func verifyLogin(username: String, password: String, now: Date = Date()) async throws -> UserRecord? {
        let row = try await database.query(
            "SELECT username, password_hash, role FROM users WHERE username = $1", [.text(username)]
        ).first
        if let row, let hash = row.string("password_hash"), PasswordHasher.verify(password, against: hash),
            let role = row.string("role").flatMap(UserRole.init(rawValue:))
        {
            return UserRecord(username: username, role: role)
        }
        try await database.query(
            "INSERT INTO login_failures (username, failed_at) VALUES ($1, $2)",
            [.text(username), .integer(Timestamp.milliseconds(now))])
        return nil
    }

    /// Starts a session; returns the cookie token (only its hash is stored).
    public func createSession(for user: UserRecord, lifetime: TimeInterval, now: Date = Date()) async throws -> String {
        let token = SecretGenerator.hex(bytes: 32)
        try await database.query(
            "INSERT INTO sessions (token_hash, username, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            [.text(Self.tokenHash(token)), .text(user.username), .text(SecretGenerator.hex(bytes: 24)),
             .integer(Timestamp.milliseconds(now)), .integer(Timestamp.milliseconds(now.addingTimeInterval(lifetime)))])
        return token
    }

    public func session(token: String, now: Date = Date()) async throws -> SessionRecord? {
        guard token.utf8.count == 64 else { return nil }
        let row = try await database.query(
            """
            SELECT sessions.csrf_token, sessions.expires_at, users.username, users.role FROM sessions
            JOIN users ON users.username = sessions.username WHERE sessions.token_hash = $1 AND sessions.expires_at > $2
            """, [.text(Self.tokenHash(token)), .integer(Timestamp.milliseconds(now))]
        ).first
        guard let row, let username = row.string("username"), let role = row.string("role").flatMap(UserRole.init(rawValue:)),
            let csrf = row.string("csrf_token")
        else { return nil }
        return SessionRecord(
            user: UserRecord(username: username, role: role), csrfToken: csrf,
            expiresAt: Timestamp.date(Int64(row.int("expires_at") ?? 0)))
    }

    public func deleteSession(token: String) async throws {
        try await database.query("DELETE FROM sessions WHERE token_hash = $1", [.text(Self.tokenHash(token))])
    }

    static func tokenHash(_ token: String) -> String {
        Hex.encode(SHA256.hash(data: Array(token.utf8)))
    }
}
