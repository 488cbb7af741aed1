import Logging
import RampartSQLKit
import SQLKit
import SQLiteKit

/// The realistic endpoint's data: an in-memory SQLite table of products, queried through SQLKit — through
/// Rampart's RASP-hooked wrapper in the protected variant, directly otherwise.
public struct ProductCatalog: Sendable {
    public struct Product: Codable, Sendable {
        public var id: Int
        public var name: String
        public var category: String
        public var price: Double
        public var stock: Int
        public var description: String
    }

    /// What the realistic endpoint renders.
    public struct Page: Codable, Sendable {
        public var category: String
        public var products: [Product]
    }

    public static let categories = ["mugs", "shirts", "stickers", "posters", "hoodies", "caps", "bags", "notebooks"]

    let connection: SQLiteConnection
    let database: any SQLDatabase

    static func open(logger: Logger, protected: Bool) async throws -> ProductCatalog {
        let connection = try await SQLiteConnection.open(storage: .memory, logger: logger)
        let plain = connection.sql()
        try await plain.create(table: "products")
            .column("id", type: .int, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull)
            .column("category", type: .text, .notNull)
            .column("price", type: .real, .notNull)
            .column("stock", type: .int, .notNull)
            .column("description", type: .text, .notNull)
            .run()
        try await plain.create(index: "products_by_category").on("products").column("category").run()
        for id in 1...400 {
            let category = categories[id % categories.count]
            try await plain.insert(into: "products")
                .model(Product(
                    id: id, name: "Rampart \(category.dropLast()) #\(id)", category: category,
                    price: Double(id % 50) + 4.5, stock: (id * 7) % 120,
                    description: "A sturdy \(category.dropLast()) with the Rampart logo, model \(id)."))
                .run()
        }
        return ProductCatalog(connection: connection, database: protected ? plain.rampartProtected() : plain)
    }

    /// The first 20 products of a category, cheapest first.
    public func page(of category: String) async throws -> Page {
        let products = try await database.select()
            .columns("id", "name", "category", "price", "stock", "description")
            .from("products")
            .where("category", .equal, category)
            .orderBy("price")
            .limit(20)
            .all(decoding: Product.self)
        return Page(category: category, products: products)
    }

    public func close() async {
        try? await connection.close()
    }
}
