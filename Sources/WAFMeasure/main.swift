// Measures the WAF engine alone (no agent, no HTTP) on the requests the agent overhead benchmark sends and on the
// shared corpus, so evaluator changes can be profiled in a release build of two modules. Prints; asserts nothing.
//
//   swift build -c release --product WAFMeasure
//   .build/release/WAFMeasure requests [iterations]          # the overhead benchmark's GET and 2 KB JSON POST
//   .build/release/WAFMeasure sql [iterations]               # the GET plus the RASP check of an SQL statement
//   .build/release/WAFMeasure corpus PATH.jsonl [passes]     # every corpus request, like `rampart waf bench`
import Foundation
import RampartWAF

let arguments = CommandLine.arguments
/// `WAF_CLEAN_CACHE=0` measures without the clean-value cache.
let cacheCapacity = ProcessInfo.processInfo.environment["WAF_CLEAN_CACHE"].flatMap { Int($0) } ?? 4096
let waf: WAF
do {
    waf = try WAF(rulesetJSON: DefaultRuleset.json, configuration: WAFConfiguration(cleanValueCacheCapacity: cacheCapacity))
} catch {
    print("cannot load the default ruleset: \(error)")
    exit(2)
}

/// The browser headers of scripts/bench/overhead.lua, as the agent sees them.
let browserHeaders: [(String, String)] = [
    ("host", "127.0.0.1:18472"),
    ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
    ("accept-language", "en-GB,en;q=0.9,fr;q=0.8"),
    ("accept-encoding", "gzip, deflate, br, zstd"),
    ("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"),
]
let cookieHeader = "session=8f3a2c71e9b04d5a9c1e7f20b6d4a3e8; theme=dark; cart=3; _ga=GA1.2.1234567890.1764000000"

func getRequest(search: String = "blue+coffee+mug", page: Int = 2) -> [String: WAFValue] {
    let query = "q=\(search)&category=kitchen&page=\(page)&sort=price_asc"
    return [
        "server.request.method": .string("GET"),
        "server.request.uri.raw": .string("/search?" + query),
        "server.request.headers.no_cookies": .headers(browserHeaders),
        "server.request.query": .query(query),
        "server.request.cookies": .cookies(cookieHeader),
        "http.client_ip": .string("127.0.0.1"),
    ]
}

/// An order of about 2 KB, the shape of the overhead benchmark's POST body.
func orderBody() -> WAFValue {
    var items: [WAFValue] = []
    for index in 0..<12 {
        items.append(
            .map([
                .init(key: "sku", value: .string("MUG-\(1000 + index)-BLUE")),
                .init(key: "name", value: .string("Blue ceramic coffee mug, 350 ml, dishwasher safe")),
                .init(key: "quantity", value: .unsigned(UInt64(index % 3 + 1))),
                .init(key: "price", value: .float(12.5)),
            ]))
    }
    return .map([
        .init(key: "customer", value: .map([
            .init(key: "email", value: .string("jane.doe@example.com")),
            .init(key: "name", value: .string("Jane Doe")),
            .init(key: "address", value: .string("12 Harbour Street, Flat 3, Bristol BS1 4QA, United Kingdom")),
        ])),
        .init(key: "items", value: .array(items)),
        .init(key: "note", value: .string("Please leave the parcel with the neighbour at number 14 if nobody is home.")),
        .init(key: "coupon", value: .string("WINTER-2026")),
    ])
}

func measure(_ name: String, iterations: Int, phases: [[String: WAFValue]]) {
    measure(name, iterations: iterations) { _ in phases }
}

func measure(_ name: String, iterations: Int, phasesFor: (Int) -> [[String: WAFValue]]) {
    var times: [Double] = []
    times.reserveCapacity(iterations)
    let clock = ContinuousClock()
    var fired = 0
    let cpuStart = threadCPUMicroseconds()
    for iteration in 0..<iterations {
        let phases = phasesFor(iteration)
        let start = clock.now
        let context = waf.makeContext()
        for phase in phases {
            fired += context.run(phase, budget: .seconds(1)).events.count
        }
        times.append(Double((clock.now - start).components.attoseconds) / 1e12
            + Double((clock.now - start).components.seconds) * 1e6)
    }
    times.sort()
    let median = times[times.count / 2]
    let p99 = times[min(times.count - 1, times.count * 99 / 100)]
    let mean = times.reduce(0, +) / Double(times.count)
    let cpuPerRequest = (threadCPUMicroseconds() - cpuStart) / Double(iterations)
    print(String(format: "%@: median %.1f µs, mean %.1f µs, p99 %.1f µs, thread CPU %.2f µs per request over %d requests (events %d)",
                 name, median, mean, p99, cpuPerRequest, iterations, fired))
}

