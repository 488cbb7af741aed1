/// What the integration test targets (SQLKit, PostgresNIO, GRDB, swift-subprocess) share: an agent with the
/// embedded ruleset whose events are collected, and a request context to run a hooked call inside.
import Logging
import NIOConcurrencyHelpers
import Rampart
import RampartProtocol

/// Keeps every event the agent exports, for assertions.
public final class Collected: SecurityEventExporter, Sendable {
    public let events = NIOLockedValueBox<[SecurityEvent]>([])
    public init() {}
    public func export(_ event: SecurityEvent) { events.withLockedValue { $0.append(event) } }
}

/// An agent in `mode` with the embedded default ruleset and a generous WAF budget (tests run on loaded machines).
public func makeAgent(mode: ProtectionMode) -> (RampartAgent, Collected) {
    var configuration = RampartConfiguration()
    configuration.mode = mode
    configuration.wafBudget = .milliseconds(100)
    var logger = Logger(label: "rampart-integration-test")
    logger.logLevel = .critical
    let collected = Collected()
    return (RampartAgent(configuration: configuration, logger: logger, exporters: [collected]), collected)
}

/// The context of a `GET path?query` request whose headers were inspected, as a middleware leaves it before the
/// handler runs.
public func requestContext(path: String = "/users", agent: RampartAgent, query: String) -> RequestSecurityContext {
    let context = agent.makeContext(
        for: HTTPRequestInfo(method: "GET", uri: "\(path)?\(query)", headers: [], peerAddress: "198.51.100.2"))
    _ = context.inspectHeaders()
    return context
}
