#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import NIOConcurrencyHelpers

/// Resolves the host name of an outgoing request before the SSRF check, so that a public-looking name that
/// resolves to an internal address (DNS rebinding, wildcard DNS such as `127.0.0.1.example.net`) is caught.
///
/// The system resolver (`getaddrinfo`) runs on a Dispatch worker, never on the caller's thread or an event loop,
/// and the caller waits at most `timeout`: a slow or failing lookup gives no addresses and the request goes on
/// (Rampart fails open rather than stall the app).
public struct HostNameResolver: Sendable {
    private let lookup: @Sendable (String) async -> [String]

    /// A resolver from any lookup function (a cache, a resolver the app already uses).
    public init(_ lookup: @escaping @Sendable (String) async -> [String]) {
        self.lookup = lookup
    }

    /// The addresses (text form, e.g. `127.0.0.1`, `::1`) `host` resolves to; empty when it does not resolve.
    public func addresses(of host: String) async -> [String] {
        await lookup(host)
    }

    /// The system resolver, waiting at most 2 seconds.
    public static let system = HostNameResolver.system(timeout: .seconds(2))

    /// The system resolver, waiting at most `timeout`.
    public static func system(timeout: Duration) -> HostNameResolver {
        HostNameResolver { host in
            await withCheckedContinuation { (continuation: CheckedContinuation<[String], Never>) in
                // Whichever comes first, the answer or the deadline, resumes the caller exactly once.
                let resumed = NIOLockedValueBox(false)
                let resume: @Sendable ([String]) -> Void = { addresses in
                    let first = resumed.withLockedValue { done in
                        defer { done = true }
                        return !done
                    }
                    if first { continuation.resume(returning: addresses) }
                }
                DispatchQueue.global().async { resume(systemAddresses(of: host)) }
                let (seconds, attoseconds) = timeout.components
                let nanoseconds = max(0, seconds) &* 1_000_000_000 &+ attoseconds / 1_000_000_000
                DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds))) {
                    resume([])
                }
            }
        }
    }

    /// `getaddrinfo` (blocking), addresses deduplicated in the resolver's order.
    static func systemAddresses(of host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let text = numericHost(entry.pointee), !addresses.contains(text) { addresses.append(text) }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }

    private static func numericHost(_ entry: addrinfo) -> String? {
        guard let address = entry.ai_addr else { return nil }
        var buffer = [CChar](repeating: 0, count: 1025)  // NI_MAXHOST
        let status = getnameinfo(
            address, entry.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST)
        guard status == 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
