/// libFuzzer entry point for the evaluator: the default ruleset run on arbitrary `WAFValue` trees decoded from the
/// fuzz bytes (see scripts/fuzz-waf.sh). Besides crashes, it traps when a call overruns its budget by far.
///
/// Input layout: a sequence of `run` calls on one context; each call is a list of (address, value, ephemeral?)
/// triples. Values are nested maps and arrays (deeper and wider than the default limits), strings (short, or a
/// chunk repeated into a long string; invalid UTF-8 is repaired since `WAFValue.string` holds a `String`), signed,
/// unsigned and float numbers from raw bit patterns (NaN, infinities), booleans and nulls.
import RampartWAF

/// The default ruleset, compiled once for the whole run.
let defaultWAF: WAF? = try? WAF(rulesetJSON: DefaultRuleset.json)

@_cdecl("LLVMFuzzerTestOneInput")
public func wafEvaluatorFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let waf = defaultWAF else { fatalError("the default ruleset does not load") }
    var input = FuzzInput(data, size)
    let budget = Duration.microseconds(Int64(input.byte() % 64 + 1) * 100)
    var calls: [(data: [String: WAFValue], ephemeral: [String: WAFValue])] = []
    var nodes = 0
    while !input.isAtEnd && calls.count < 4 {
        var persistent: [String: WAFValue] = [:]
        var ephemeral: [String: WAFValue] = [:]
        let count = Int(input.byte() % 8) + 1
        for _ in 0..<count {
            let flags = input.byte()
            let address = EvaluatorInput.address(flags, &input)
            let value = EvaluatorInput.value(&input, depth: 0, nodes: &nodes)
            if flags & 0x80 != 0 { ephemeral[address] = value } else { persistent[address] = value }
        }
        calls.append((persistent, ephemeral))
    }
    let context = waf.makeContext()
    for (index, call) in calls.enumerated() {
        let start = ContinuousClock.now
        let result = context.run(call.data, ephemeral: call.ephemeral, budget: budget)
        let elapsed = ContinuousClock.now - start
        if elapsed > budget + EvaluatorInput.margin {
            // Rerun on a fresh context before calling it a hang: one long pause of a loaded machine is not one.
            let retry = waf.makeContext()
            for earlier in calls[..<index] { _ = retry.run(earlier.data, ephemeral: earlier.ephemeral, budget: budget) }
            let again = ContinuousClock.now
            _ = retry.run(call.data, ephemeral: call.ephemeral, budget: budget)
            let elapsedAgain = ContinuousClock.now - again
            if elapsedAgain > budget + EvaluatorInput.margin {
                fatalError("run \(index) took \(elapsed) then \(elapsedAgain) with a budget of \(budget)")
            }
        }
        for event in result.events where event.rule.id.isEmpty { fatalError("event without a rule id") }
    }
    return 0
}

enum EvaluatorInput {
    /// How far past its budget a call may return. Generous: the machine is shared and AddressSanitizer is slow.
    static let margin = Duration.milliseconds(250)

    /// Addresses the default ruleset reads, and a few it does not.
    static let addresses = [
        "server.request.query", "server.request.body", "server.request.headers.no_cookies",
        "server.request.cookies", "server.request.uri.raw", "server.request.method", "server.request.path_params",
        "http.client_ip", "usr.id", "server.db.statement", "server.db.system", "server.io.fs.file",
        "server.io.net.url", "server.sys.shell.cmd", "server.sys.exec.cmd", "server.response.status",
        "graphql.server.all_resolvers", "",
    ]

    static func address(_ flags: UInt8, _ input: inout FuzzInput) -> String {
        let choice = Int(flags & 0x1F)
        return choice < addresses.count ? addresses[choice] : input.string(limit: 40)
    }

    static func value(_ input: inout FuzzInput, depth: Int, nodes: inout Int) -> WAFValue {
        nodes += 1
        let tag = input.byte()
        // Past these bounds only leaves are made, so one input cannot build an unbounded tree.
        let canNest = depth < 40 && nodes < 20_000
        switch tag % 10 {
        case 0, 1: return .string(input.string())
        case 2:
            // A long string: a chunk repeated, beyond the 4096-byte default limit when the count is high.
            let chunk = input.chunk(limit: 64)
            let repeats = Int(input.byte()) * 40 + 1
            var bytes: [UInt8] = []
            bytes.reserveCapacity(chunk.count * repeats)
            for _ in 0..<repeats { bytes += chunk }
            return .string(String(decoding: bytes, as: UTF8.self))
        case 3: return .signed(Int64(bitPattern: input.word64()))
        case 4: return .unsigned(input.word64())
        case 5: return .float(Double(bitPattern: input.word64()))
        case 6: return tag & 0x10 != 0 ? .bool(tag & 0x20 != 0) : .null
        case 7 where canNest:
            let count = tag >= 250 ? 300 : Int(input.byte() % 12)
            var elements: [WAFValue] = []
            for _ in 0..<count {
                elements.append(value(&input, depth: depth + 1, nodes: &nodes))
            }
            return .array(elements)
        case 8, 9 where canNest:
            let count = tag >= 250 ? 300 : Int(input.byte() % 12)
            var entries: [WAFValue.Entry] = []
            for _ in 0..<count {
                let key = input.string(limit: 64)
                entries.append(.init(key: key, value: value(&input, depth: depth + 1, nodes: &nodes)))
            }
            return .map(entries)
        default: return .string(input.string())
        }
    }
}
