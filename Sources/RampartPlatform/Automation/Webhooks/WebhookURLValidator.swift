import Foundation
import RampartWAF

/// The SSRF check of webhook URLs, run when a webhook is saved and again before every delivery: only `http` and
/// `https`, no userinfo, and neither the host as written nor any address it resolves to may be internal
/// (RampartWAF's host classification: loopback, private, link-local, cloud metadata, ...). The server flag
/// `--allow-internal-webhooks` (``PlatformConfiguration/allowInternalWebhooks``) lifts the address checks, for
/// tests against a local receiver.
public struct WebhookURLValidator: Sendable {
    public var allowInternal: Bool
    public var resolver: HostResolver

    public init(allowInternal: Bool, resolver: HostResolver = .system) {
        self.allowInternal = allowInternal
        self.resolver = resolver
    }

    /// Where a delivery may connect.
    public struct Destination: Sendable, Hashable {
        public var target: OutboundURLCheck.Target
        /// The addresses the host resolved to (the literal itself for an IP host); all public unless allowed.
        public var addresses: [String]
    }

    /// The URL's destination, or a ``WebhookURLError`` saying why it is refused.
    public func validate(_ url: String) async throws -> Destination {
        let target: OutboundURLCheck.Target
        switch OutboundURLCheck.check(url, allowInternal: allowInternal) {
        case .success(let accepted): target = accepted
        case .failure(let rejection): throw WebhookURLError(rejection.reason)
        }
        guard URL(string: url)?.host != nil else { throw WebhookURLError("the URL is not well formed") }
        if target.hostIsAddress {
            var literal = target.host
            if literal.hasPrefix("["), literal.hasSuffix("]") { literal = String(literal.dropFirst().dropLast()) }
            return Destination(target: target, addresses: [literal])
        }
        let addresses: [String]
        do {
            addresses = try await resolver.resolve(target.host)
        } catch {
            throw WebhookURLError("host \(target.host) could not be resolved: \(error)")
        }
        guard !addresses.isEmpty else { throw WebhookURLError("host \(target.host) resolved to no address") }
        if !allowInternal {
            for address in addresses {
                if let category = OutboundURLCheck.internalCategory(ofAddress: address) {
                    throw WebhookURLError("host \(target.host) resolves to \(address), which is \(category)")
                }
            }
        }
        return Destination(target: target, addresses: addresses)
    }
}

/// A webhook URL refused by the SSRF check.
public struct WebhookURLError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
