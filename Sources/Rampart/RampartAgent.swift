import Foundation
import Logging
import NIOConcurrencyHelpers
import RampartProtocol
import RampartRegex
import RampartWAF

/// The agent: one per process (``shared``) or one per app. Holds the WAF, the blocklists, the runtime modes, the
/// event buffer and the metrics; integrations ask it for a ``RequestSecurityContext`` per request.
public final class RampartAgent: Sendable {
    public let configuration: RampartConfiguration
    public let logger: Logger
    /// Nil when the agent is disabled or no ruleset could be loaded (then everything passes).
    public let wafHandle: WAFHandle?
    public let blockedIPs: IPBlocklist
    public let blockedUsers: Blocklist<String>
    public let events: BoundedBuffer<SecurityEvent>
    public let metrics: RampartMetrics
    public let scrubber: Scrubber
    public let renderer: BlockingResponseRenderer
    public let clientIPResolver: ClientIPResolver
    /// Behavioural scanner check: bursts of 404s per client IP (see ``RequestSecurityContext/inspectResponse(status:)``).
    public let notFoundBursts: NotFoundBurstDetector
    /// The request addresses the current ruleset reads (see ``RequestSecurityContext``'s phases).
    let collectedAddresses = CollectedAddressesCache()
    private let exporters: [any SecurityEventExporter]
    private let runtime: NIOLockedValueBox<RuntimeSettings>

    /// What platform commands change while the app runs.
    struct RuntimeSettings {
        var mode: ProtectionMode
        var categoryModes: [String: ProtectionMode] = [:]
        var budget: Duration
    }

    /// - Parameters:
    ///   - rulesetJSON: a ruleset to use instead of `configuration.rulesPath` or the embedded one.
    ///   - exporters: extra destinations for events; swift-log always receives them.
    public init(
        configuration: RampartConfiguration = RampartConfiguration(),
        logger: Logger = Logger(label: "rampart"),
        rulesetJSON: String? = nil,
        exporters: [any SecurityEventExporter] = [SpanAttributeExporter()]
    ) {
        self.configuration = configuration
        self.logger = logger
        blockedIPs = IPBlocklist()
        blockedUsers = Blocklist<String>()
        events = BoundedBuffer(capacity: configuration.eventBufferCapacity)
        metrics = RampartMetrics()
        renderer = BlockingResponseRenderer(configuration: configuration)
        clientIPResolver = ClientIPResolver(trustedProxies: configuration.trustedProxies)
        notFoundBursts = NotFoundBurstDetector(
            threshold: configuration.scannerNotFoundThreshold, window: configuration.scannerNotFoundWindow)
        for entry in clientIPResolver.invalidEntries {
            logger.error(
                "Rampart: invalid trusted proxy entry ignored (expected an IP address or CIDR range)",
                metadata: ["entry": "\(entry)"])
        }
        scrubber = Self.makeScrubber(configuration: configuration, logger: logger)
        self.exporters = [LogExporter(logger: logger)] + exporters
        runtime = NIOLockedValueBox(RuntimeSettings(mode: configuration.mode, budget: configuration.wafBudget))
        wafHandle =
            configuration.enabled
            ? Self.loadWAF(configuration: configuration, override: rulesetJSON, logger: logger) : nil
    }

    private static let sharedBox = NIOLockedValueBox<RampartAgent?>(nil)

    /// The process-wide agent used by integrations created without an explicit one: configured from the
    /// environment on first use unless ``bootstrap(_:)`` installed another before.
    public static var shared: RampartAgent {
        sharedBox.withLockedValue { box in
            if let agent = box { return agent }
            let agent = RampartAgent(configuration: RampartConfiguration(environment: ProcessInfo.processInfo.environment))
            box = agent
            return agent
        }
    }

    /// Installs `agent` as ``shared``.
    public static func bootstrap(_ agent: RampartAgent) {
        sharedBox.withLockedValue { $0 = agent }
    }

    public var isEnabled: Bool { configuration.enabled && wafHandle != nil }

    /// Starts the security context of a request (phase 1 is ``RequestSecurityContext/inspectHeaders()``).
    public func makeContext(for request: HTTPRequestInfo) -> RequestSecurityContext {
        RequestSecurityContext(agent: self, request: request)
    }

    // MARK: Runtime settings

    public var mode: ProtectionMode { runtime.withLockedValue { $0.mode } }

    /// The mode for a rule category (the rule's `type` tag): its own if set, the global mode otherwise.
    public func mode(forCategory category: String) -> ProtectionMode {
        runtime.withLockedValue { $0.categoryModes[category] ?? $0.mode }
    }

