import ConfideCore

/// Where one party's time in a secure run went: sharing its inputs, computing on shares, and
/// revealing (or handing over) the output. A compiled graph's run is all `compute`.
public struct SessionPhases: Sendable, Equatable {
    public var share: Duration = .zero
    public var compute: Duration = .zero
    public var reveal: Duration = .zero

    public init(share: Duration = .zero, compute: Duration = .zero, reveal: Duration = .zero) {
        self.share = share
        self.compute = compute
        self.reveal = reveal
    }

    /// The phases in words, for a log line: `share 0.12 s, compute 1.3 s, reveal 0.01 s`.
    public var summary: String {
        [("share", share), ("compute", compute), ("reveal", reveal)].map { "\($0) \(Self.seconds($1))" }.joined(separator: ", ")
    }

    /// A duration in seconds with three significant decimals.
    public static func seconds(_ d: Duration) -> String {
        "\((d.seconds * 1000).rounded() / 1000) s"
    }
}
