/// The compiled form of a rule condition: an operator plus the inputs it reads.

/// Which part of the data under an input is inspected: values (default) or map keys (`keys_only`).
enum DataSource: Sendable, Hashable {
    case values
    case keys
}

/// A byte → byte transformation applied before matching (`lowercase`, `urlDecode`, ...).
protocol TransformStep: Sendable {
    /// The transformed bytes, or nil when the input is unchanged.
    func apply(to input: [UInt8]) -> [UInt8]?
    func apply(to input: UnsafeRawBufferPointer) -> [UInt8]?
}

/// The transformers of one input, applied in order. Equal chains are compared by name so conditions sharing
/// them are grouped and each value is transformed once per chain.
struct TransformerChain: Sendable, Hashable {
    let names: [String]
    let steps: [any TransformStep]

    static let empty = TransformerChain(names: [], steps: [])

    var isEmpty: Bool { names.isEmpty }

    static func == (lhs: TransformerChain, rhs: TransformerChain) -> Bool { lhs.names == rhs.names }
    func hash(into hasher: inout Hasher) { hasher.combine(names) }

    /// The transformed value, or nil when no step changed it.
    func apply(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let first = steps.first else { return nil }
        // The first step reads the value in place; later ones only run on a copy if something changed.
        var current = first.apply(to: bytes)
        for step in steps.dropFirst() {
            if let changed = current {
                if let next = step.apply(to: changed) { current = next }
            } else {
                current = step.apply(to: bytes)
            }
        }
        return current
    }
}

/// One place a condition reads: an address, an optional path inside it, transformers and the data source.
struct ConditionInput: Sendable, Hashable {
    let address: String
    let addressID: Int
    let keyPath: [KeyPathComponent]
    let transformers: TransformerChain
    let source: DataSource
}

/// What a condition does with its inputs.
enum ConditionKind: Sendable {
    /// Any scalar under any input matches the matcher (libddwaf's scalar condition).
    case scalar(any ScalarMatcher)
    /// The single input exists and none of its scalars match (`!match_regex`, ...).
    case negatedScalar(any ScalarMatcher)
    /// Any input (with its key path) is present; negated: the (single) input is absent.
    case exists(negated: Bool)
    /// An operator reading several named arguments at once (the RASP detectors).
    case structured(any StructuredOperator)
    /// The condition reads a `rules_data` entry that is not loaded: it cannot match (as libddwaf).
    case missingData(String)
}

/// A named argument of a structured operator and the inputs it may be read from.
struct StructuredArgument: Sendable {
    let name: String
    let inputs: [ConditionInput]
}

/// One resolved argument value handed to a structured operator.
struct ArgumentValue: Sendable {
    let address: String
    let keyPath: [KeyPathComponent]
    let value: WAFValue
}

/// Operators that judge several arguments together (`resource`, `params`, `db_type`, ...).
protocol StructuredOperator: Sendable {
    var operatorName: String { get }
    /// The arguments read from `parameters`, and whether each is required.
    var argumentNames: [(name: String, required: Bool)] { get }
    /// Evaluates the arguments found in this run (first present input of each argument).
    func evaluate(_ arguments: [String: ArgumentValue], limits: WAFLimits) -> RuleMatch?
}

/// A class so the evaluator reads a condition with one retain instead of copying its fields.
final class CompiledCondition: Sendable {
    let kind: ConditionKind
    /// Inputs in evaluation order (for structured operators: every argument's inputs).
    let inputs: [ConditionInput]
    let arguments: [StructuredArgument]
    /// `kind` is `.scalar`: tested without copying the matcher out of the enum (most conditions are scalar).
    let isScalar: Bool
    /// For structured operators: per required argument, the addresses of its inputs. The condition has nothing
    /// to evaluate until each list has an address with data (most calls carry no `resource`, e.g. no SQL query).
    let requiredArgumentAddresses: [[Int]]

    init(kind: ConditionKind, inputs: [ConditionInput], arguments: [StructuredArgument]) {
        self.kind = kind
        self.inputs = inputs
        self.arguments = arguments
        if case .scalar = kind { isScalar = true } else { isScalar = false }
        if case .structured(let structured) = kind {
            requiredArgumentAddresses = structured.argumentNames.filter(\.required).map { name, _ in
                arguments.first(where: { $0.name == name })?.inputs.map(\.addressID) ?? []
            }
        } else {
            requiredArgumentAddresses = []
        }
    }
}

/// Everything an operator factory needs to build a condition.
struct ConditionRequest {
    let ruleID: String
    let parameters: ConfigObject
    let version: Int
    let negated: Bool
    let rulesData: RulesDataStore
    let artifacts: CompiledArtifacts
}
