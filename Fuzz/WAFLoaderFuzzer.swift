/// libFuzzer entry point for the ruleset loader: arbitrary bytes as a libddwaf JSON ruleset (see scripts/fuzz-waf.sh).
///
/// Links the RampartWAF module. Whatever the bytes, `WAF(rulesetJSON:)` must return or throw, and a ruleset that
/// loads must evaluate a fixed request and accept the same bytes as an update of itself.
import RampartWAF

@_cdecl("LLVMFuzzerTestOneInput")
public func wafLoaderFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let json = Array(UnsafeBufferPointer(start: data, count: size))
    guard let waf = try? WAF(rulesetJSON: json) else { return 0 }
    let budget = Duration.milliseconds(5)
    let start = ContinuousClock.now
    let result = waf.makeContext().run(LoaderProbe.request, ephemeral: LoaderProbe.sinks, budget: budget)
    let elapsed = ContinuousClock.now - start
    // A scheduling pause on a loaded machine can take long; only a call far past its budget is a hang.
    if elapsed > budget + .seconds(1) { fatalError("run took \(elapsed) with a budget of \(budget)") }
    if result.timedOut && result.events.count > waf.ruleIDs.count { fatalError("more events than rules") }
    _ = try? waf.updating(rulesetJSON: json)
    return 0
}

/// A request touching every address the rulesets commonly read, with values that trip many operators.
enum LoaderProbe {
    static let request: [String: WAFValue] = [
        "server.request.query": .map([
            .init(key: "q", value: .array([.string("1' OR '1'='1"), .string("<script>alert(1)</script>")])),
            .init(key: "file", value: .string("../../etc/passwd")),
        ]),
        "server.request.body": .map([
            .init(key: "cmd", value: .string("; cat /etc/passwd")),
            .init(key: "n", value: .signed(-42)),
            .init(key: "f", value: .float(3.5)),
            .init(key: "b", value: .bool(true)),
        ]),
        "server.request.headers.no_cookies": .map([
            .init(key: "user-agent", value: .string("sqlmap/1.0")),
            .init(key: "x-forwarded-for", value: .string("10.0.0.1")),
        ]),
        "server.request.cookies": .map([.init(key: "session", value: .string("abc"))]),
        "server.request.uri.raw": .string("/admin/../.git/config?x=%27%20union%20select"),
        "server.request.method": .string("POST"),
        "server.request.path_params": .map([.init(key: "id", value: .unsigned(7))]),
        "http.client_ip": .string("192.168.1.10"),
        "usr.id": .string("admin"),
        "server.response.status": .string("404"),
    ]
    static let sinks: [String: WAFValue] = [
        "server.db.statement": .string("SELECT * FROM t WHERE q = '1' OR '1'='1'"),
        "server.db.system": .string("postgresql"),
        "server.io.fs.file": .string("/var/www/../../etc/passwd"),
        "server.io.net.url": .string("http://169.254.169.254/latest"),
        "server.sys.shell.cmd": .string("ls ; cat /etc/passwd"),
        "server.sys.exec.cmd": .array([.string("sh"), .string("-c"), .string("; cat /etc/passwd")]),
    ]
}
