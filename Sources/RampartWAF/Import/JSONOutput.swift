/// A JSON document being written, with object keys kept in insertion order so generated rulesets read naturally
/// (`id`, `name`, `tags`, `conditions`...) and diff cleanly. Used by importers; not on any request path.
enum JSONOutput: Sendable, Equatable {
    case string(String)
    case number(Int)
    case bool(Bool)
    case null
    case array([JSONOutput])
    case object([(String, JSONOutput)])

    static func == (lhs: JSONOutput, rhs: JSONOutput) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// Applies `transform` to each element of `parameters.inputs` of a condition object.
    func mappingInputs(_ transform: (JSONOutput) -> JSONOutput) -> JSONOutput {
        guard case .object(var fields) = self,
              let parametersIndex = fields.firstIndex(where: { $0.0 == "parameters" }),
              case .object(var parameters) = fields[parametersIndex].1,
              let inputsIndex = parameters.firstIndex(where: { $0.0 == "inputs" }),
              case .array(let inputs) = parameters[inputsIndex].1 else { return self }
        parameters[inputsIndex].1 = .array(inputs.map(transform))
        fields[parametersIndex].1 = .object(parameters)
        return .object(fields)
    }

    func serialized(indent: Bool = false) -> String {
        var output = ""
        write(to: &output, indent: indent ? 0 : nil)
        if indent { output += "\n" }
        return output
    }

    private func write(to output: inout String, indent: Int?) {
        let newline: (Int) -> String = { level in indent == nil ? "" : "\n" + String(repeating: " ", count: level) }
        let level = indent ?? 0
        switch self {
        case .string(let value): Self.writeString(value, to: &output)
        case .number(let value): output += String(value)
        case .bool(let value): output += value ? "true" : "false"
        case .null: output += "null"
        case .array(let elements):
            if elements.isEmpty { output += "[]"; return }
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                output += newline(level + 1)
                element.write(to: &output, indent: indent.map { _ in level + 1 })
            }
            output += newline(level) + "]"
        case .object(let fields):
            if fields.isEmpty { output += "{}"; return }
            output += "{"
            for (index, (key, value)) in fields.enumerated() {
                if index > 0 { output += "," }
                output += newline(level + 1)
                Self.writeString(key, to: &output)
                output += indent == nil ? ":" : ": "
                value.write(to: &output, indent: indent.map { _ in level + 1 })
            }
            output += newline(level) + "}"
        }
    }

    private static func writeString(_ value: String, to output: inout String) {
        WAFValue.writeJSONString(value, to: &output)
    }
}