/// CPU time of this thread: unlike wall time, not stretched by other processes on a loaded machine.
func threadCPUMicroseconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) * 1e6 + Double(spec.tv_nsec) / 1e3
}

let mode = arguments.count > 1 ? arguments[1] : "requests"
switch mode {
case "get":
    // One scenario only, for profiling.
    let iterations = arguments.count > 2 ? Int(arguments[2]) ?? 20000 : 20000
    measure("GET, browser headers, 4 query params (3 phases)", iterations: iterations,
            phases: [getRequest(), [:], ["server.response.status": .string("200")]])
case "requests":
    let iterations = arguments.count > 2 ? Int(arguments[2]) ?? 20000 : 20000
    let response: [String: WAFValue] = ["server.response.status": .string("200")]
    print("clean-value cache capacity \(cacheCapacity)")
    measure("GET, browser headers, 4 query params (3 phases)", iterations: iterations,
            phases: [getRequest(), [:], response])
    let words = ["blue", "mug", "coffee", "red", "teapot", "glass", "kettle", "steel", "plate", "bowl"]
    measure("GET, same headers, new search text and page on every request", iterations: iterations) { iteration in
        let search = "\(words[iteration % words.count])+\(words[(iteration / 10) % words.count])+\(iteration)"
        return [getRequest(search: search, page: iteration % 1000), [:], response]
    }
    var post = getRequest()
    post["server.request.method"] = .string("POST")
    post["server.request.query"] = nil
    post["server.request.uri.raw"] = .string("/orders")
    measure("POST 2 KB JSON (3 phases)", iterations: iterations,
            phases: [post, ["server.request.body": orderBody()], response])
case "sql":
    // The realistic endpoint: the GET's phases plus one RASP check of the SQL statement SQLKit sends (values
    // bound, as SQLKit does), as `RampartSQLKit` runs it on the request's context.
    let iterations = arguments.count > 2 ? Int(arguments[2]) ?? 20000 : 20000
    let statement = "SELECT \"id\", \"name\", \"category\", \"price\", \"stock\", \"description\" FROM \"products\" "
        + "WHERE \"category\" = ?1 ORDER BY \"price\" ASC LIMIT 20"
    var request = getRequest()
    request["server.request.query"] = .query("category=mugs")
    request["server.request.uri.raw"] = .string("/products?category=mugs")
    var times: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<iterations {
        let start = clock.now
        let context = waf.makeContext()
        _ = context.run(request, budget: .seconds(1))
        _ = context.run(
            [:], ephemeral: ["server.db.statement": .string(statement), "server.db.system": .string("sqlite")],
            budget: .seconds(1))
        _ = context.run(["server.response.status": .string("200")], budget: .seconds(1))
        let elapsed = clock.now - start
        times.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
    }
    times.sort()
    print(String(format: "GET + SQL statement RASP check (4 calls): median %.1f µs, p99 %.1f µs over %d requests",
                 times[times.count / 2], times[min(times.count - 1, times.count * 99 / 100)], iterations))
case "corpus":
    guard arguments.count > 2, let data = FileManager.default.contents(atPath: arguments[2]) else {
        print("usage: WAFMeasure corpus PATH.jsonl [passes]")
        exit(2)
    }
    let passes = arguments.count > 3 ? Int(arguments[3]) ?? 3 : 3
    let corpus: [CorpusRequest]
    do {
        corpus = try CorpusRequest.parse(jsonLines: [UInt8](data))
    } catch {
        print("cannot parse the corpus: \(error)")
        exit(2)
    }
    var times: [Double] = []
    var cpuStart = threadCPUMicroseconds()
    for _ in 0..<passes {
        times.removeAll(keepingCapacity: true)
        cpuStart = threadCPUMicroseconds()
        for request in corpus {
            let duration = waf.makeContext().run(request.addresses, budget: .seconds(1)).duration
            times.append(Double(duration.components.attoseconds) / 1e12 + Double(duration.components.seconds) * 1e6)
        }
    }
    let cpu = threadCPUMicroseconds() - cpuStart
    times.sort()
    print(String(format: "corpus: %d requests, median %.1f µs, p99 %.1f µs, total %.0f µs, thread CPU %.0f µs (last of %d passes)",
                 times.count, times[times.count / 2], times[min(times.count - 1, times.count * 99 / 100)],
                 times.reduce(0, +), cpu, passes))
default:
    print("usage: WAFMeasure requests [iterations] | corpus PATH.jsonl [passes]")
    exit(2)
}
