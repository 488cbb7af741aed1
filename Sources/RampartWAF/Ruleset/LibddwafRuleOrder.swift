/// The order in which libddwaf evaluates rules of equal priority, reproduced so that "which rule of a type wins"
/// agrees with it.
///
/// libddwaf keeps rules in a C++ `std::unordered_map` keyed by id (built in ruleset order), reads them back in the
/// map's iteration order, and sorts each module with `std::sort`, which is not stable. Inside a `type` collection
/// only the first matching rule is reported, so the winner depends on that hash-table order and on how the sort
/// moves equal elements. This file models the three pieces with LLVM's libc++ behaviour (the C++ library
/// libddwaf's published binaries are built with): the 64-bit string hash, the hash table's insertion and rehash
/// order, and the introsort. It only decides the order of rules the comparator considers equal.
enum LibddwafRuleOrder {
    /// Indices of `keys` in the iteration order of a libc++ `unordered_map<string, …>` filled in array order
    /// (duplicates keep their first occurrence).
    static func hashTableIterationOrder(_ keys: [String]) -> [Int] {
        var table = HashTableModel()
        for (index, key) in keys.enumerated() {
            table.insert(index: index, key: key, hash: LibcxxStringHash.hash(Array(key.utf8)))
        }
        return table.iterationOrder()
    }

    /// Sorts `elements` exactly as libc++'s `std::sort` with comparator `less` would.
    static func sort<T>(_ elements: inout [T], by less: (T, T) -> Bool) {
        withoutActuallyEscaping(less) { comparator in
            var sorter = IntroSort(elements: elements, less: comparator)
            sorter.sort()
            elements = sorter.elements
        }
    }
}

/// libc++'s `std::hash<std::string>` on 64-bit platforms (CityHash64-style mixing).
enum LibcxxStringHash {
    private static let k0: UInt64 = 0xc3a5_c85c_97cb_3127
    private static let k1: UInt64 = 0xb492_b66f_be98_f273
    private static let k2: UInt64 = 0x9ae1_6a3b_2f90_404f
    private static let k3: UInt64 = 0xc949_d7c7_509e_6557

    static func hash(_ bytes: [UInt8]) -> UInt64 {
        let length = bytes.count
        if length <= 16 { return hash0to16(bytes) }
        if length <= 32 { return hash17to32(bytes) }
        if length <= 64 { return hash33to64(bytes) }
        return hashLong(bytes)
    }

    private static func word64(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        return value
    }

