/// What one party knows of the secret permutation of a three-party shuffle
/// (``ABY3Party/shuffleA(_:)``): the two of its three factors that this party's pairwise streams
/// produced. The third factor, drawn by the two other parties, is unknown to it, so the composed
/// permutation is uniformly random from this party's point of view.
///
/// Kept to undo the shuffle (``ABY3Party/unshuffleA(_:secret:)``). Never printed: the description
/// names the row count only.
public struct ShuffleSecret: Sendable, CustomStringConvertible, CustomReflectable {
    /// The number of rows the permutation acts on.
    public let rowCount: Int
    /// The factor drawn from the stream this party shares with its successor (pair (i, i+1)).
    let withNext: [Int]
    /// The factor drawn from the stream this party shares with its predecessor (pair (i−1, i)).
    let withPrevious: [Int]

    init(rowCount: Int, withNext: [Int], withPrevious: [Int]) {
        self.rowCount = rowCount
        self.withNext = withNext
        self.withPrevious = withPrevious
    }

    public var description: String { "ShuffleSecret(rows: \(rowCount))" }
    public var customMirror: Mirror { Mirror(self, children: ["rowCount": rowCount], displayStyle: .struct) }
}
