import Logging
import RampartProtocol

@testable import Rampart

/// Collects exported events so tests can see what the agent reported.
final class CollectingExporter: SecurityEventExporter, @unchecked Sendable {
    private let lock = NSLockBox()
    private var collected: [SecurityEvent] = []

    func export(_ event: SecurityEvent) { lock.locked { collected.append(event) } }
    var events: [SecurityEvent] { lock.locked { collected } }
}

import Foundation

final class NSLockBox: @unchecked Sendable {
    private let lock = NSLock()
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}

func makeAgent(
    mode: ProtectionMode, trustedProxies: [String] = [], bufferCapacity: Int = 1000
) -> (RampartAgent, CollectingExporter) {
    var configuration = RampartConfiguration()
    configuration.mode = mode
    configuration.trustedProxies = trustedProxies
    configuration.eventBufferCapacity = bufferCapacity
    configuration.wafBudget = .milliseconds(100)  // generous: CI machines are loaded
    let exporter = CollectingExporter()
    var logger = Logger(label: "rampart-test")
    logger.logLevel = .critical
    return (RampartAgent(configuration: configuration, logger: logger, rulesetJSON: agentTestRuleset, exporters: [exporter]), exporter)
}

func request(
    _ uri: String, method: String = "GET", headers: [(String, String)] = [], peer: String = "198.51.100.20",
    route: String? = nil, parameters: [(String, String)] = []
) -> HTTPRequestInfo {
    HTTPRequestInfo(
        method: method, uri: uri, headers: headers.map { (name: $0.0, value: $0.1) }, peerAddress: peer, route: route,
        pathParameters: parameters.map { (name: $0.0, value: $0.1) })
}
