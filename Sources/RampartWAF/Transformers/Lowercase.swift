/// `lowercase`: ASCII A–Z to a–z; every other byte unchanged.
enum Lowercase {
    static func apply(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let first = input.firstIndex(where: ASCIIByte.isUpper) else { return nil }
        var out = [UInt8](copyingPrefix: first, of: input, capacity: input.count)
        for index in first..<input.count {
            out.append(ASCIIByte.lowercased(input[index]))
        }
        return out
    }
}
