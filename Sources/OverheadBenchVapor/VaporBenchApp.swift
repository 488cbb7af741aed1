// OverheadBenchVapor: the overhead benchmark app on Vapor, without or with Rampart
// (`OverheadBenchVapor <plain|protected> <port>`, driven by scripts/bench-overhead.sh).

import OverheadBenchCore
import Rampart
import RampartVapor
import Vapor

@main
enum VaporBenchApp {
    /// A codable value answered as JSON, encoded as the value itself.
    struct JSONAnswer<Value: Codable & Sendable>: Content {
        let value: Value
        init(value: Value) { self.value = value }
        init(from decoder: any Decoder) throws { value = try Value(from: decoder) }
        func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
    }

    static func main() async throws {
        let settings = BenchSettings.fromCommandLine()
        let catalog = try await settings.openCatalog()
        // Vapor's own command line (`serve`), not the benchmark's arguments.
        let app = try await Application.make(
            Environment(name: "production", arguments: ["OverheadBenchVapor", "serve"]))
        app.logger = settings.logger
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = settings.port
        if let agent = settings.agent { app.middleware.use(RampartMiddleware(agent: agent)) }

        // `async` handlers: Vapor runs them in the request's task, where RASP hooks see the request context.
        app.get("search") { request async throws -> String in
            let query = request.query[String.self, at: "q"] ?? ""
            return "found \(query.count % 7) results\n"
        }
        app.post("orders") { request async throws -> JSONAnswer<OrderReceipt> in
            JSONAnswer(value: OrderReceipt(for: try request.content.decode(Order.self)))
        }
        app.get("products") { request async throws -> JSONAnswer<ProductCatalog.Page> in
            JSONAnswer(value: try await catalog.page(of: request.query[String.self, at: "category"] ?? "mugs"))
        }

        do {
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            await catalog.close()
            throw error
        }
        try await app.asyncShutdown()
        await catalog.close()
    }
}