    private static func word32(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<4 { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        return value
    }

    private static func rotate(_ value: UInt64, _ shift: UInt64) -> UInt64 {
        shift == 0 ? value : (value >> shift) | (value << (64 - shift))
    }

    private static func shiftMix(_ value: UInt64) -> UInt64 { value ^ (value >> 47) }

    private static func hash16(_ u: UInt64, _ v: UInt64) -> UInt64 {
        let multiplier: UInt64 = 0x9ddf_ea08_eb38_2d69
        var a = (u ^ v) &* multiplier
        a ^= a >> 47
        var b = (v ^ a) &* multiplier
        b ^= b >> 47
        return b &* multiplier
    }

    private static func hash0to16(_ bytes: [UInt8]) -> UInt64 {
        let length = UInt64(bytes.count)
        if bytes.count > 8 {
            let a = word64(bytes, 0)
            let b = word64(bytes, bytes.count - 8)
            return hash16(a, rotate(b &+ length, length)) ^ b
        }
        if bytes.count >= 4 {
            let a = word32(bytes, 0)
            let b = word32(bytes, bytes.count - 4)
            // libc++ shifts the 32-bit word before widening it (its stable ABI keeps that quirk).
            return hash16(length &+ ((a << 3) & 0xFFFF_FFFF), b)
        }
        if bytes.count > 0 {
            let a = UInt32(bytes[0])
            let b = UInt32(bytes[bytes.count >> 1])
            let c = UInt32(bytes[bytes.count - 1])
            let y = a &+ (b << 8)
            let z = UInt32(truncatingIfNeeded: length) &+ (c << 2)
            return shiftMix(UInt64(y) &* k2 ^ UInt64(z) &* k3) &* k2
        }
        return k2
    }

    private static func hash17to32(_ bytes: [UInt8]) -> UInt64 {
        let length = UInt64(bytes.count)
        let a = word64(bytes, 0) &* k1
        let b = word64(bytes, 8)
        let c = word64(bytes, bytes.count - 8) &* k2
        let d = word64(bytes, bytes.count - 16) &* k0
        return hash16(
            rotate(a &- b, 43) &+ rotate(c, 30) &+ d, a &+ rotate(b ^ k3, 20) &- c &+ length)
    }

    private static func hash33to64(_ bytes: [UInt8]) -> UInt64 {
        let count = bytes.count
        let length = UInt64(count)
        var z = word64(bytes, 24)
        var a = word64(bytes, 0) &+ (length &+ word64(bytes, count - 16)) &* k0
        var b = rotate(a &+ z, 52)
        var c = rotate(a, 37)
        a = a &+ word64(bytes, 8)
        c = c &+ rotate(a, 7)
        a = a &+ word64(bytes, 16)
        let vf = a &+ z
        let vs = b &+ rotate(a, 31) &+ c
        a = word64(bytes, 16) &+ word64(bytes, count - 32)
        z = z &+ word64(bytes, count - 8)
        b = rotate(a &+ z, 52)
        c = rotate(a, 37)
        a = a &+ word64(bytes, count - 24)
        c = c &+ rotate(a, 7)
        a = a &+ word64(bytes, count - 16)
        let wf = a &+ z
        let ws = b &+ rotate(a, 31) &+ c
        let r = shiftMix((vf &+ ws) &* k2 &+ (wf &+ vs) &* k0)
        return shiftMix(r &* k0 &+ vs) &* k2
    }

    private static func weakHash32(
        _ w: UInt64, _ x: UInt64, _ y: UInt64, _ z: UInt64, _ seedA: UInt64, _ seedB: UInt64
    ) -> (UInt64, UInt64) {
        var a = seedA &+ w
        var b = rotate(seedB &+ a &+ z, 21)
        let c = a
        a = a &+ x
        a = a &+ y
        b = b &+ rotate(a, 44)
        return (a &+ z, b &+ c)
    }

    private static func weakHash32(_ bytes: [UInt8], _ offset: Int, _ a: UInt64, _ b: UInt64) -> (UInt64, UInt64) {
        weakHash32(
            word64(bytes, offset), word64(bytes, offset + 8), word64(bytes, offset + 16), word64(bytes, offset + 24),
            a, b)
    }

    private static func hashLong(_ bytes: [UInt8]) -> UInt64 {
        let count = bytes.count
        var x = word64(bytes, count - 40)
        var y = word64(bytes, count - 16) &+ word64(bytes, count - 56)
        var z = hash16(word64(bytes, count - 48) &+ UInt64(count), word64(bytes, count - 24))
        var v = weakHash32(bytes, count - 64, UInt64(count), z)
        var w = weakHash32(bytes, count - 32, y &+ k1, x)
        x = x &* k1 &+ word64(bytes, 0)
        var remaining = (count - 1) & ~63
        var offset = 0
        repeat {
            x = rotate(x &+ y &+ v.0 &+ word64(bytes, offset + 8), 37) &* k1
            y = rotate(y &+ v.1 &+ word64(bytes, offset + 48), 42) &* k1
            x ^= w.1
            y = y &+ v.0 &+ word64(bytes, offset + 40)
            z = rotate(z &+ w.0, 33) &* k1
            v = weakHash32(bytes, offset, v.1 &* k1, x &+ w.0)
            w = weakHash32(bytes, offset + 32, z &+ w.1, y &+ word64(bytes, offset + 16))
            swap(&z, &x)
            offset += 64
            remaining -= 64
        } while remaining != 0
        return hash16(hash16(v.0, w.0) &+ shiftMix(y) &* k1 &+ z, hash16(v.1, w.1) &+ x)
    }
}

/// libc++'s `__hash_table` with unique keys: one singly linked list of nodes, buckets pointing at the node before
/// their first element, max load factor 1, prime bucket counts.
private struct HashTableModel {
    /// Node storage; slot 0 is the list anchor ("before begin"), nodes follow.
    private var hashes: [UInt64] = [0]
    private var keys: [String] = [""]
    private var indices: [Int] = [-1]
    private var next: [Int] = [-1]
    private var buckets: [Int] = []
    private let anchor = 0
    private var size: Int { hashes.count - 1 }

