import ArgumentParser
import Foundation
import Hummingbird
import Logging
import RampartPlatform

/// `rampart platform ...`: run the platform server and manage its applications and users.
struct PlatformCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "platform",
        abstract: "The Rampart platform: agent API, storage and dashboard.",
        subcommands: [Serve.self, CreateApp.self, CreateUser.self, Bench.self, ImportAdvisories.self]
    )

    struct DatabaseOption: ParsableArguments {
        @Option(name: .long, help: "sqlite:PATH (default sqlite:rampart-platform.sqlite) or postgres://user:password@host:port/database")
        var database: String = "sqlite:rampart-platform.sqlite"

        func location() throws -> DatabaseLocation {
            do {
                return try DatabaseLocation(database)
            } catch {
                throw ValidationError("\(error)")
            }
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve the agent API and the dashboard.")

        @Option(help: "Port to listen on.") var port: Int = 8443
        @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
        @OptionGroup var database: DatabaseOption
        @Option(name: .customLong("retention-days"), help: "Delete events older than this many days.") var retentionDays: Int = 30
        @Option(name: .customLong("heartbeat-interval"), help: "Seconds between agent heartbeats.") var heartbeatInterval: Int = 20
        @Flag(name: .customLong("secure-cookies"), help: "Mark session cookies Secure (when served over HTTPS).") var secureCookies = false
        @Flag(name: .customLong("allow-internal-webhooks"), help: "Accept webhook URLs on internal addresses (loopback, private, ...); for tests only.")
        var allowInternalWebhooks = false

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
            guard retentionDays >= 1 else { throw ValidationError("--retention-days must be at least 1") }
            guard (1...3600).contains(heartbeatInterval) else { throw ValidationError("--heartbeat-interval must be 1 to 3600") }
        }

        func run() async throws {
            var logger = Logger(label: "rampart.platform")
            logger.logLevel = .info
            var settings = PlatformConfiguration(
                host: host, port: port, database: try database.location(), retentionDays: retentionDays,
                heartbeatInterval: heartbeatInterval, secureCookies: secureCookies)
            settings.allowInternalWebhooks = allowInternalWebhooks
            let configuration = settings
            if allowInternalWebhooks { say("Warning: webhook URLs may point at internal addresses (--allow-internal-webhooks)") }
            let store = try await PlatformStore.connect(configuration.database, logger: logger)
            let host = host
            let application = try PlatformServer.makeApplication(
                store: store, configuration: configuration, logger: logger,
                afterMigration: {
                    guard try await store.userCount() == 0 else { return }
                    let password = try await store.createUser(username: "admin", role: .admin)
                    say("Created dashboard user admin with one-time password: \(password)")
                },
                onServerRunning: { port in
                    say("Rampart platform listening on http://\(host):\(port) (database \(configuration.database))")
                })
            do {
                try await application.runService()
            } catch {
                try? await store.database.close()
                throw error
            }
            try await store.database.close()
        }
    }

    struct CreateApp: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-app", abstract: "Register an application and print its API key (shown once).")

        @Argument(help: "Application name.") var name: String
        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let name = name
            let created = try await PlatformStore.withStore(try database.location(), logger: Logger(label: "rampart.platform")) { store in
                try await store.createApp(name: name)
            }
            print("Application \(created.app.name) created (id \(created.app.appID)).")
            print("API key (shown only now; set RAMPART_API_KEY in the app's environment):")
            print(created.apiKey.text)
        }
    }

    struct CreateUser: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-user", abstract: "Create (or reset) a dashboard user and print a one-time password.")

        @Argument(help: "User name.") var username: String
        @Option(help: "admin or viewer.") var role: String = "viewer"
        @OptionGroup var database: DatabaseOption

        func run() async throws {
            guard let role = UserRole(rawValue: role) else { throw ValidationError("--role must be admin or viewer") }
            let username = username
            let password = try await PlatformStore.withStore(try database.location(), logger: Logger(label: "rampart.platform")) { store in
                try await store.createUser(username: username, role: role)
            }
            print("User \(username) (\(role.rawValue)) password: \(password)")
        }
    }
}

