import RampartProtocol
import Foundation
import Logging

/// A setting that could not be used as given; the agent logs it and keeps the safe default.
public struct ConfigurationIssue: Sendable, Hashable, CustomStringConvertible {
    /// The environment variable (or field) at fault.
    public var setting: String
    /// The value as given.
    public var value: String
    /// What is wrong and what is used instead.
    public var problem: String

    public var description: String { "\(setting)=\"\(value)\": \(problem)" }
}

extension RampartConfiguration {
    /// Reads the `RAMPART_*` variables over `base`. Every invalid value is logged as an error and leaves the
    /// corresponding field of `base` unchanged.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        base: RampartConfiguration = RampartConfiguration(),
        logger: Logger = Logger(label: "rampart")
    ) {
        let (configuration, issues) = RampartConfiguration.parse(environment: environment, base: base)
        for issue in issues {
            logger.error("Rampart: invalid setting, using the default", metadata: ["issue": "\(issue)"])
        }
        self = configuration
    }

    /// Reads the `RAMPART_*` variables over `base`, returning the result and what was rejected (nothing is logged).
    public static func parse(
        environment: [String: String],
        base: RampartConfiguration = RampartConfiguration()
    ) -> (RampartConfiguration, [ConfigurationIssue]) {
        var configuration = base
        var issues: [ConfigurationIssue] = []
        func reject(_ name: String, _ value: String, _ problem: String) {
            issues.append(ConfigurationIssue(setting: name, value: value, problem: problem))
        }
        func value(_ name: String) -> String? {
            guard let raw = environment[name] else { return nil }
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
        /// The setting as an integer in `range`; otherwise (when set) rejected with `problem`.
        func integer(_ name: String, in range: ClosedRange<Int>, otherwise problem: @autoclosure () -> String) -> Int? {
            guard let text = value(name) else { return nil }
            if let number = Int(text), range.contains(number) { return number }
            reject(name, text, problem())
            return nil
        }
        func bool(_ name: String, into field: inout Bool) {
            guard let text = value(name) else { return }
            switch text.lowercased() {
            case "1", "true", "yes", "on": field = true
            case "0", "false", "no", "off": field = false
            default: reject(name, text, "expected true or false; keeping \(field)")
            }
        }

        bool("RAMPART_ENABLED", into: &configuration.enabled)
        bool("RAMPART_RASP_ENABLED", into: &configuration.raspEnabled)
        if let text = value("RAMPART_MODE") {
            if let mode = ProtectionMode(rawValue: text.lowercased()) {
                configuration.mode = mode
            } else {
                reject("RAMPART_MODE", text, "expected monitor or block; keeping \(configuration.mode.rawValue)")
            }
        }
        if let text = value("RAMPART_RULES") { configuration.rulesPath = text }
        if let text = value("RAMPART_WAF_BUDGET") {
            if let budget = parseDuration(text), budget > .zero, budget <= .seconds(1) {
                configuration.wafBudget = budget
            } else {
                reject(
                    "RAMPART_WAF_BUDGET", text,
                    "expected a duration between 1us and 1s such as 5ms, 500us or 5000 (microseconds); keeping \(configuration.wafBudget)"
                )
            }
        }
        if let text = value("RAMPART_TRUSTED_PROXIES") {
            configuration.trustedProxies = text.split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
        }
        if let text = value("RAMPART_BODY_LIMIT") {
            if let limit = parseByteCount(text), limit >= 0, limit <= 64 * 1024 * 1024 {
                configuration.bodyLimit = limit
            } else {
                reject(
                    "RAMPART_BODY_LIMIT", text,
                    "expected a byte count up to 64M such as 65536, 64k or 1m; keeping \(configuration.bodyLimit)"
                )
            }
        }
        if let text = value("RAMPART_OBFUSCATION_KEY_REGEX") { configuration.obfuscationKeyRegex = text }
        if let text = value("RAMPART_OBFUSCATION_VALUE_REGEX") { configuration.obfuscationValueRegex = text }
        for (name, keyPath) in [
            ("RAMPART_BLOCKED_TEMPLATE_JSON", \RampartConfiguration.blockedTemplateJSON),
            ("RAMPART_BLOCKED_TEMPLATE_HTML", \RampartConfiguration.blockedTemplateHTML),
        ] as [(String, WritableKeyPath<RampartConfiguration, String?>)] {
            guard let path = value(name) else { continue }
            do {
                configuration[keyPath: keyPath] = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                reject(name, path, "cannot read the template file (\(error)); using the built-in template")
            }
        }
        if let status = integer(
            "RAMPART_BLOCK_STATUS", in: 400...599, otherwise: "expected a 4xx or 5xx status; keeping \(configuration.blockStatus)")
        {
            configuration.blockStatus = status
        }
        if let text = value("RAMPART_PLATFORM_URL") {
            if let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                url.host != nil
            {
                configuration.platformURL = text
            } else {
                reject("RAMPART_PLATFORM_URL", text, "expected an http(s) URL; the platform stays disabled")
            }
        }
        if let text = value("RAMPART_API_KEY") { configuration.apiKey = text }
        if let text = value("RAMPART_PACKAGE_RESOLVED") { configuration.packageResolvedPath = text }
        if let text = value("RAMPART_APP_NAME") { configuration.appName = text }
        if let text = value("RAMPART_ENV") { configuration.environment = text }
        if let capacity = integer(
            "RAMPART_EVENT_BUFFER", in: 1...1_000_000,
            otherwise: "expected a count between 1 and 1000000; keeping \(configuration.eventBufferCapacity)")
        {
            configuration.eventBufferCapacity = capacity
        }
        if let seconds = integer(
            "RAMPART_HEARTBEAT_INTERVAL", in: 1...3600, otherwise: "expected seconds between 1 and 3600; keeping the default")
        {
            configuration.heartbeatInterval = .seconds(seconds)
        }
        if let count = integer(
            "RAMPART_UNACKNOWLEDGED_BATCHES", in: 1...100_000,
            otherwise: "expected a count between 1 and 100000; keeping \(configuration.maxUnacknowledgedBatches)")
        {
            configuration.maxUnacknowledgedBatches = count
        }
        if let count = integer(
            "RAMPART_SCANNER_404_THRESHOLD", in: 0...100_000,
            otherwise: "expected a count between 0 (off) and 100000; keeping \(configuration.scannerNotFoundThreshold)")
        {
            configuration.scannerNotFoundThreshold = count
        }
        if let seconds = integer(
            "RAMPART_SCANNER_404_WINDOW", in: 1...86_400, otherwise: "expected seconds between 1 and 86400; keeping the default")
        {
            configuration.scannerNotFoundWindow = .seconds(seconds)
        }
        return (configuration, issues)
    }

    /// `5ms`, `500us`, `1s`, or a bare number of microseconds.
    static func parseDuration(_ text: String) -> Duration? {
        let lowered = text.lowercased()
        for (suffix, scale) in [("us", 1), ("µs", 1), ("ms", 1000), ("s", 1_000_000)] {
            if lowered.hasSuffix(suffix), let number = Int(lowered.dropLast(suffix.count)), number >= 0,
                number <= 1_000_000
            {
                return .microseconds(number * scale)
            }
        }
        guard let micros = Int(lowered), micros >= 0, micros <= 1_000_000 else { return nil }
        return .microseconds(micros)
    }

    /// `65536`, `64k`, `1m` (binary multiples).
    static func parseByteCount(_ text: String) -> Int? {
        let lowered = text.lowercased()
        for (suffix, scale) in [("kb", 1024), ("k", 1024), ("mb", 1024 * 1024), ("m", 1024 * 1024)] {
            if lowered.hasSuffix(suffix), let number = Int(lowered.dropLast(suffix.count)), number >= 0,
                number <= 1024 * 1024
            {
                return number * scale
            }
        }
        return Int(lowered)
    }
}
