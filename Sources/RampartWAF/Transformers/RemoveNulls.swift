/// `removeNulls`: drops every NUL byte.
enum RemoveNulls {
    static func apply(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let first = input.firstIndex(of: 0) else { return nil }
        var out = [UInt8](copyingPrefix: first, of: input, capacity: input.count)
        for index in first..<input.count where input[index] != 0 {
            out.append(input[index])
        }
        return out
    }
}
