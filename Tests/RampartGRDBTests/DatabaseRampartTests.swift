import Foundation
import GRDB
import Logging
import NIOConcurrencyHelpers
import Rampart
import RampartProtocol
import RampartTestSupport
import Testing

@testable import RampartGRDB

/// A real SQLite file in the temporary directory with a `users` table, opened as a queue or a pool.
func withDatabaseFile(_ body: (String) async throws -> Void) async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-grdb-\(UUID().uuidString).sqlite").path
    defer {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
    let setup = try DatabaseQueue(path: path)
    try await setup.write { db in
        try db.execute(sql: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, secret TEXT)")
        try db.execute(sql: "INSERT INTO users (name, secret) VALUES ('alice', 'a'), ('bob', 'b')")
    }
    try setup.close()
    try await body(path)
}

let injectedName = "x' OR '1'='1"
let injectedQuery = "name=x%27%20OR%20%271%27%3D%271"

@Suite("GRDB raw SQL checked against the current request (real SQLite file)")
struct DatabaseRampartTests {
    @Test("block mode (DatabaseQueue): an injected UPDATE is refused and rolled back; bound and benign SQL run")
    func queueBlocks() async throws {
        let (agent, collected) = makeAgent(mode: .block)
        try await withDatabaseFile { path in
            let queue = try DatabaseQueue(path: path)
            let context = requestContext(agent: agent, query: injectedQuery)
            try await RequestSecurityContext.$current.withValue(context) {
                await #expect(throws: RampartBlockedError.self) {
                    try await queue.writeChecked { db in
                        try db.executeChecked(sql: "UPDATE users SET secret = 'pwned' WHERE name = '\(injectedName)'")
                    }
                }
                let bound = try await queue.readChecked { db in
                    try Row.fetchAll(db.makeCheckedStatement(sql: "SELECT * FROM users WHERE name = ?"), arguments: [injectedName])
                }
                #expect(bound.isEmpty)
                let alice = try await queue.readChecked { db in
                    try Row.fetchAll(db.makeCheckedStatement(sql: "SELECT * FROM users WHERE name = 'alice'"))
                }
                #expect(alice.count == 1)
            }
            context.finish(status: 403)
            let pwned = try await queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users WHERE secret = 'pwned'") }
            #expect(pwned == 0)
            try queue.close()
        }
        let rasp = collected.events.withLockedValue { $0.first { $0.kind == .rasp } }
        #expect(rasp?.blocked == true)
        #expect(rasp?.rules.first?.category == "sql_injection")
    }

    @Test("block mode (DatabasePool, synchronous access): the injected SELECT is refused")
    func poolBlocks() async throws {
        let (agent, _) = makeAgent(mode: .block)
        try await withDatabaseFile { path in
            let pool = try DatabasePool(path: path)
            let context = requestContext(agent: agent, query: injectedQuery)
            RequestSecurityContext.$current.withValue(context) {
                #expect(throws: RampartBlockedError.self) {
                    try pool.readChecked { db in
                        try Row.fetchAll(db.makeCheckedStatement(sql: "SELECT * FROM users WHERE name = '\(injectedName)'"))
                    }
                }
            }
            try pool.close()
        }
    }

    @Test("SQL literals: interpolated values are bound and run; raw fragments from input are refused")
    func literals() async throws {
        let (agent, _) = makeAgent(mode: .block)
        try await withDatabaseFile { path in
            let queue = try DatabaseQueue(path: path)
            let context = requestContext(agent: agent, query: injectedQuery)
            try await RequestSecurityContext.$current.withValue(context) {
                let changes = try await queue.writeChecked { db in
                    try db.executeChecked(literal: "UPDATE users SET secret = 'z' WHERE name = \(injectedName)")
                    return db.changesCount
                }
                #expect(changes == 0)
                await #expect(throws: RampartBlockedError.self) {
                    try await queue.writeChecked { db in
                        try db.executeChecked(literal: "DELETE FROM users WHERE name = '\(sql: injectedName)'")
                    }
                }
            }
            let remaining = try await queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users") }
            #expect(remaining == 2)
            try queue.close()
        }
    }

    @Test("monitor mode: the injection is reported and runs")
    func monitor() async throws {
        let (agent, collected) = makeAgent(mode: .monitor)
        try await withDatabaseFile { path in
            let queue = try DatabaseQueue(path: path)
            let context = requestContext(agent: agent, query: injectedQuery)
            let rows = try await RequestSecurityContext.$current.withValue(context) {
                try await queue.readChecked { db in
                    try Row.fetchAll(db.makeCheckedStatement(sql: "SELECT * FROM users WHERE name = '\(injectedName)'"))
                }
            }
            #expect(rows.count == 2)
            context.finish(status: 200)
            try queue.close()
        }
        #expect(collected.events.withLockedValue { $0.contains { $0.kind == .rasp && !$0.blocked } })
    }

    @Test("outside a request the checked entry points only run the SQL")
    func outsideRequest() async throws {
        try await withDatabaseFile { path in
            let queue = try DatabaseQueue(path: path)
            let count = try await queue.writeChecked { db in
                try db.executeChecked(sql: "UPDATE users SET secret = 'z' WHERE name = '\(injectedName)'")
                return db.changesCount
            }
            #expect(count == 2)
            try queue.close()
        }
    }
}
