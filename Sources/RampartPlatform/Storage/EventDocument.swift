import Foundation
import RampartProtocol

/// The JSON document stored with each event, written byte by byte rather than through `JSONEncoder`, which took
/// about 15% of ingest's CPU time with 20-event heartbeats (its boxing and the timestamp's date formatting).
/// The output is the wire format ``ProtocolCoding`` reads: keys sorted, optional fields omitted when absent,
/// timestamps as ISO 8601 UTC with milliseconds.
enum EventDocument {
    static func json(_ event: SecurityEvent) -> String {
        var writer = Writer()
        writer.object { object in
            object.field("blocked") { $0.raw(event.blocked ? "true" : "false") }
            object.field("clientIP") { $0.string(event.clientIP) }
            object.field("eventID") { $0.string(event.eventID.uuidString) }
            object.field("kind") { $0.string(event.kind.rawValue) }
            object.field("method") { $0.string(event.method) }
            object.field("path") { $0.string(event.path) }
            if let request = event.request {
                object.field("request") { value in
                    value.object { summary in
                        summary.field("headers") { $0.stringDictionary(request.headers) { $0.string($1) } }
                        summary.field("query") { $0.stringDictionary(request.query) { $0.strings($1) } }
                    }
                }
            }
            object.field("route") { $0.string(event.route) }
            object.field("rules") { value in
                value.array(event.rules) { $0.rule($1) }
            }
            if let stack = event.stack { object.field("stack") { $0.strings(stack) } }
            if let status = event.status { object.field("status") { $0.raw(String(status)) } }
            object.field("timestamp") { $0.string(timestamp(event.timestamp)) }
            if let userAgent = event.userAgent { object.field("userAgent") { $0.string(userAgent) } }
            if let userID = event.userID { object.field("userID") { $0.string(userID) } }
        }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// ``ProtocolTimestamp/string(from:)`` without Foundation's date formatting: the civil date computed from the
    /// day number. Dates outside years 1900-9999 take the formatter (which may switch to the Julian calendar for old dates).
    static func timestamp(_ date: Date) -> String {
        let scaled = (date.timeIntervalSince1970 * 1000).rounded(.toNearestOrAwayFromZero)
        guard scaled.isFinite, abs(scaled) < 2.5e14 else { return ProtocolTimestamp.string(from: date) }
        let milliseconds = Int64(scaled)
        let millisPerDay: Int64 = 86_400_000
        let days = milliseconds >= 0 ? milliseconds / millisPerDay : (milliseconds - millisPerDay + 1) / millisPerDay
        let ofDay = milliseconds - days * millisPerDay
        // Days since 1970-01-01 to year, month, day (proleptic Gregorian; eras of 400 years).
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        guard (1900...9999).contains(year) else { return ProtocolTimestamp.string(from: date) }
        func padded(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let seconds = ofDay / 1000
        return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2) + "T" + padded(seconds / 3600, 2) + ":"
            + padded(seconds / 60 % 60, 2) + ":" + padded(seconds % 60, 2) + "." + padded(ofDay % 1000, 3) + "Z"
    }

    /// Appends JSON to a byte buffer.
    struct Writer {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(768) }

        mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

        /// A JSON string: `"` and `\` escaped, control characters as their short escape or `\u00XX`; other
        /// characters as UTF-8, which a Swift string always is.
        mutating func string(_ text: String) {
            bytes.append(UInt8(ascii: "\""))
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
                case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
                case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")]
                    bytes += [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                default: bytes.append(byte)
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }

        mutating func strings(_ values: [String]) {
            array(values) { $0.string($1) }
        }

        mutating func array<Element>(_ elements: [Element], _ write: (inout Writer, Element) -> Void) {
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(&self, element)
            }
            bytes.append(UInt8(ascii: "]"))
        }

        mutating func object(_ body: (inout ObjectWriter) -> Void) {
            var object = ObjectWriter(writer: self)
            bytes = []
            object.writer.bytes.append(UInt8(ascii: "{"))
            body(&object)
            object.writer.bytes.append(UInt8(ascii: "}"))
            self = object.writer
        }

        /// An object with the dictionary's keys in sorted order.
        mutating func stringDictionary<Value>(_ dictionary: [String: Value], _ write: (inout Writer, Value) -> Void) {
            object { object in
                for key in dictionary.keys.sorted() {
                    guard let value = dictionary[key] else { continue }
                    object.field(key) { write(&$0, value) }
                }
            }
        }

        mutating func rule(_ rule: RuleMatchEvidence) {
            object { object in
                object.field("address") { $0.string(rule.address) }
                object.field("category") { $0.string(rule.category) }
                if let crsID = rule.crsID { object.field("crsID") { $0.string(crsID) } }
                object.field("highlight") { $0.strings(rule.highlight) }
                object.field("keyPath") { $0.strings(rule.keyPath) }
                object.field("operator") { $0.string(rule.operator) }
                object.field("operatorValue") { $0.string(rule.operatorValue) }
                object.field("ruleID") { $0.string(rule.ruleID) }
                object.field("ruleName") { $0.string(rule.ruleName) }
                object.field("value") { $0.string(rule.value) }
            }
        }
    }

    /// Writes `"key":value` members separated by commas.
    struct ObjectWriter {
        var writer: Writer
        private var isFirst = true

        init(writer: Writer) { self.writer = writer }

        mutating func field(_ key: String, _ value: (inout Writer) -> Void) {
            if !isFirst { writer.bytes.append(UInt8(ascii: ",")) }
            isFirst = false
            writer.string(key)
            writer.bytes.append(UInt8(ascii: ":"))
            value(&writer)
        }
    }
}
