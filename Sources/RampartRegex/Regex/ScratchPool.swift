import Synchronization

/// `Regex/` is the public face of the engine: `SafeRegex`, `RegexSet`, and the strategy choosing engines.

/// Working memory for one search: DFA caches for both directions and Pike VM lists.
final class MatchScratch: @unchecked Sendable {
    let forward = DFACache()
    let reverse = DFACache()
    var pike = PikeVMScratch()
    var setMarks: [Bool] = []
    var setFound: [Int] = []
}

/// Hands out `MatchScratch` objects, one per concurrent search, and takes them back: a regex stays `Sendable`
/// while its DFA caches are mutable, and a warmed-up search allocates nothing.
final class ScratchPool: Sendable {
    private let available = Mutex<[MatchScratch]>([])

    func withScratch<Result>(_ body: (MatchScratch) -> Result) -> Result {
        let scratch = available.withLock { $0.popLast() } ?? MatchScratch()
        let result = body(scratch)
        available.withLock { $0.append(scratch) }
        return result
    }
}

/// Runs `body` over the contiguous bytes of `input`, copying only when the collection has no contiguous storage.
@inline(__always)
func withContiguousBytes<C: Collection, Result>(_ input: C, _ body: (UnsafeRawBufferPointer) -> Result) -> Result
where C.Element == UInt8 {
    if let result = input.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return result }
    return Array(input).withUnsafeBytes(body)
}
