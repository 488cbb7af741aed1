/// libFuzzer entry point for the injection detectors on arbitrary bytes (see scripts/fuzz-waf.sh).
///
/// Input layout: byte 0 picks the detector (and SQL or shell dialect); the rest is split on NUL into the operation
/// (statement, command line, argv joined by 0x01, path, URL) and then the request parameters. The string
/// detectors (`is_sqli`, `is_xss`) get the raw bytes, invalid UTF-8 included. Besides crashes, it traps when a
/// finding points outside its operation.
import RampartWAF

@_cdecl("LLVMFuzzerTestOneInput")
public func detectorFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let selector = Int(input.byte())
    let operationBytes = input.untilNUL()
    let operation = String(decoding: operationBytes, as: UTF8.self)
    var parameters: [UserParameter] = []
    while !input.isAtEnd && parameters.count < 24 {
        let value = String(decoding: input.untilNUL(), as: UTF8.self)
        parameters.append(UserParameter(value: value, address: "server.request.query", keyPath: [.key("p")]))
    }
    let sqlDialects = SQLDialect.allCases
    let shellDialects = ShellDialect.allCases
    let detectors = sqlDialects.count + shellDialects.count + 7
    var choice = selector % detectors
    let finding: InjectionFinding?
    if choice < sqlDialects.count {
        finding = SQLInjectionDetector.detect(statement: operation, dialect: sqlDialects[choice], parameters: parameters)
    } else if (choice - sqlDialects.count) < shellDialects.count {
        choice -= sqlDialects.count
        finding = ShellInjectionDetector.detect(
            commandLine: operation, dialect: shellDialects[choice], parameters: parameters)
    } else {
        choice -= sqlDialects.count + shellDialects.count
        let raw = Array(input.bytes.dropFirst())
        switch choice {
        case 0:
            _ = SQLiStringDetector.detect(raw)
            _ = SQLiStringDetector.detect(String(decoding: raw, as: UTF8.self))
            finding = nil
        case 1:
            _ = XSSStringDetector.detect(raw)
            _ = XSSStringDetector.detect(String(decoding: raw, as: UTF8.self))
            finding = nil
        case 2:
            let arguments = operationBytes.split(separator: 1, omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            finding = CommandInjectionDetector.detect(arguments: arguments, parameters: parameters)
        case 3:
            finding = PathTraversalDetector.detect(path: operation, parameters: parameters)
        case 4:
            finding = SSRFDetector.detect(url: operation, parameters: parameters)
        case 5:
            // The last parameters double as the addresses the host resolved to (DNS rebinding path).
            finding = SSRFDetector.detect(
                url: operation, parameters: parameters, resolvedAddresses: parameters.suffix(2).map(\.value))
        default:
            finding = ShellInjectionDetector.detect(commandLine: operation, parameters: parameters)
        }
    }
    if let finding, let location = finding.location {
        let length = finding.operation.utf8.count
        if location.lowerBound < 0 || location.upperBound > length {
            fatalError("\(finding.detector) location \(location) outside an operation of \(length) bytes")
        }
    }
    return 0
}
