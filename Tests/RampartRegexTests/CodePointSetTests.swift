import Testing
@testable import RampartRegex

@Suite struct CodePointSetTests {
    @Test func canonicalizesOverlappingAndAdjacentRanges() {
        let set = CodePointSet([5...9, 0...2, 3...4, 20...30, 25...40])
        #expect(set.ranges == [0...9, 20...40])
    }

    @Test func invertsWithinUnicode() {
        let set = CodePointSet([0...0x60, 0x7B...0x10FFFF])
        #expect(set.inverted().ranges == [0x61...0x7A])
        #expect(CodePointSet().inverted().ranges == [0...0x10FFFF])
    }

    @Test func intersectsAndSubtracts() {
        let letters = CodePointSet([0x41...0x5A, 0x61...0x7A])
        let vowelsUpper = CodePointSet([0x41...0x41, 0x45...0x45])
        #expect(letters.intersection(vowelsUpper) == vowelsUpper)
        #expect(letters.subtracting(CodePointSet([0x41...0x5A])).ranges == [0x61...0x7A])
        #expect(letters.contains(0x62))
        #expect(!letters.contains(0x5B))
    }
}
