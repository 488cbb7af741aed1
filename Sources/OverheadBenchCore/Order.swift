/// The JSON order the POST endpoint decodes (the benchmark sends about 2 KB of it) and the receipt it answers.
public struct Order: Codable, Sendable {
    public struct Address: Codable, Sendable {
        public var street: String
        public var city: String
        public var postcode: String
        public var country: String
    }

    public struct Customer: Codable, Sendable {
        public var name: String
        public var email: String
        public var phone: String
        public var address: Address
    }

    public struct Item: Codable, Sendable {
        public var sku: String
        public var name: String
        public var quantity: Int
        public var unitPrice: Double
    }

    public var customer: Customer
    public var items: [Item]
    public var notes: String
    public var coupon: String?
}

public struct OrderReceipt: Codable, Sendable {
    public var accepted: Bool
    public var itemCount: Int
    public var total: Double

    public init(for order: Order) {
        accepted = true
        itemCount = order.items.reduce(0) { $0 &+ max(0, $1.quantity) }
        total = order.items.reduce(0) { $0 + Double(max(0, $1.quantity)) * $1.unitPrice }
    }
}
