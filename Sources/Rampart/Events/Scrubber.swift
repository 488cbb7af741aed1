/// Removes secrets and personal data from event contents before anything leaves the process: values under
/// sensitive keys, values the configured patterns flag, and anything shaped like a payment card number.
public struct Scrubber: Sendable {
    public static let redacted = "<redacted>"

    /// Lowercased key fragments: a key containing any of them is sensitive.
    public var sensitiveKeyFragments: [String]
    /// Extra key test (the obfuscation key regex); nil = fragments only.
    public var keyMatcher: (@Sendable (String) -> Bool)?
    /// Extra value test (the obfuscation value regex); a flagged value is redacted whole.
    public var valueMatcher: (@Sendable (String) -> Bool)?

    public init(
        sensitiveKeys: [String] = RampartConfiguration.defaultSensitiveKeys,
        keyMatcher: (@Sendable (String) -> Bool)? = nil,
        valueMatcher: (@Sendable (String) -> Bool)? = nil
    ) {
        sensitiveKeyFragments = sensitiveKeys.map { $0.lowercased() }.filter { !$0.isEmpty }
        self.keyMatcher = keyMatcher
        self.valueMatcher = valueMatcher
    }

    public func isSensitive(key: String) -> Bool {
        let lowered = key.lowercased()
        if sensitiveKeyFragments.contains(where: { lowered.contains($0) }) { return true }
        return keyMatcher?(key) ?? false
    }

    /// The value as it may be reported: redacted when any key on its path is sensitive or the value matcher flags
    /// it; card numbers inside are masked otherwise.
    public func scrub(_ value: String, keyPath: [String] = []) -> String {
        if keyPath.contains(where: isSensitive(key:)) { return Self.redacted }
        if let valueMatcher, valueMatcher(value) { return Self.redacted }
        return Self.maskingCardNumbers(in: value)
    }

    /// Header or query pairs with sensitive entries redacted.
    public func scrub(pairs: [(String, String)]) -> [(String, String)] {
        pairs.map { name, value in (name, scrub(value, keyPath: [name])) }
    }

    /// Replaces every run of 13–19 digits (single spaces or dashes allowed between them) that passes the Luhn
    /// check with the redaction marker.
    public static func maskingCardNumbers(in text: String) -> String {
        let bytes = Array(text.utf8)
        var digitCount = 0
        for byte in bytes where byte >= 0x30 && byte <= 0x39 { digitCount += 1 }
        guard digitCount >= 13 else { return text }

        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard isDigit(bytes[index]), index == 0 || !isDigit(bytes[index - 1]) else {
                output.append(bytes[index])
                index += 1
                continue
            }
            // Extend a candidate run: digits, allowing one separator between digits.
            var digits: [UInt8] = []
            var end = index
            var cursor = index
            while cursor < bytes.count {
                let byte = bytes[cursor]
                if isDigit(byte) {
                    digits.append(byte &- 0x30)
                    cursor += 1
                    end = cursor
                } else if (byte == 0x20 || byte == 0x2D), cursor + 1 < bytes.count, isDigit(bytes[cursor + 1]),
                    !digits.isEmpty
                {
                    cursor += 1
                } else {
                    break
                }
                if digits.count > 19 { break }
            }
            if (13...19).contains(digits.count), passesLuhn(digits) {
                output.append(contentsOf: Self.redacted.utf8)
            } else {
                output.append(contentsOf: bytes[index..<end])
            }
            index = end
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func passesLuhn(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            var value = Int(digit)
            if offset % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }
}