    /// Sets the mode of one category, or the global mode when `category` is nil.
    public func setMode(_ mode: ProtectionMode, category: String? = nil) {
        runtime.withLockedValue { settings in
            if let category { settings.categoryModes[category] = mode } else { settings.mode = mode }
        }
    }

    public var wafBudget: Duration { runtime.withLockedValue { $0.budget } }

    public func setWAFBudget(_ budget: Duration) {
        guard budget > .zero, budget <= .seconds(1) else { return }
        runtime.withLockedValue { $0.budget = budget }
    }

    /// Applies a platform command (ruleset downloads are handled by the transport, which has the connection).
    public func apply(_ command: AgentCommand) {
        switch command {
        case .blockIPs(let entries):
            for entry in entries where !blockedIPs.block(entry.value, until: entry.expiresAt) {
                logger.error("Rampart: platform sent an invalid IP block", metadata: ["value": "\(entry.value)"])
            }
        case .unblockIPs(let values):
            for value in values { blockedIPs.unblock(value) }
        case .blockUsers(let entries):
            for entry in entries { blockedUsers.block(entry.value, until: entry.expiresAt) }
        case .unblockUsers(let values):
            for value in values { blockedUsers.unblock(value) }
        case .setMode(let category, let mode):
            setMode(mode, category: category)
        case .setBudget(let micros):
            setWAFBudget(.microseconds(micros))
        case .fetchRuleset, .unsupported:
            break
        }
    }

    /// Replaces the ruleset at runtime; requests in flight finish with the previous one.
    @discardableResult
    public func updateRuleset(json: String) throws(WAFLoadError) -> RulesetDiagnostics? {
        guard let wafHandle else { return nil }
        let waf = try WAF(rulesetJSON: json)
        wafHandle.replace(with: waf)
        return waf.diagnostics
    }

    // MARK: Events

    /// Sends an event to the exporters and the platform buffer (oldest dropped and counted when full).
    public func record(_ event: SecurityEvent) {
        if events.append(event) != nil { metrics.recordDroppedEvents(1) }
        for exporter in exporters { exporter.export(event) }
    }

    // MARK: Loading

    /// Rampart's default ruleset, compiled into RampartWAF (``DefaultRuleset``), so it is there whatever is deployed.
    public static func embeddedRuleset() -> String? {
        DefaultRuleset.json
    }

    static func loadWAF(configuration: RampartConfiguration, override: String?, logger: Logger) -> WAFHandle? {
        var candidates: [(source: String, json: String)] = []
        if let override { candidates.append(("the ruleset given in code", override)) }
        if let path = configuration.rulesPath {
            do {
                candidates.append((path, try String(contentsOfFile: path, encoding: .utf8)))
            } catch {
                logger.error(
                    "Rampart: cannot read RAMPART_RULES, using the embedded ruleset",
                    metadata: ["path": "\(path)", "error": "\(error)"])
            }
        }
        if let embedded = embeddedRuleset() { candidates.append(("the embedded ruleset", embedded)) }
        for candidate in candidates {
            do {
                let waf = try WAF(rulesetJSON: candidate.json)
                logger.info(
                    "Rampart: WAF loaded",
                    metadata: ["source": "\(candidate.source)", "version": "\(waf.rulesetVersion ?? "unknown")"])
                return WAFHandle(waf)
            } catch {
                logger.error(
                    "Rampart: ruleset unusable, trying the next one",
                    metadata: ["source": "\(candidate.source)", "error": "\(error)"])
            }
        }
        logger.critical("Rampart: no usable ruleset, protection is off")
        return nil
    }

    static func makeScrubber(configuration: RampartConfiguration, logger: Logger) -> Scrubber {
        func compile(_ pattern: String?, setting: String) -> (@Sendable (String) -> Bool)? {
            guard let pattern else { return nil }
            do {
                let regex = try SafeRegex(pattern)
                return { regex.matches($0) }
            } catch {
                logger.error(
                    "Rampart: invalid obfuscation regex ignored", metadata: ["setting": "\(setting)", "error": "\(error)"])
                return nil
            }
        }
        return Scrubber(
            sensitiveKeys: configuration.sensitiveKeys,
            keyMatcher: compile(configuration.obfuscationKeyRegex, setting: "RAMPART_OBFUSCATION_KEY_REGEX"),
            valueMatcher: compile(configuration.obfuscationValueRegex, setting: "RAMPART_OBFUSCATION_VALUE_REGEX"))
    }
}
