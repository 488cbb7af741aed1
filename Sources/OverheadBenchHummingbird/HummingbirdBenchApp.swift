// OverheadBenchHummingbird: the overhead benchmark app on Hummingbird, without or with Rampart
// (`OverheadBenchHummingbird <plain|protected> <port>`, driven by scripts/bench-overhead.sh).

import Hummingbird
import Logging
import NIOCore
import OverheadBenchCore
import Rampart
import RampartHummingbird

@main
enum HummingbirdBenchApp {
    /// Knows the TCP peer, as an app behind Rampart would (client IP resolution is part of the measured work).
    struct Context: RequestContext, RemoteAddressRequestContext {
        var coreContext: CoreRequestContextStorage
        let remoteAddress: SocketAddress?

        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            remoteAddress = source.channel.remoteAddress
        }
    }

    /// An encodable value answered as JSON, encoded as the value itself.
    struct JSONAnswer<Value: Encodable & Sendable>: ResponseEncodable {
        let value: Value
        func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
    }

    static func main() async throws {
        let settings = BenchSettings.fromCommandLine()
        let catalog = try await settings.openCatalog()
        let router = Router(context: Context.self)
        if let agent = settings.agent { router.add(middleware: RampartRouterMiddleware(agent: agent)) }

        router.get("search") { request, _ -> String in
            let query = request.uri.queryParameters["q"].map(String.init) ?? ""
            return "found \(query.count % 7) results\n"
        }
        router.post("orders") { request, context -> JSONAnswer<OrderReceipt> in
            JSONAnswer(value: OrderReceipt(for: try await request.decode(as: Order.self, context: context)))
        }
        router.get("products") { request, _ -> JSONAnswer<ProductCatalog.Page> in
            let category = request.uri.queryParameters["category"].map(String.init) ?? "mugs"
            return JSONAnswer(value: try await catalog.page(of: category))
        }

        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: settings.port)),
            logger: settings.logger)
        try await app.runService()
        await catalog.close()
    }
}
