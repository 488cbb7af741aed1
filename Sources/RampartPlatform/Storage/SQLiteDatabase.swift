import Logging
import NIOCore
import SQLiteNIO

/// The embedded default: one SQLite file in WAL mode, statements serialized through one connection.
public final class SQLiteDatabase: SQLDatabase {
    public let kind = "sqlite"
    private let connection: SQLiteConnection
    private let mutex = AsyncMutex()
    private let groupCommits = GroupCommitQueue()

    public static func open(path: String, logger: Logger = Logger(label: "rampart.platform.sqlite")) async throws -> SQLiteDatabase {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let database = SQLiteDatabase(connection: connection)
        _ = try await connection.query("PRAGMA journal_mode = WAL", [])
        _ = try await connection.query("PRAGMA synchronous = NORMAL", [])
        _ = try await connection.query("PRAGMA busy_timeout = 5000", [])
        _ = try await connection.query("PRAGMA foreign_keys = ON", [])
        // The default page cache (2 MiB) holds little of the event indexes: each insert into the event-id and
        // client-IP indexes of a large table then reads pages back from the OS. 64 MiB keeps their inner pages.
        _ = try await connection.query("PRAGMA cache_size = -65536", [])
        _ = try await connection.query("PRAGMA temp_store = MEMORY", [])
        // A checkpoint copies every page changed since the last one back to the database file (and syncs it), on
        // the thread of the COMMIT that crossed the threshold. Counter and index pages change in nearly every
        // heartbeat: every 10,000 pages (~40 MB of WAL) rather than 1,000, each is copied once for ten times as
        // many heartbeats (~9% of ingest CPU at 1,000 in a profile of 20-event heartbeats).
        _ = try await connection.query("PRAGMA wal_autocheckpoint = 10000", [])
        return database
    }

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let connection = connection
        return try await mutex.withLock {
            try await Self.run(sql, binds, on: connection)
        }
    }

    public func transaction<Result: Sendable>(
        _ body: @Sendable (any SQLExecutor) async throws -> Result
    ) async throws -> Result {
        let connection = connection
        await mutex.lock()
        do {
            _ = try await connection.query("BEGIN IMMEDIATE", [])
            do {
                let result = try await body(Transaction(connection: connection))
                _ = try await connection.query("COMMIT", [])
                await mutex.unlock()
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK", [])
                throw error
            }
        } catch {
            await mutex.unlock()
            throw error
        }
    }

    /// Queues `body`; whoever holds the lock next runs every queued body in one transaction (see
    /// ``GroupCommitQueue``). Returns after the COMMIT that made `body`'s changes durable.
    public func groupedTransaction<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLExecutor) async throws -> Result
    ) async throws -> Result {
        let job = GroupCommitJob(body)
        groupCommits.enqueue(job)
        await mutex.lock()
        if !job.isFinished {
            await runGroup(groupCommits.takeAll())
        }
        await mutex.unlock()
        return try job.result()
    }

    /// Runs `jobs` in one transaction, each in a savepoint; called with the lock held.
    private func runGroup(_ jobs: [any GroupCommitWork]) async {
        let connection = connection
        do {
            _ = try await connection.query("BEGIN IMMEDIATE", [])
        } catch {
            for job in jobs { job.finish(commitError: error) }
            return
        }
        let executor = Transaction(connection: connection)
        // Alone in its transaction, a body needs no savepoint: when it throws, the whole transaction is rolled back.
        if jobs.count == 1, let job = jobs.first {
            let succeeded = await job.run(executor)
            do {
                _ = try await connection.query(succeeded ? "COMMIT" : "ROLLBACK", [])
                job.finish(commitError: nil)
            } catch {
                _ = try? await connection.query("ROLLBACK", [])
                job.finish(commitError: error)
            }
            return
        }
        do {
            for job in jobs {
                do {
                    _ = try await connection.query("SAVEPOINT grouped_write", [])
                } catch {
                    job.fail(error)
                    continue
                }
                if !(await job.run(executor)) {
                    _ = try await connection.query("ROLLBACK TO grouped_write", [])
                }
                _ = try await connection.query("RELEASE grouped_write", [])
            }
            _ = try await connection.query("COMMIT", [])
            for job in jobs { job.finish(commitError: nil) }
        } catch {
            // A savepoint that cannot be rolled back or a failed COMMIT: nothing of the group is kept.
            _ = try? await connection.query("ROLLBACK", [])
            for job in jobs { job.finish(commitError: error) }
        }
    }

    public func close() async throws {
        try await connection.close()
    }

    /// The executor handed to a transaction body: the lock is already held.
    private struct Transaction: SQLExecutor {
        let connection: SQLiteConnection

        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            try await SQLiteDatabase.run(sql, binds, on: connection)
        }
    }

    static func run(_ sql: String, _ binds: [SQLValue], on connection: SQLiteConnection) async throws -> [SQLRow] {
        let data: [SQLiteData] = binds.map { value in
            switch value {
            case .integer(let number): .integer(SQLiteInt64(number))
            case .real(let number): .float(number)
            case .text(let text): .text(text)
            case .null: .null
            }
        }
        let rows = try await connection.query(sqliteSQL(sql), data)
        return rows.map { row in
            var values: [String: SQLValue] = [:]
            for column in row.columns {
                let value: SQLValue =
                    switch column.data {
                    case .integer(let number): .integer(Int64(number))
                    case .float(let number): .real(number)
                    case .text(let text): .text(text)
                    case .blob(let buffer): .text(String(buffer: buffer))
                    case .null: .null
                    }
                values[column.name.lowercased()] = value
            }
            return SQLRow(values: values)
        }
    }

    /// `$1` → `?1`: SQLite's numbered parameters bind by the number, as PostgreSQL's do. Works on bytes (`$`,
    /// `?` and digits are ASCII) because ingest rewrites long multi-row statements many times a second.
    static func sqliteSQL(_ sql: String) -> String {
        let bytes = Array(sql.utf8)
        var output = bytes
        for index in output.indices where output[index] == UInt8(ascii: "$") {
            let next = index + 1
            if next < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[next]) {
                output[index] = UInt8(ascii: "?")
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