    private static func constrain(_ hash: UInt64, _ count: Int) -> Int {
        let bucketCount = UInt64(count)
        if bucketCount & (bucketCount &- 1) == 0 { return Int(hash & (bucketCount &- 1)) }
        return Int(hash < bucketCount ? hash : hash % bucketCount)
    }

    private static func isHashPowerOf2(_ count: Int) -> Bool { count > 2 && count & (count - 1) == 0 }

    private static func nextPrime(_ n: Int) -> Int {
        var candidate = max(2, n)
        while true {
            var isPrime = true
            var divisor = 2
            while divisor * divisor <= candidate {
                if candidate % divisor == 0 {
                    isPrime = false
                    break
                }
                divisor += 1
            }
            if isPrime { return candidate }
            candidate += 1
        }
    }

    mutating func insert(index: Int, key: String, hash: UInt64) {
        var bucketCount = buckets.count
        if bucketCount != 0 {
            let chash = Self.constrain(hash, bucketCount)
            let before = buckets[chash]
            if before >= 0 {
                var node = next[before]
                while node >= 0, hashes[node] == hash || Self.constrain(hashes[node], bucketCount) == chash {
                    if hashes[node] == hash, keys[node] == key { return }
                    node = next[node]
                }
            }
        }
        if Float(size + 1) > Float(bucketCount) || bucketCount == 0 {
            let wanted = max(
                2 * bucketCount + (Self.isHashPowerOf2(bucketCount) ? 0 : 1), Int((Float(size + 1)).rounded(.up)))
            rehash(wanted)
            bucketCount = buckets.count
        }
        let node = hashes.count
        hashes.append(hash)
        keys.append(key)
        indices.append(index)
        next.append(-1)
        let chash = Self.constrain(hash, bucketCount)
        let before = buckets[chash]
        if before < 0 {
            next[node] = next[anchor]
            next[anchor] = node
            buckets[chash] = anchor
            if next[node] >= 0 { buckets[Self.constrain(hashes[next[node]], bucketCount)] = node }
        } else {
            next[node] = next[before]
            next[before] = node
        }
    }

    private mutating func rehash(_ requested: Int) {
        var count = requested
        if count == 1 {
            count = 2
        } else if count & (count - 1) != 0 {
            count = Self.nextPrime(count)
        }
        if count > buckets.count { redistribute(count) }
    }

    private mutating func redistribute(_ count: Int) {
        buckets = Array(repeating: -1, count: count)
        var previous = anchor
        var current = next[previous]
        guard current >= 0 else { return }
        var previousBucket = Self.constrain(hashes[current], count)
        buckets[previousBucket] = previous
        previous = current
        current = next[current]
        while current >= 0 {
            let bucket = Self.constrain(hashes[current], count)
            if bucket == previousBucket {
                previous = current
            } else if buckets[bucket] < 0 {
                buckets[bucket] = previous
                previous = current
                previousBucket = bucket
            } else {
                next[previous] = next[current]
                next[current] = next[buckets[bucket]]
                next[buckets[bucket]] = current
            }
            current = next[previous]
        }
    }

