import ConfideCore
import ConfideMPC
import Crypto

/// One graph a party's operator approved to run on its compute node: the SHA-256 of the exact
/// `graph_json` bytes to register, the I/O spec of an uncompiled graph, the parties that may
/// receive outputs and, optionally, the data keys sessions may use.
public struct GraphApproval: Sendable, Equatable {
    /// Lower-case hex SHA-256 of the registered bytes (the compiled JSON, or the envelope).
    public var sha256: String
    /// A label for people (the file the entry was made from); not checked.
    public var name: String
    /// The I/O spec of an uncompiled graph; nil for a compiled graph.
    public var spec: IOSpec?
    /// The parties whose result services may receive an output value.
    public var outputParties: Set<Int>
    /// The data keys sessions of this graph may ask for; nil: any key.
    public var dataKeys: [String]?
    /// What the graph reveals to whom, in words (as `confide approve` printed it).
    public var reveals: String

    public init(sha256: String, name: String, spec: IOSpec?, outputParties: Set<Int>, dataKeys: [String]?, reveals: String) {
        self.sha256 = sha256
        self.name = name
        self.spec = spec
        self.outputParties = outputParties
        self.dataKeys = dataKeys
        self.reveals = reveals
    }

    /// The lower-case hex SHA-256 of `bytes`.
    public static func digest(_ bytes: [UInt8]) -> String {
        Hex.encode(Array(SHA256.hash(data: bytes)))
    }

    /// The approval of the graph registered as `bytes`.
    /// - Parameters:
    ///   - outputParties: for a compiled graph, who it reveals to (CipherCore's compiler took this as
    ///     an argument; the graph does not say). For an uncompiled graph nil, or the spec's parties.
    /// - Throws: `.invalidArgument` for a compiled graph without output parties, or output parties
    ///   that differ from an uncompiled graph's spec; the envelope's and planner's errors.
    public static func make(
        bytes: [UInt8], name: String, outputParties: Set<Int>?, dataKeys: [String]?
    ) throws -> GraphApproval {
        let envelope = try GraphEnvelope(bytes: bytes)
        let parties: Set<Int>
        if let spec = envelope.spec {
            parties = GraphApproval.revealedParties(spec.output)
            if let outputParties, outputParties != parties {
                throw ConfideError(
                    .invalidArgument,
                    "the graph's envelope reveals its output to \(GraphDisclosure.list(parties)), not \(GraphDisclosure.list(outputParties))")
            }
        } else {
            guard let outputParties else {
                throw ConfideError(
                    .invalidArgument,
                    "a compiled graph does not record who it reveals to: give --output-parties as they were given to CipherCore's compiler")
            }
            parties = outputParties
        }
        let reveals = try GraphDisclosure.describe(envelope, outputParties: parties)
        return GraphApproval(sha256: digest(bytes), name: name, spec: envelope.spec, outputParties: parties, dataKeys: dataKeys, reveals: reveals)
    }

    /// The parties that learn an uncompiled graph's output in the clear (none when it stays shared).
    public static func revealedParties(_ output: IOSpec.Output) -> Set<Int> {
        switch output {
        case let .parties(set): return set
        case .public: return [0, 1, 2]
        case .secretShared: return []
        }
    }
}
