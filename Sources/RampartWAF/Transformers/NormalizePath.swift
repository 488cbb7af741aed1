/// `normalizePath` / `normalizePathWin`: removes `./` segments and resolves `../` against the output written so far,
/// following libddwaf's in-place algorithm — including its blind spots (a trailing `/.` is only dropped when
/// something else changed; `..` can never climb above the start).
enum NormalizePath {
    private static let dot: UInt8 = 0x2E, slash: UInt8 = 0x2F, backslash: UInt8 = 0x5C

    static func apply(_ input: UnsafeBufferPointer<UInt8>, windows: Bool) -> [UInt8]? {
        if windows {
            guard input.contains(backslash) else { return normalize(input) }
            // Backslashes become slashes first; that alone counts as a change even when the path is not modified.
            let slashed = input.map { $0 == backslash ? slash : $0 }
            return slashed.withUnsafeBufferPointer { normalize($0) } ?? slashed
        }
        return normalize(input)
    }

    /// libddwaf's `normalize_path::transform_impl`, out of place. `modified` mirrors its flag: set when a byte is
    /// copied to a different position or a `..` is resolved.
    private static func normalize(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = input.count
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var modified = false
        var read = 0
        while read < count {
            let byte = input[read]
            if byte != dot || (read + 1 != count && input[read + 1] != slash) {
                if read != out.count { modified = true }
                out.append(byte)
                read += 1
                continue
            }
            // A `.` followed by `/` or by the end of the value.
            if read == 0 || input[read - 1] == slash {
                read += 2  // `./` and `/./`: skip both bytes
            } else if read > 1, input[read - 1] == dot, input[read - 2] == slash {
                // `/..`: the write head already holds `/.`; back up to the previous `/`.
                var write = out.count - min(out.count, 3)
                while write != 0, out[write] != slash { write -= 1 }
                out.removeSubrange(write...)
                out.append(slash)
                read += 2
                modified = true
            } else {
                if read != out.count { modified = true }
                out.append(byte)
                read += 1
            }
        }
        return modified ? out : nil
    }
}