    func iterationOrder() -> [Int] {
        var order: [Int] = []
        var node = next[anchor]
        while node >= 0 {
            order.append(indices[node])
            node = next[node]
        }
        return order
    }
}

/// libc++'s `std::sort` (introsort with median-of-3 / ninther pivots, partitions that keep equal elements on one
/// side, insertion sort below 24 elements) for a non-trivial comparator.
private struct IntroSort<T> {
    var elements: [T]
    let less: (T, T) -> Bool

    init(elements: [T], less: @escaping (T, T) -> Bool) {
        self.elements = elements
        self.less = less
    }

    private func lt(_ i: Int, _ j: Int) -> Bool { less(elements[i], elements[j]) }

    mutating func sort() {
        let count = elements.count
        guard count > 1 else { return }
        var log2 = 0
        var n = count
        while n > 1 {
            n >>= 1
            log2 += 1
        }
        introsort(0, count, depth: 2 * log2, leftmost: true)
    }

    @discardableResult
    private mutating func sort3(_ x: Int, _ y: Int, _ z: Int) -> Int {
        if !lt(y, x) {
            if !lt(z, y) { return 0 }
            elements.swapAt(y, z)
            if lt(y, x) {
                elements.swapAt(x, y)
                return 2
            }
            return 1
        }
        if lt(z, y) {
            elements.swapAt(x, z)
            return 1
        }
        elements.swapAt(x, y)
        if lt(z, y) {
            elements.swapAt(y, z)
            return 2
        }
        return 1
    }

    private mutating func sort4(_ a: Int, _ b: Int, _ c: Int, _ d: Int) {
        sort3(a, b, c)
        if lt(d, c) {
            elements.swapAt(c, d)
            if lt(c, b) {
                elements.swapAt(b, c)
                if lt(b, a) { elements.swapAt(a, b) }
            }
        }
    }

    private mutating func sort5(_ a: Int, _ b: Int, _ c: Int, _ d: Int, _ e: Int) {
        sort4(a, b, c, d)
        if lt(e, d) {
            elements.swapAt(d, e)
            if lt(d, c) {
                elements.swapAt(c, d)
                if lt(c, b) {
                    elements.swapAt(b, c)
                    if lt(b, a) { elements.swapAt(a, b) }
                }
            }
        }
    }

    /// Insertion sort of [first, last); `guarded` stops at `first`, otherwise an element before `first` bounds it.
    private mutating func insertionSort(_ first: Int, _ last: Int, guarded: Bool) {
        guard first < last else { return }
        var i = first + 1
        while i < last {
            var j = i - 1
            if lt(i, j) {
                let value = elements[i]
                var k = j
                j = i
                repeat {
                    elements[j] = elements[k]
                    j = k
                    if guarded && j == first { break }
                    k -= 1
                } while less(value, elements[k])
                elements[j] = value
            }
            i += 1
        }
    }

    /// Insertion sort giving up after 8 moves; true when the range ended up sorted.
    private mutating func insertionSortIncomplete(_ first: Int, _ last: Int) -> Bool {
        switch last - first {
        case 0, 1: return true
        case 2:
            if lt(last - 1, first) { elements.swapAt(first, last - 1) }
            return true
        case 3:
            sort3(first, first + 1, last - 1)
            return true
        case 4:
            sort4(first, first + 1, first + 2, last - 1)
            return true
        case 5:
            sort5(first, first + 1, first + 2, first + 3, last - 1)
            return true
        default: break
        }
        var j = first + 2
        sort3(first, first + 1, j)
        var moves = 0
        var i = j + 1
        while i < last {
            if lt(i, j) {
                let value = elements[i]
                var k = j
                j = i
                repeat {
                    elements[j] = elements[k]
                    j = k
                    if j == first { break }
                    k -= 1
                } while less(value, elements[k])
                elements[j] = value
                moves += 1
                if moves == 8 { return i + 1 == last }
            }
            j = i
            i += 1
        }
        return true
    }

