#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import RampartWAF

@Suite struct IPAddressTests {
    @Test func parsesIPv4() {
        #expect(IPAddress("1.2.3.4") == IPAddress(ipv4: 0x0102_0304))
        #expect(IPAddress("0.0.0.0") == IPAddress(ipv4: 0))
        #expect(IPAddress("255.255.255.255") == IPAddress(ipv4: 0xFFFF_FFFF))
        for bad in ["256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", " 1.2.3.4", "1.2.3.4 ", "1..2.3", "1.2.3.", "", "a.b.c.d",
                    "1.2.3.4:80", "0x1.2.3.4"] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
        #expect(IPAddress("1.2.3.4")?.isIPv4 == true)
    }

    @Test func parsesIPv6() {
        #expect(IPAddress("::") == IPAddress(high: 0, low: 0))
        #expect(IPAddress("::1") == IPAddress(high: 0, low: 1))
        #expect(IPAddress("2001:db8::1") == IPAddress(high: 0x2001_0DB8_0000_0000, low: 1))
        #expect(IPAddress("2001:DB8:0:0:0:0:0:1") == IPAddress("2001:db8::1"))
        #expect(IPAddress("2001:0db8:0000::0001") == IPAddress("2001:db8::1"))
        #expect(IPAddress("1:2:3:4:5:6:7:8") == IPAddress(high: 0x0001_0002_0003_0004, low: 0x0005_0006_0007_0008))
        #expect(IPAddress("1:2:3:4:5:6:7::") == IPAddress(high: 0x0001_0002_0003_0004, low: 0x0005_0006_0007_0000))
        #expect(IPAddress("::2:3:4:5:6:7:8") == IPAddress(high: 0x0000_0002_0003_0004, low: 0x0005_0006_0007_0008))
        #expect(IPAddress("1:2:3:4:5:6:1.2.3.4") == IPAddress(high: 0x0001_0002_0003_0004, low: 0x0005_0006_0102_0304))
        // IPv4-mapped IPv6 is the IPv4 address; IPv4-compatible (::a.b.c.d) is not.
        #expect(IPAddress("::ffff:1.2.3.4") == IPAddress("1.2.3.4"))
        #expect(IPAddress("::FFFF:0102:0304") == IPAddress("1.2.3.4"))
        #expect(IPAddress("::1.2.3.4") != IPAddress("1.2.3.4"))
        for bad in ["1:2:3:4:5:6:7:8:9", "1::2::3", ":1", "1:", ":::", "12345::", "fe80::1%eth0", "[::1]", "::1.2.3",
                    "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:6:7:8::", "::g", "1:2:3:4:5:6:7", "::01.2.3.4", "1.2.3.4::"] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
    }

    @Test func describesCanonically() {
        #expect(IPAddress("::ffff:10.0.0.1")?.description == "10.0.0.1")
        #expect(IPAddress("2001:DB8:0:0:1:0:0:1")?.description == "2001:db8::1:0:0:1")
        #expect(IPAddress("0:0:0:0:0:0:0:0")?.description == "::")
        #expect(IPAddress("1:0:2:3:4:5:6:7")?.description == "1:0:2:3:4:5:6:7")
    }

    #if canImport(Glibc)
    /// libddwaf parses with `inet_pton`; compare with the C library's on tricky and random strings.
    @Test func agreesWithInetPton() {
        var generator = SplitMix64(seed: 7)
        var inputs = ["1.2.3.4", "::", "::ffff:1.2.3.4", "1::", "::1:2:3:4:5:6:7", "0:0:0:0:0:0:0:0", "a:b:c:d:e:f:0:1",
                      "1.02.3.4", "1.2.3.04", "00.0.0.0", "::0.0.0.0", "ffff::255.255.255.255", "1:2:3:4:5::1.2.3.4"]
        let alphabet = Array("0123456789abcdefABCDEF:.:.%x ".utf8)
        for _ in 0..<20_000 {
            let length = 1 + Int(generator.next() % 18)
            inputs.append(String(decoding: (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }, as: UTF8.self))
        }
        for _ in 0..<5_000 {  // well-formed shapes with random contents
            let groups = (0..<8).map { _ in String(generator.next() % 0x10000, radix: 16) }
            var text = groups.joined(separator: ":")
            if generator.next() % 2 == 0 {
                let a = Int(generator.next() % 8), b = min(8, a + 1 + Int(generator.next() % 4))
                text = groups[0..<a].joined(separator: ":") + "::" + groups[b...].joined(separator: ":")
            }
            inputs.append(text)
        }
        var disagreements: [String] = []
        for input in inputs {
            var v4 = in_addr(), v6 = in6_addr()
            let c4 = inet_pton(AF_INET, input, &v4) == 1
            let c6 = inet_pton(AF_INET6, input, &v6) == 1
            let ours = IPAddress(input)
            if (ours != nil) != (c4 || c6) { disagreements.append(input); continue }
            guard let ours else { continue }
            var expected = IPAddress(high: 0, low: 0)
            if c4 {
                expected = IPAddress(ipv4: UInt32(bigEndian: v4.s_addr))
            } else {
                let bytes = withUnsafeBytes(of: v6) { Array($0) }
                expected = IPAddress(high: bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) },
                                     low: bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) })
            }
            if ours != expected { disagreements.append(input) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
    }
    #endif
}