extension PlatformCommand {
    struct ImportAdvisories: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-advisories",
            abstract: "Import OSV advisories (JSON files, one advisory each) for the vulnerable-dependencies page.")

        @Argument(help: "Directory of OSV JSON files (searched recursively), or one file.") var directory: String
        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let advisories: [OSVAdvisory]
            do {
                advisories = try AdvisoryDirectory.load(directory)
            } catch {
                throw ValidationError("\(error)")
            }
            let (added, replaced) = try await PlatformStore.withStore(try database.location(), logger: Logger(label: "rampart.platform")) { store in
                try await store.importAdvisories(advisories)
            }
            print("Imported \(advisories.count) advisories from \(directory): \(added) new, \(replaced) updated.")
        }
    }

    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure event ingestion and overview query time (targets: >= 5,000 events/s; overview <= 200 ms).")

        @Option(help: "Events to ingest.") var events: Int = 100_000
        @Option(help: "Events per heartbeat batch (an agent sends everything buffered since its last heartbeat as one batch).")
        var batchSize: Int = 100
        @Option(help: "Agents sending at once (each sends its heartbeats one after the other, as a real agent does).")
        var agents: Int = 1
        @Option(help: "Database; defaults to a new SQLite file in the temporary directory.") var database: String?
        @Option(help: "Instead: bulk-load this many events, serve the platform and time the overview page over HTTP.")
        var overviewEvents: Int?
        @Option(help: "Overview requests timed per window (after one untimed-for-median first request).")
        var requests: Int = 10

        func run() async throws {
            guard events > 0, batchSize > 0, (1...1000).contains(agents) else {
                throw ValidationError("--events and --batch-size must be positive, --agents 1 to 1000")
            }
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-bench-\(UUID().uuidString).sqlite").path
            let location = try database.map { try DatabaseLocation($0) } ?? .sqlite(path: path)
            if let overviewEvents {
                guard overviewEvents > 0, requests > 0 else { throw ValidationError("--overview-events and --requests must be positive") }
                defer {
                    if database == nil {
                        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                    }
                }
                let result = try await OverviewBenchmark.run(location: location, events: overviewEvents, requestsPerWindow: requests)
                say("database: \(location)")
                say(String(format: "bulk load: %d events in %.1f s (direct inserts with counters, no HTTP)", result.events, result.loadSeconds))
                say(String(format: "first request of the process (GET /health, no database or template): %.1f ms", result.firstHealthMilliseconds))
                for timing in result.timings {
                    say(String(format: "%@ over HTTP, window %@ (%@): first %.1f ms, median %.1f ms, max %.1f ms of %d (target <= 200 ms: %@)",
                        timing.page, timing.window, timing.totalAttacks, timing.firstMilliseconds, timing.medianMilliseconds,
                        timing.maximumMilliseconds, requests, timing.maximumMilliseconds <= 200 ? "met" : "NOT met"))
                }
                return
            }
            let total = events, batchSize = self.batchSize, agents = self.agents
            let result = try await PlatformStore.withStore(location, logger: Logger(label: "rampart.platform.bench")) { store in
                try await StoreBenchmark.run(store: store, events: total, batchSize: batchSize, agents: agents) { sent in
                    if sent % 20_000 < batchSize { say("  \(sent) events ingested") }
                }
            }
            if database == nil {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            say("database: \(location)")
            say(String(format: "ingest: %d events in batches of %d from %d agent(s) in %.2f s = %.0f events/s (target >= 5000: %@)",
                result.events, batchSize, agents, result.ingestSeconds, result.eventsPerSecond, result.eventsPerSecond >= 5000 ? "met" : "NOT met"))
            say(String(format: "overview (all apps, one app): %.1f ms, %.1f ms (target <= 200 ms); signals: %.1f ms",
                result.overviewMilliseconds.first ?? 0, result.overviewMilliseconds.last ?? 0, result.signalsMilliseconds))
        }
    }
}

/// Writes a line to standard output at once (unbuffered), so a supervising process sees it immediately.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
