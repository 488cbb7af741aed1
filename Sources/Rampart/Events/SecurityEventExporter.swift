import Foundation
import Logging
import NIOConcurrencyHelpers
import RampartProtocol
import Tracing

/// A destination for security events. `export` is called on the request path once per event, so it must be
/// quick and must never throw or block for long.
public protocol SecurityEventExporter: Sendable {
    func export(_ event: SecurityEvent)
}

/// Writes each event to swift-log (always installed): a warning with the essentials as metadata.
public struct LogExporter: SecurityEventExporter {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func export(_ event: SecurityEvent) {
        logger.warning(
            "Rampart security event",
            metadata: [
                "kind": "\(event.kind.rawValue)",
                "blocked": "\(event.blocked)",
                "rules": "\(event.rules.map(\.ruleID).uniqued().joined(separator: ","))",
                "method": "\(event.method)",
                "path": "\(event.path)",
                "client_ip": "\(event.clientIP)",
                "event_id": "\(event.eventID.uuidString)",
            ])
    }
}

/// Appends each event as one JSON line (the protocol's encoding) to a file.
public final class JSONLinesFileExporter: SecurityEventExporter {
    private let handle: NIOLockedValueBox<FileHandle>

    public init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        self.handle = NIOLockedValueBox(handle)
    }

    public func export(_ event: SecurityEvent) {
        guard var line = try? ProtocolCoding.encode(event) else { return }
        line.append(0x0A)
        handle.withLockedValue { try? $0.write(contentsOf: line) }
    }
}

/// Marks the active span (swift-distributed-tracing) of the request, as APM-integrated WAFs do: the trace shows
/// that the request was an attack, which rules fired and whether it was blocked.
public struct SpanAttributeExporter: SecurityEventExporter {
    public init() {}

    public func export(_ event: SecurityEvent) {
        guard let context = ServiceContext.current,
            let span = InstrumentationSystem.tracer.activeSpan(identifiedBy: context)
        else { return }
        span.attributes["rampart.event"] = true
        span.attributes["rampart.event.kind"] = event.kind.rawValue
        span.attributes["rampart.blocked"] = event.blocked
        span.attributes["rampart.rules"] = event.rules.map(\.ruleID).uniqued().joined(separator: ",")
        span.attributes["rampart.client_ip"] = event.clientIP
        span.addEvent(SpanEvent(name: "rampart.\(event.kind.rawValue)"))
    }
}

extension Sequence where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
