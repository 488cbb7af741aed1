/// `removeComments`: cuts `/* ... */` and `<!-- ... -->` comments (an unterminated one runs to the end) and
/// truncates at the first end-of-line comment opener (`--`, `#`, `//`).
enum RemoveComments {
    private enum Opener { case html, c, endOfLine }

    static func apply(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = input.count
        var out: [UInt8] = []
        var commentFound = false
        var read = 0
        var lastOpener: Opener? = nil
        while read < count {
            lastOpener = nil
            var runStart = read
            while read < count {
                let c = input[read]
                if c == 0x3C, read + 3 < count, input[read + 1] == 0x21, input[read + 2] == 0x2D, input[read + 3] == 0x2D {
                    lastOpener = .html
                    break
                }
                if c == 0x2D, read + 1 < count, input[read + 1] == 0x2D { lastOpener = .endOfLine; break }
                if c == 0x23 { lastOpener = .endOfLine; break }
                if c == 0x2F, read + 1 < count {
                    if input[read + 1] == 0x2A { lastOpener = .c; break }
                    if input[read + 1] == 0x2F { lastOpener = .endOfLine; break }
                }
                read += 1
            }
            // Keep the text before the opener (or up to the end).
            if commentFound || lastOpener != nil {
                if out.isEmpty, !commentFound { out.reserveCapacity(count) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<read]))
            }
            guard let opener = lastOpener, opener != .endOfLine else { break }
            commentFound = true
            read += opener == .html ? 4 : 2
            runStart = read
            // Skip to the terminator, or to the end when there is none.
            let (mark, terminatorRest): (UInt8, [UInt8]) = opener == .html ? (0x2D, [0x2D, 0x3E]) : (0x2A, [0x2F])
            var terminated = false
            while read < count {
                guard let found = input[read...].firstIndex(of: mark) else { break }
                read = found
                if read + terminatorRest.count < count,
                    terminatorRest.indices.allSatisfy({ input[read + 1 + $0] == terminatorRest[$0] })
                {
                    read += 1 + terminatorRest.count
                    terminated = true
                    break
                }
                read += 1
            }
            if !terminated { read = count }
        }
        if !commentFound && lastOpener == nil { return nil }
        return out
    }
}
