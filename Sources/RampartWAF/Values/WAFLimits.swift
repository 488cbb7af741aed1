/// How much of a value the WAF inspects (libddwaf's defaults). Anything beyond is ignored, never an error:
/// containers nested deeper than `maxDepth`, elements past `maxContainerSize`, string bytes past
/// `maxStringLength` (cut on a UTF-8 character boundary).
public struct WAFLimits: Sendable, Hashable {
    /// Containers at this nesting level or deeper (the address's own value is level 1) are seen as empty.
    public var maxDepth: Int
    /// Elements of an array or map inspected, in order.
    public var maxContainerSize: Int
    /// Bytes of a string inspected.
    public var maxStringLength: Int

    public init(maxDepth: Int = 20, maxContainerSize: Int = 256, maxStringLength: Int = 4096) {
        self.maxDepth = maxDepth
        self.maxContainerSize = maxContainerSize
        self.maxStringLength = maxStringLength
    }

    public static let `default` = WAFLimits()

    /// The length of `bytes` to inspect: at most `maxStringLength`, backed off to a character boundary.
    func inspectedLength(of bytes: UnsafeRawBufferPointer) -> Int {
        guard bytes.count > maxStringLength else { return bytes.count }
        var end = max(0, maxStringLength)
        // Back off over UTF-8 continuation bytes (10xxxxxx) so a character is never split.
        var steps = 0
        while end > 0, steps < 3, bytes[end] & 0xC0 == 0x80 {
            end -= 1
            steps += 1
        }
        return end
    }
}
