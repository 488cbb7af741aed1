import Foundation
import NIOCore
import RampartProtocol

extension RampartAgent {
    /// The version reported to the platform.
    public static let version = "0.1.0"

    /// A transport to the platform configured by `RAMPART_PLATFORM_URL` and `RAMPART_API_KEY`, or nil when either is
    /// missing. Run it off the request path, e.g. `Task { await transport.run() }` or from a service group; it
    /// applies the platform's commands (blocklists, modes, budget) and loads the rulesets it is told to fetch.
    /// Without `dependencies`, the inventory lists the packages pinned in
    /// ``RampartConfiguration/packageResolvedPath`` (none when that file is absent or unreadable).
    public func makePlatformTransport(
        framework: String, routes: [RouteInfo] = [], dependencies: [Dependency]? = nil
    ) -> PlatformTransport? {
        guard let baseURL = configuration.platformURL, let apiKey = configuration.apiKey else { return nil }
        var settings = PlatformTransport.Settings(
            baseURL: baseURL, apiKey: apiKey, interval: configuration.heartbeatInterval,
            backoff: configuration.platformBackoff, maxPendingBatches: configuration.maxUnacknowledgedBatches)
        let timeout = configuration.platformRequestTimeout.components
        let (nanoseconds, overflow) = timeout.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        settings.requestTimeout = .nanoseconds(overflow ? .max : max(1_000_000, nanoseconds &+ timeout.attoseconds / 1_000_000_000))
        #if os(Linux)
        let os = "Linux " + ProcessInfo.processInfo.operatingSystemVersionString
        #else
        let os = ProcessInfo.processInfo.operatingSystemVersionString
        #endif
        let login = AgentLogin(
            agentID: UUID().uuidString, appName: configuration.appName, environment: configuration.environment,
            hostname: ProcessInfo.processInfo.hostName, rampartVersion: Self.version, swiftVersion: Self.swiftVersion,
            os: os, framework: framework, routes: routes, dependencies: dependencies ?? resolvedDependencies())
        return PlatformTransport(
            settings: settings,
            login: login, events: events, metrics: metrics, logger: logger,
            onCommand: { [self] command in apply(command) },
            onRuleset: { [self] version, json in
                do {
                    try updateRuleset(json: json)
                    logger.info("Rampart: ruleset from the platform loaded", metadata: ["version": "\(version)"])
                } catch {
                    logger.error(
                        "Rampart: ruleset from the platform rejected, keeping the current one",
                        metadata: ["version": "\(version)", "error": "\(error)"])
                }
            })
    }

    /// The packages pinned in the configured `Package.resolved`; an absent file means none, a malformed one is
    /// logged and means none.
    func resolvedDependencies() -> [Dependency] {
        let path = configuration.packageResolvedPath
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        do {
            return try PackageResolved.read(path: path).map(\.dependency)
        } catch {
            logger.warning("Rampart: dependency inventory unavailable", metadata: ["path": "\(path)", "error": "\(error)"])
            return []
        }
    }

    static var swiftVersion: String {
        #if swift(>=6.3)
        "6.3"
        #elseif swift(>=6.2)
        "6.2"
        #elseif swift(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }
}
