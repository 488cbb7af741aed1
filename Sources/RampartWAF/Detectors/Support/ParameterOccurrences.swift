/// Finds where request parameters occur in an operation with one pass over the operation, whatever the number of
/// parameters: bit filters of the parameters' first bytes (built on the stack) pick candidate positions, and only
/// the parameters of a candidate's key are compared in full. Parameters longer than `ByteSearch.shortNeedleLimit` are
/// searched separately with `ByteSearch` (linear whatever the input).
enum ParameterOccurrences {
    /// Calls `body(parameterIndex, valueBytes, range)` for each occurrence of each parameter of at least
    /// `minimumLength` bytes: short parameters in position order (parameter order at one position), then long
    /// parameters one by one. Stops when `body` returns false.
    static func forEach(
        in operation: UnsafeBufferPointer<UInt8>, parameters: [UserParameter], minimumLength: Int,
        _ body: (Int, UnsafeBufferPointer<UInt8>, Range<Int>) -> Bool
    ) {
        let n = operation.count
        guard n > 0, !parameters.isEmpty else { return }
        let minimum = max(minimumLength, 1)
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Self.filterWords) { bits in
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: parameters.count &* 2 &+ Self.buckets) { table in
            // bits: 4096-bit filters of two-byte parameters (their pair), longer parameters (their first three
            // bytes) and one-byte parameters (their byte). table[0..<buckets]: first parameter per bucket of
            // filter keys; then per parameter its key (-1: not scanned) and the next parameter in its bucket.
            bits.initialize(repeating: 0)
            for b in 0..<Self.buckets { table[b] = -1 }
            let keyBase = Self.buckets
            let nextBase = Self.buckets &+ parameters.count
            var anyPair = false
            var anyTriple = false
            var anySingle = false
            var anyLong = false
            for index in stride(from: parameters.count &- 1, through: 0, by: -1) {
                table[keyBase &+ index] = -1
                table[nextBase &+ index] = -1
                let utf8 = parameters[index].value.utf8
                let count = utf8.count
                guard count >= minimum, count <= n else { continue }
                if count > ByteSearch.shortNeedleLimit {
                    anyLong = true
                    continue
                }
                var iterator = utf8.makeIterator()
                guard let first = iterator.next() else { continue }
                let key: Int
                if let second = iterator.next() {
                    if let third = iterator.next() {
                        key = Self.tripleKey(first, second, third)
                        anyTriple = true
                    } else {
                        key = Self.pairKey(first, second)
                        anyPair = true
                    }
                } else {
                    key = Self.singleBase &+ Int(first)
                    anySingle = true
                }
                bits[key >> 6] |= 1 << UInt64(key & 63)
                bits[Self.firstByteBase &+ Int(first >> 6)] |= 1 << UInt64(first & 63)
                table[keyBase &+ index] = Int32(key)
                // Prepend: walking indices downwards leaves each bucket in parameter order.
                let bucket = key & (Self.buckets &- 1)
                table[nextBase &+ index] = table[bucket]
                table[bucket] = Int32(index)
            }
            var keepGoing = true

            /// Verifies every parameter of filter key `key` at position `i`.
            func verify(_ key: Int, at i: Int) {
                var index = Int(table[key & (Self.buckets &- 1)])
                while index >= 0 && keepGoing {
                    if Int(table[keyBase &+ index]) == key {
                        keepGoing = parameters[index].value.withUTF8Bytes { value -> Bool in
                            let count = value.count
                            guard count <= n &- i else { return true }
                            var j = 0
                            while j < count && operation[i &+ j] == value[j] { j &+= 1 }
                            guard j == count else { return true }
                            return body(index, value, i..<(i &+ count))
                        }
                    }
                    index = Int(table[nextBase &+ index])
                }
            }

            if anyPair || anyTriple || anySingle {
                var i = 0
                while i < n && keepGoing {
                    let first = operation[i]
                    // Most bytes start no parameter: one bit test rejects them.
                    guard bits[Self.firstByteBase &+ Int(first >> 6)] & (1 << UInt64(first & 63)) != 0 else {
                        i &+= 1
                        continue
                    }
                    if anySingle {
                        let key = Self.singleBase &+ Int(first)
                        if bits[key >> 6] & (1 << UInt64(key & 63)) != 0 { verify(key, at: i) }
                    }
                    if i &+ 1 < n {
                        let second = operation[i &+ 1]
                        if anyPair {
                            let key = Self.pairKey(first, second)
                            if bits[key >> 6] & (1 << UInt64(key & 63)) != 0 { verify(key, at: i) }
                        }
                        if anyTriple, i &+ 2 < n {
                            let key = Self.tripleKey(first, second, operation[i &+ 2])
                            if bits[key >> 6] & (1 << UInt64(key & 63)) != 0 { verify(key, at: i) }
                        }
                    }
                    i &+= 1
                }
            }
            if anyLong && keepGoing {
                for (index, parameter) in parameters.enumerated() {
                    let count = parameter.value.utf8.count
                    guard count > ByteSearch.shortNeedleLimit, count <= n else { continue }
                    parameter.value.withUTF8Bytes { value in
                        ByteSearch.forEachOccurrence(of: value, in: operation) { range in
                            keepGoing = body(index, value, range)
                            return keepGoing
                        }
                    }
                    if !keepGoing { break }
                }
            }
        }
        }
    }

    static let buckets = 64
    static let singleBase = 8192
    /// Filter words: pair and triple filters (8192 bits), one-byte parameters (256), first bytes of all (256).
    static let filterWords = (8192 + 256 + 256) / 64
    static let firstByteBase = (8192 + 256) / 64

    /// Filter key of a byte pair (0..<4096), mixing both bytes so that common letter pairs spread out.
    @inline(__always) static func pairKey(_ first: UInt8, _ second: UInt8) -> Int {
        let combined = UInt32(first) &* 0x9E37 ^ UInt32(second) &* 0x85EB
        return Int((combined ^ (combined >> 12)) & 4095)
    }

    /// Filter key of a parameter's first three bytes (4096..<8192).
    @inline(__always) static func tripleKey(_ first: UInt8, _ second: UInt8, _ third: UInt8) -> Int {
        let combined = UInt32(first) &* 0x9E37 ^ UInt32(second) &* 0x85EB ^ UInt32(third) &* 0xC2B3
        return 4096 &+ Int((combined ^ (combined >> 12)) & 4095)
    }
}