@Suite struct IPSetTests {
    @Test func parsesNetworksLikeLibddwaf() throws {
        #expect(IPNetwork("10.1.2.3/8")?.description == "10.0.0.0/8")
        #expect(IPNetwork("10.1.2.3")?.prefixLength == 128)
        #expect(IPNetwork("::/0")?.prefixLength == 0)
        #expect(IPNetwork("2001:db8::ff/32")?.description == "2001:db8::/32")
        #expect(IPNetwork("1.2.3.0/ 24")?.description == "1.2.3.0/24")  // read like stoi
        #expect(IPNetwork("1.2.3.0/24x")?.description == "1.2.3.0/24")
        #expect(IPNetwork("::ffff:1.2.3.4/120")?.description == "1.2.3.0/24")
        for bad in ["1.2.3.4/33", "::/129", "1.2.3.0/", "1.2.3.0/12345", "1.2.3.0/-1", "1.2.3.0/x", "/8", "1.2.3/8",
                    "fe80::1%eth0/64"] {
            #expect(IPNetwork(bad) == nil, "\(bad)")
        }
    }

    @Test func containsAddressesAndNetworks() throws {
        let set = try IPSet(["10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "::1", "172.16.0.0/12"])
        #expect(set.contains("10.255.255.255"))
        #expect(set.contains("10.0.0.0"))
        #expect(!set.contains("11.0.0.0"))
        #expect(!set.contains("9.255.255.255"))
        #expect(set.contains("192.168.1.7"))
        #expect(set.contains("::ffff:192.168.1.7"))
        #expect(!set.contains("192.168.1.8"))
        #expect(set.contains("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"))
        #expect(!set.contains("2001:db9::"))
        #expect(set.contains("::1"))
        #expect(!set.contains("::2"))
        #expect(set.contains("172.31.255.255"))
        #expect(!set.contains("not an ip"))
        #expect(!set.contains("fe80::1%eth0"))
        #expect(Array("10.9.8.7".utf8).withUnsafeBytes { set.contains(utf8: $0) })
        #expect(!Array("10.9.8.7x".utf8).withUnsafeBytes { set.contains(utf8: $0) })
    }

    @Test func mergesOverlappingRanges() throws {
        let set = try IPSet(["10.0.0.0/8", "10.1.0.0/16", "11.0.0.0/8", "10.0.0.5", "0.0.0.0/0"])
        #expect(set.rangeCount == 1)
        #expect(set.contains("1.1.1.1"))
        #expect(!set.contains("::2"))
        let everything = try IPSet(["::/0"])
        #expect(everything.contains("1.2.3.4") && everything.contains("ffff::1"))
        #expect(try IPSet([]).contains("1.2.3.4") == false)
    }

    @Test func reportsInvalidEntries() {
        #expect(throws: IPSetError(entry: "nope", index: 1)) { try IPSet(["1.2.3.4", "nope"]) }
        let (set, invalid) = IPSet.skippingInvalid(["1.2.3.4", "nope", "10.0.0.0/33", "::1"])
        #expect(invalid == ["nope", "10.0.0.0/33"])
        #expect(set.contains("1.2.3.4") && set.contains("::1"))
    }

    /// Thousands of random networks: the merged binary search agrees with checking every network.
    @Test func agreesWithLinearScan() throws {
        var generator = SplitMix64(seed: 99)
        var entries: [String] = []
        for _ in 0..<3000 {
            let value = UInt32(truncatingIfNeeded: generator.next()) & 0x0FFF_FFFF  // dense space: overlaps happen
            let address = "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
            entries.append(generator.next() % 3 == 0 ? address : "\(address)/\(8 + generator.next() % 25)")
        }
        for _ in 0..<500 {
            entries.append("2001:db8:\(String(generator.next() % 0x10000, radix: 16))::/\(32 + generator.next() % 97)")
        }
        let set = try IPSet(entries)
        let networks = entries.compactMap(IPNetwork.init)
        #expect(networks.count == entries.count)
        for _ in 0..<5000 {
            let probe: IPAddress = generator.next() % 4 == 0
                ? IPAddress(high: 0x2001_0DB8_0000_0000 | (generator.next() % 0x10000) << 16
                    | (generator.next() % 2 == 0 ? 0 : generator.next() & 0xFFFF), low: generator.next())
                : IPAddress(ipv4: UInt32(truncatingIfNeeded: generator.next()) & 0x0FFF_FFFF)
            #expect(set.contains(probe) == networks.contains { $0.contains(probe) }, "\(probe)")
        }
    }
}
