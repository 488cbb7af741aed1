import Foundation

/// Runs SQL statements. Statements use PostgreSQL's `$1, $2, ...` placeholders; the SQLite implementation
/// rewrites them to SQLite's equivalent `?1, ?2, ...`.
public protocol SQLExecutor: Sendable {
    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
}

/// A database the platform stores its state in.
public protocol SQLDatabase: SQLExecutor {
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<Result: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> Result) async throws -> Result
    /// Like ``transaction(_:)`` (returns only once `body`'s changes are committed; a throwing body changes
    /// nothing), but the database may commit `body` together with other callers' bodies submitted meanwhile, in
    /// one transaction: for small frequent writes (heartbeats) on a database with one writer.
    func groupedTransaction<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLExecutor) async throws -> Result
    ) async throws -> Result
    /// A short name for logs and the dashboard (`sqlite`, `postgresql`).
    var kind: String { get }
    func close() async throws
}

extension SQLDatabase {
    /// Databases with concurrent writers (PostgreSQL) gain nothing from grouping: one transaction per body.
    public func groupedTransaction<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLExecutor) async throws -> Result
    ) async throws -> Result {
        try await transaction(body)
    }
}

extension SQLExecutor {
    @discardableResult
    func query(_ sql: String) async throws -> [SQLRow] {
        try await query(sql, [])
    }
}

/// Where the platform keeps its data: `sqlite:PATH` (or a bare path) or `postgres://user:pass@host:port/db`.
public enum DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(host: String, port: Int, username: String, password: String?, database: String?)

    public init(_ text: String) throws {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            guard let components = URLComponentsLite(text) else {
                throw StorageError("invalid PostgreSQL URL: expected postgres://user:password@host:port/database")
            }
            self = .postgres(
                host: components.host, port: components.port ?? 5432, username: components.user ?? "postgres",
                password: components.password, database: components.database)
        } else if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw StorageError("sqlite: needs a file path, e.g. sqlite:rampart.sqlite") }
            self = .sqlite(path: path)
        } else if !text.isEmpty, !text.contains("://") {
            self = .sqlite(path: text)
        } else {
            throw StorageError("unsupported database \(text.debugDescription): use sqlite:PATH or postgres://...")
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let host, let port, let username, _, let database):
            "postgres://\(username)@\(host):\(port)/\(database ?? "")"
        }
    }
}

/// Just enough URL parsing for `postgres://user:password@host:port/database`, with percent-decoding of the
/// user and password, without pulling Foundation's URL into the storage layer's API.
struct URLComponentsLite {
    var user: String?
    var password: String?
    var host: String
    var port: Int?
    var database: String?

    init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        var rest = text[schemeEnd.upperBound...]
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        var pathPart: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            pathPart = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = Self.percentDecoded(credentials[..<colon])
                password = Self.percentDecoded(credentials[credentials.index(after: colon)...])
            } else {
                user = Self.percentDecoded(credentials)
            }
        }
        if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
            guard let number = Int(rest[rest.index(after: colon)...]), (1...65535).contains(number) else { return nil }
            port = number
            rest = rest[..<colon]
        }
        host = String(rest.trimmingPrefix("[")).replacingOccurrences(of: "]", with: "")
        if host.isEmpty { return nil }
        database = pathPart.isEmpty ? nil : Self.percentDecoded(pathPart)
    }

    static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
