/// libFuzzer entry point for RampartRegex: parse, compile and match arbitrary bytes (see scripts/fuzz-regex.sh).
///
/// Built as one module with the RampartRegex sources. Input layout: byte 0 selects the options, the bytes up to the
/// first NUL are the pattern (invalid UTF-8 repaired, as a `String` would be), the rest is the subject, matched as
/// raw bytes. Besides crashes, it traps when the engine's answers disagree with each other.

@_cdecl("LLVMFuzzerTestOneInput")
public func regexFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let first = bytes.first else { return 0 }
    let options = RegexOptions(rawValue: first & 0x0F)
    let rest = bytes.dropFirst()
    let separator = rest.firstIndex(of: 0) ?? rest.endIndex
    let pattern = String(decoding: rest[rest.startIndex..<separator], as: UTF8.self)
    let subject = Array(rest[min(separator + 1, rest.endIndex)...])

    guard let regex = try? SafeRegex(pattern, options: options) else { return 0 }
    let matched = regex.matches(subject)
    let span = regex.firstMatch(in: subject)
    if matched != (span != nil) { fatalError("matches() and firstMatch() disagree on \(pattern.debugDescription)") }
    if let span, span.lowerBound < 0 || span.upperBound > subject.count || span.lowerBound > span.upperBound {
        fatalError("span \(span) out of bounds for \(pattern.debugDescription)")
    }
    if let set = try? RegexSet([RegexSet.Pattern(pattern, options: options), RegexSet.Pattern("a")]) {
        let indices = set.matchingIndices(in: subject)
        if indices.contains(0) != matched { fatalError("RegexSet and SafeRegex disagree on \(pattern.debugDescription)") }
        if indices.contains(1) != subject.contains(UInt8(ascii: "a")) { fatalError("RegexSet missed literal a") }
    }
    return 0
}
