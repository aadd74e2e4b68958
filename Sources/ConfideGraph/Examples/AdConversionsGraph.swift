import ConfideCore

/// Conversions of an ad campaign on two organisations' tables: a retailer (party 0) holds its
/// customers' spend, an ad platform (party 1) the impressions it showed to its users, both keyed by
/// a customer id. The graph joins the tables securely and sums the spend of the customers who saw
/// at least one ad, and counts them; nobody learns which customers the tables share, or how many
/// beyond that count.
///
/// Inputs: `purchases` (customer: u32[retailerRows], spend: u64[retailerRows]) and `impressions`
/// (customer: u32[platformRows], impressions: u32[platformRows]); customer ids unique in each table.
/// Output: a named tuple of u64 scalars `spend` (the total, in the input's units) and `customers`.
///
/// Built from CipherCore operations: each table gets a null column of ones (every row holds
/// content), an inner Join on `customer`, `NotEqual` of the impressions' bits with zero (zero rows
/// of unmatched customers have zero impressions) and sums of `MixedMultiply` by that bit.
public enum AdConversionsGraph {
    /// The rows of the data in `Examples/ad-conversions`.
    public static let defaultRows = (retailer: 20000, platform: 15000)

    /// - Throws: `.invalidArgument` for an empty table.
    public static func make(retailerRows: Int = defaultRows.retailer, platformRows: Int = defaultRows.platform) throws -> Context {
        guard retailerRows > 0, platformRows > 0 else {
            throw ConfideError(.invalidArgument, "ad-conversions needs at least one row in each table, found \(retailerRows) and \(platformRows)")
        }
        let null = TypeInference.nullColumnHeader
        let builder = ContextBuilder()
        let g = builder.makeGraph()
        let purchases = try g.input(.namedTuple([.init("customer", .array([retailerRows], .u32)), .init("spend", .array([retailerRows], .u64))])).named("purchases")
        let impressions = try g.input(.namedTuple([.init("customer", .array([platformRows], .u32)), .init("impressions", .array([platformRows], .u32))]))
            .named("impressions")
        func table(_ input: BuilderNode, rows: Int, columns: [String]) throws -> BuilderNode {
            try g.createNamedTuple([(null, try g.ones(.array([rows], .bit)))] + columns.map { ($0, try g.namedTupleGet(input, key: $0)) })
        }
        let retailer = try table(purchases, rows: retailerRows, columns: ["customer", "spend"])
        let platform = try table(impressions, rows: platformRows, columns: ["customer", "impressions"])
        let joined = try g.join(retailer, platform, type: .inner, headers: [("customer", "customer")])
        let seenBits = try g.a2b(try g.namedTupleGet(joined, key: "impressions"))
        let zero = try g.a2b(try g.constant(.tensor(Tensor.zeros(.u32, shape: []))))
        let saw = try g.custom(.comparison("NotEqual", signed: false), [seenBits, zero])
        let spend = try g.sum(try g.mixedMultiply(try g.namedTupleGet(joined, key: "spend"), saw), axes: [0])
        let customers = try g.sum(try g.mixedMultiply(try g.ones(.array([retailerRows], .u64)), saw), axes: [0])
        try g.setOutput(try g.createNamedTuple([("spend", spend), ("customers", customers)]))
        try builder.setMain(g)
        return try builder.finish()
    }
}
