/// The value a POSIX shell gives a word after quote removal — what `sh -c` receives as its script. Expansions
/// (`$x`, `$( )`, backticks) are kept as written: their result is unknown before run time.
enum ShellWordValue {
    static func literal(_ word: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var value: [UInt8] = []
        value.reserveCapacity(word.count)
        var i = 0
        let n = word.count
        while i < n {
            let c = word[i]
            switch c {
            case UInt8(ascii: "'"):
                i &+= 1
                while i < n && word[i] != UInt8(ascii: "'") {
                    value.append(word[i])
                    i &+= 1
                }
                i &+= 1
            case UInt8(ascii: "\""):
                i &+= 1
                while i < n && word[i] != UInt8(ascii: "\"") {
                    // Inside double quotes a backslash escapes only $ ` " \ and newline.
                    if word[i] == UInt8(ascii: "\\"), i &+ 1 < n {
                        let next = word[i &+ 1]
                        if next == UInt8(ascii: "$") || next == UInt8(ascii: "`") || next == UInt8(ascii: "\"")
                            || next == UInt8(ascii: "\\") {
                            value.append(next)
                            i &+= 2
                            continue
                        }
                        if next == UInt8(ascii: "\n") {
                            i &+= 2
                            continue
                        }
                    }
                    value.append(word[i])
                    i &+= 1
                }
                i &+= 1
            case UInt8(ascii: "\\"):
                if i &+ 1 < n {
                    if word[i &+ 1] != UInt8(ascii: "\n") { value.append(word[i &+ 1]) }
                    i &+= 2
                } else {
                    i &+= 1
                }
            case UInt8(ascii: "$") where i &+ 1 < n && word[i &+ 1] == UInt8(ascii: "'"):
                // ANSI-C quoting: the common escapes.
                i &+= 2
                while i < n && word[i] != UInt8(ascii: "'") {
                    if word[i] == UInt8(ascii: "\\"), i &+ 1 < n {
                        let next = word[i &+ 1]
                        switch next {
                        case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
                        case UInt8(ascii: "t"): value.append(UInt8(ascii: "\t"))
                        case UInt8(ascii: "r"): value.append(UInt8(ascii: "\r"))
                        default: value.append(next)
                        }
                        i &+= 2
                        continue
                    }
                    value.append(word[i])
                    i &+= 1
                }
                i &+= 1
            default:
                value.append(c)
                i &+= 1
            }
        }
        return value
    }
}
