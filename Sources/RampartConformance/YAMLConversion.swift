/// RampartConformance: runs libddwaf's black-box validator tests (YAML suites) against RampartWAF and reports
/// every difference.
import RampartWAF
import Yams

/// Turns composed YAML nodes into what the WAF consumes: JSON bytes for rulesets, `WAFValue`s for inputs.
///
/// Scalars keep the type YAML's core schema resolves for them (`1` is an integer, `"1"` and `abc` strings,
/// `true` a boolean, `~` null), as libddwaf's own runner does; mapping keys are always their text.
enum YAMLConversion {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func compose(_ text: String, file: String) throws(Failure) -> Node {
        do {
            guard let node = try Yams.compose(yaml: text) else { throw Failure(description: "\(file): empty YAML") }
            return node
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "\(file): \(error)")
        }
    }

    // MARK: JSON

    static func jsonBytes(_ node: Node) -> [UInt8] {
        var output: [UInt8] = []
        appendJSON(node, to: &output)
        return output
    }

    private static func appendJSON(_ node: Node, to output: inout [UInt8]) {
        switch node {
        case .scalar(let scalar):
            switch scalarValue(node, scalar) {
            case .string(let text): appendJSONString(text, to: &output)
            case .signed(let number): output += Array(String(number).utf8)
            case .unsigned(let number): output += Array(String(number).utf8)
            case .float(let number) where number.isFinite: output += Array(String(number).utf8)
            case .float: output += Array("null".utf8)
            case .bool(let flag): output += Array((flag ? "true" : "false").utf8)
            default: output += Array("null".utf8)
            }
        case .mapping(let mapping):
            output.append(UInt8(ascii: "{"))
            for (index, pair) in mapping.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                appendJSONString(keyText(pair.key), to: &output)
                output.append(UInt8(ascii: ":"))
                appendJSON(pair.value, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .sequence(let sequence):
            output.append(UInt8(ascii: "["))
            for (index, element) in sequence.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                appendJSON(element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .alias:
            output += Array("null".utf8)
        }
    }

    private static func appendJSONString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output += Array("\\u00".utf8)
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    // MARK: Values

    static func wafValue(_ node: Node) -> WAFValue {
        switch node {
        case .scalar(let scalar):
            return scalarValue(node, scalar)
        case .mapping(let mapping):
            return .map(mapping.map { WAFValue.Entry(key: keyText($0.key), value: wafValue($0.value)) })
        case .sequence(let sequence):
            return .array(sequence.map(wafValue))
        case .alias:
            return .null
        }
    }

    /// The scalar's value under YAML's core schema; integers too large for Int64 become unsigned or stay text.
    private static func scalarValue(_ node: Node, _ scalar: Node.Scalar) -> WAFValue {
        let text = scalar.string
        switch Tag.Name(rawValue: node.tag.rawValue) {
        case .int:
            if let number = Int64(text) { return .signed(number) }
            if let number = UInt64(text) { return .unsigned(number) }
            if let number = node.int { return .signed(Int64(number)) }
            return .string(text)
        case .float:
            return node.float.map(WAFValue.float) ?? .string(text)
        case .bool:
            return node.bool.map(WAFValue.bool) ?? .string(text)
        case .null:
            return .null
        default:
            return .string(text)
        }
    }

    /// A node's text when used as a key or an identifier (`2:` is rule id "2", not the number 2).
    static func keyText(_ node: Node) -> String {
        if case .scalar(let scalar) = node { return scalar.string }
        return ""
    }

    /// The value of `key` in a mapping node.
    static func field(_ node: Node, _ key: String) -> Node? {
        guard case .mapping(let mapping) = node else { return nil }
        return mapping.first(where: { keyText($0.key) == key })?.value
    }
}
