/// `compressWhiteSpace`: each run of spaces becomes one space. Only U+0020 counts — libddwaf leaves tabs and
/// newlines alone.
enum CompressWhitespace {
    static func apply(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let space: UInt8 = 0x20
        var first = 1
        while first < input.count, !(input[first] == space && input[first - 1] == space) { first += 1 }
        guard first < input.count else { return nil }
        var out = [UInt8](copyingPrefix: first, of: input, capacity: input.count)
        for index in first..<input.count where !(input[index] == space && input[index - 1] == space) {
            out.append(input[index])
        }
        return out
    }
}