    /// Pivot at `first`; equal elements go right. Returns the pivot's final position and whether nothing moved.
    private mutating func partitionEqualsOnRight(_ start: Int, _ end: Int) -> (Int, Bool) {
        let pivot = elements[start]
        var first = start
        var last = end
        repeat { first += 1 } while less(elements[first], pivot)
        if start == first - 1 {
            while first < last {
                last -= 1
                if less(elements[last], pivot) { break }
            }
        } else {
            repeat { last -= 1 } while !less(elements[last], pivot)
        }
        let alreadyPartitioned = first >= last
        while first < last {
            elements.swapAt(first, last)
            repeat { first += 1 } while less(elements[first], pivot)
            repeat { last -= 1 } while !less(elements[last], pivot)
        }
        let pivotPosition = first - 1
        if start != pivotPosition { elements[start] = elements[pivotPosition] }
        elements[pivotPosition] = pivot
        return (pivotPosition, alreadyPartitioned)
    }

    /// Pivot at `first`; equal elements go left. Returns the start of the part still to sort.
    private mutating func partitionEqualsOnLeft(_ start: Int, _ end: Int) -> Int {
        let pivot = elements[start]
        var first = start
        var last = end
        if less(pivot, elements[end - 1]) {
            repeat { first += 1 } while !less(pivot, elements[first])
        } else {
            first += 1
            while first < last && !less(pivot, elements[first]) { first += 1 }
        }
        if first < last {
            repeat { last -= 1 } while less(pivot, elements[last])
        }
        while first < last {
            elements.swapAt(first, last)
            repeat { first += 1 } while !less(pivot, elements[first])
            repeat { last -= 1 } while less(pivot, elements[last])
        }
        let pivotPosition = first - 1
        if start != pivotPosition { elements[start] = elements[pivotPosition] }
        elements[pivotPosition] = pivot
        return first
    }

    /// Heap sort fallback when recursion gets too deep (does not happen for rule lists, which have few distinct
    /// keys; kept so the sort always terminates in O(n log n)).
    private mutating func heapSort(_ first: Int, _ last: Int) {
        var slice = Array(elements[first..<last])
        slice.sort(by: less)
        elements.replaceSubrange(first..<last, with: slice)
    }

    private mutating func introsort(_ start: Int, _ end: Int, depth: Int, leftmost: Bool) {
        var first = start
        var last = end
        var depth = depth
        var leftmost = leftmost
        while true {
            let length = last - first
            switch length {
            case 0, 1: return
            case 2:
                if lt(last - 1, first) { elements.swapAt(first, last - 1) }
                return
            case 3:
                sort3(first, first + 1, last - 1)
                return
            case 4:
                sort4(first, first + 1, first + 2, last - 1)
                return
            case 5:
                sort5(first, first + 1, first + 2, first + 3, last - 1)
                return
            default: break
            }
            if length < 24 {
                insertionSort(first, last, guarded: leftmost)
                return
            }
            if depth == 0 {
                heapSort(first, last)
                return
            }
            depth -= 1
            let half = length / 2
            if length > 128 {
                sort3(first, first + half, last - 1)
                sort3(first + 1, first + half - 1, last - 2)
                sort3(first + 2, first + half + 1, last - 3)
                sort3(first + half - 1, first + half, first + half + 1)
                elements.swapAt(first, first + half)
            } else {
                sort3(first + half, first, last - 1)
            }
            if !leftmost && !lt(first - 1, first) {
                first = partitionEqualsOnLeft(first, last)
                continue
            }
            var (pivot, alreadyPartitioned) = partitionEqualsOnRight(first, last)
            if alreadyPartitioned {
                let leftSorted = insertionSortIncomplete(first, pivot)
                if insertionSortIncomplete(pivot + 1, last) {
                    if leftSorted { return }
                    last = pivot
                    continue
                } else if leftSorted {
                    pivot += 1
                    first = pivot
                    continue
                }
            }
            introsort(first, pivot, depth: depth, leftmost: leftmost)
            leftmost = false
            first = pivot + 1
        }
    }
}
