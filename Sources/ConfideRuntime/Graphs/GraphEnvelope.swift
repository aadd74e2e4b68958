import ConfideCore
import ConfideGraph
import ConfideMPC

/// The bytes of `RegisterGraphRequest.graph_json`: a compiled CipherCore graph as its plain JSON
/// (`{"version":N,"data":"..."}`), or an uncompiled graph inside Confide's envelope
/// `{"confide_version":1,"context":<graph JSON object>,"inputs":["0","1",…],"outputs":["0"]|"public"|"secret-shared"}`
/// with the same words as `confide simulate --input-parties/--output-parties`.
public struct GraphEnvelope: Sendable {
    /// The largest `graph_json` a node accepts (the context limit plus room for the envelope).
    public static let maxBytes = Context.maxSerializedBytes + 4096

    public var context: Context
    /// The I/O spec of an uncompiled graph; nil for a compiled graph.
    public var spec: IOSpec?

    public init(context: Context, spec: IOSpec?) {
        self.context = context
        self.spec = spec
    }

    /// Parses `graph_json`.
    /// - Throws: `.tooLarge` above ``maxBytes``; `.malformedJSON`; `.unsupportedVersion` for an
    ///   envelope version other than 1; `.invalidGraph` for a malformed envelope (naming the member);
    ///   `.invalidArgument` for an I/O word that is not a party, `public` or `secret-shared`; the
    ///   context's own errors.
    public init(bytes: [UInt8]) throws {
        guard bytes.count <= GraphEnvelope.maxBytes else {
            throw ConfideError(.tooLarge, "graph_json has \(bytes.count) bytes, more than the limit of \(GraphEnvelope.maxBytes)")
        }
        let json = try JSONParser(maxBytes: GraphEnvelope.maxBytes).parse(bytes: bytes)
        guard let versionJSON = json["confide_version"] else {
            self.init(context: try Context(versionedJSON: json), spec: nil)
            return
        }
        guard versionJSON.integer(as: Int.self) == 1 else {
            throw ConfideError(.unsupportedVersion, "envelope confide_version \(versionJSON.abbreviated(maxLength: 24)) is not supported (1)")
        }
        guard let contextJSON = json["context"] else {
            throw ConfideError(.invalidGraph, "the envelope has no \"context\" (the graph JSON object)")
        }
        let context: Context
        do {
            context = try Context(versionedJSON: contextJSON)
        } catch let error as ConfideError {
            throw error.prefixed("envelope \"context\"")
        }
        guard let inputs = json["inputs"]?.arrayValue else {
            throw ConfideError(.invalidGraph, "the envelope needs \"inputs\": an array of words (\"0\", \"1\", \"2\", \"public\", \"secret-shared\")")
        }
        let inputWords = try inputs.enumerated().map { i, word in
            guard let text = word.stringValue ?? word.numberText else {
                throw ConfideError(.invalidGraph, "envelope input \(i) is \(word.kindName), expected a string")
            }
            return text
        }
        let outputWords: [String]
        switch json["outputs"] {
        case let .string(word)?:
            outputWords = [word]
        case let .array(items)?:
            outputWords = try items.enumerated().map { i, word in
                guard let text = word.stringValue ?? word.numberText else {
                    throw ConfideError(.invalidGraph, "envelope output \(i) is \(word.kindName), expected a string")
                }
                return text
            }
        default:
            throw ConfideError(.invalidGraph, "the envelope needs \"outputs\": an array of parties, \"public\" or \"secret-shared\"")
        }
        let spec = try IOSpec(inputParties: inputWords.joined(separator: ","), outputParties: outputWords.joined(separator: ","))
        self.init(context: context, spec: spec)
    }

    /// The bytes to register: the plain graph JSON for a compiled graph, the envelope otherwise.
    /// - Throws: the context's serialization errors.
    public func bytes() throws -> [UInt8] {
        let text = try context.serialized(version: 2)
        guard let spec else { return Array(text.utf8) }
        let versioned = try JSONParser(maxBytes: GraphEnvelope.maxBytes).parse(text)
        let outputs: JSONValue
        switch spec.output {
        case .public: outputs = .string("public")
        case .secretShared: outputs = .string("secret-shared")
        case let .parties(set): outputs = .array(set.sorted().map { .string(String($0)) })
        }
        let envelope = JSONValue.object([
            ("confide_version", .int(1)), ("context", versioned),
            ("inputs", .array(spec.inputs.map { .string($0.description) })), ("outputs", outputs),
        ])
        return Array(envelope.serialized().utf8)
    }

    /// The plan a compute node runs.
    public func plan() throws -> GraphPlan {
        try GraphPlan(context, spec: spec)
    }
}
