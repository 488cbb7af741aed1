import RampartWAF

/// Turns a collected request body into the WAF's `server.request.body` value (and multipart file names), by
/// content type: JSON, URL-encoded forms, multipart forms (field values and file names; file contents are not
/// inspected). Unknown types and malformed bodies give nil: nothing to inspect, never an error.
public enum RequestBodyParser {
    public struct Parsed: Sendable, Hashable {
        public var body: WAFValue?
        public var fileNames: [String]
    }

    /// Largest multipart text field kept for inspection; longer values are cut (the WAF limits strings anyway).
    static let maxFieldBytes = 4096

    public static func parse(_ bytes: [UInt8], contentType: String?) -> Parsed {
        guard !bytes.isEmpty else { return Parsed(body: nil, fileNames: []) }
        let type = contentType.map { mediaType(of: $0) } ?? ""
        if type == "application/json" || type.hasSuffix("+json") {
            return Parsed(body: try? WAFValue(jsonBytes: bytes), fileNames: [])
        }
        if type == "application/x-www-form-urlencoded" {
            return Parsed(body: WAFValue.form(String(decoding: bytes, as: UTF8.self)), fileNames: [])
        }
        if type == "multipart/form-data", let contentType, let boundary = parameter("boundary", in: contentType) {
            return parseMultipart(bytes, boundary: boundary)
        }
        if type == "text/plain" {
            return Parsed(body: .string(String(decoding: bytes.prefix(maxFieldBytes), as: UTF8.self)), fileNames: [])
        }
        return Parsed(body: nil, fileNames: [])
    }

    /// `Application/JSON; charset=utf-8` → `application/json`. Byte-level (`;` and the spaces around the type are
    /// ASCII): this runs on every request with a body.
    static func mediaType(of contentType: String) -> String {
        let utf8 = contentType.utf8
        var end = utf8.firstIndex(of: UInt8(ascii: ";")) ?? utf8.endIndex
        var start = utf8.startIndex
        while start < end, utf8[start] == 0x20 || utf8[start] == 0x09 { start = utf8.index(after: start) }
        while end > start {
            let last = utf8.index(before: end)
            guard utf8[last] == 0x20 || utf8[last] == 0x09 else { break }
            end = last
        }
        let main = Substring(utf8[start..<end])
        let hasUppercase = main.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        return hasUppercase ? main.lowercased() : String(main)
    }

    static func parameter(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let pair = part.trimmingSpaces()
            guard let equals = pair.firstIndex(of: "=") else { continue }
            guard pair[..<equals].trimmingSpaces().lowercased() == name else { continue }
            var value = pair[pair.index(after: equals)...].trimmingSpaces()
            if value.first == "\"", value.last == "\"", value.count >= 2 { value = value.dropFirst().dropLast() }
            return value.isEmpty ? nil : String(value)
        }
        return nil
    }

    /// Field values by name (arrays, as forms can repeat names) and the file names of file parts.
    static func parseMultipart(_ bytes: [UInt8], boundary: String) -> Parsed {
        let delimiter = Array(("--" + boundary).utf8)
        var fields: [WAFValue.Entry] = []
        var indexOfField: [String: Int] = [:]
        var fileNames: [String] = []
        var position = indexOf(delimiter, in: bytes, from: 0)
        while var start = position {
            start += delimiter.count
            // `--boundary--` ends the body.
            if start + 1 < bytes.count, bytes[start] == 0x2D, bytes[start + 1] == 0x2D { break }
            guard let next = indexOf(delimiter, in: bytes, from: start) else { break }
            position = next
            guard let headerEnd = indexOf([0x0D, 0x0A, 0x0D, 0x0A], in: bytes, from: start), headerEnd < next else {
                continue
            }
            let headerText = String(decoding: bytes[start..<headerEnd], as: UTF8.self)
            var contentStart = headerEnd + 4
            var contentEnd = next
            // The CRLF before the next delimiter belongs to the framing.
            if contentEnd - contentStart >= 2, bytes[contentEnd - 2] == 0x0D, bytes[contentEnd - 1] == 0x0A {
                contentEnd -= 2
            }
            contentStart = min(contentStart, contentEnd)
            var name: String?
            var fileName: String?
            for line in headerText.split(whereSeparator: \.isNewline) {
                guard line.lowercased().hasPrefix("content-disposition:") else { continue }
                let value = String(line)
                name = parameter("name", in: value)
                fileName = parameter("filename", in: value)
            }
            if let fileName {
                fileNames.append(fileName)
                continue
            }
            guard let name else { continue }
            let text = String(decoding: bytes[contentStart..<min(contentEnd, contentStart + maxFieldBytes)], as: UTF8.self)
            if let existing = indexOfField[name], case .array(var values) = fields[existing].value {
                values.append(.string(text))
                fields[existing].value = .array(values)
            } else {
                indexOfField[name] = fields.count
                fields.append(WAFValue.Entry(key: name, value: .array([.string(text)])))
            }
        }
        return Parsed(body: fields.isEmpty ? nil : .map(fields), fileNames: fileNames)
    }

    static func indexOf(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, start >= 0, haystack.count >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var offset = 1
                while offset < needle.count, haystack[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return index }
            }
            index += 1
        }
        return nil
    }
}
