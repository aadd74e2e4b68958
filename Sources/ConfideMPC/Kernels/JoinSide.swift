import ConfideCore

/// One table of an oblivious join (``ABY3Party/joinMatch(_:_:injectionBits:)``), as shares.
public struct JoinSide: Sendable {
    /// The key columns, in the same order and of the same types as the other side's: integer
    /// vectors [n] or bit arrays [n, w] (a row's key is the concatenation of its rows).
    public var keys: [SharedTensor]
    /// 1 where the row takes part in the join: its null bit, ANDed with its key columns' masks.
    public var valid: BinaryShare
    /// Columns [n, …] that matched rows of the other side receive.
    public var payload: [SharedTensor]

    public init(keys: [SharedTensor], valid: BinaryShare, payload: [SharedTensor]) {
        self.keys = keys
        self.valid = valid
        self.payload = payload
    }

    /// The number of rows.
    public var count: Int { valid.count }
}

/// What one side of an oblivious join receives: for each of its rows, whether a valid row of the
/// other side has the same key, and that row's payload (zero rows where none matched).
public struct JoinDelivery: Sendable {
    /// [n] bits: 1 where the row matched.
    public var matched: BinaryShare
    /// The other side's payload columns, row by row for this side's rows.
    public var received: [SharedTensor]
}
