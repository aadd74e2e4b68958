import ConfideCore
import ConfideMPC

/// What a registered graph reveals to whom, in words, for the operator who approves it.
///
/// An uncompiled graph is described from its I/O spec: "input 0 from party 0; input 1 from party 1;
/// the output is revealed to parties 0 and 1". A compiled graph does not say who owns which input
/// (every party feeds every input from its own data node), so it is described from its structure:
/// its inputs and their types, the transfers between each pair of parties, and the last transfers
/// into the output node, which by CipherCore's convention are the hops of the reveal.
public enum GraphDisclosure {
    /// The description of `envelope` for an operator.
    /// - Throws: the planner's errors for a graph that cannot run.
    public static func describe(_ envelope: GraphEnvelope, outputParties: Set<Int>) throws -> String {
        if let spec = envelope.spec {
            var parts = spec.inputs.enumerated().map { i, input in
                switch input {
                case let .party(p): return "input \(i) from party \(p)"
                case .public: return "input \(i) is public (every party gives the same value)"
                case .secretShared: return "input \(i) arrives secret-shared"
                }
            }
            switch spec.output {
            case .secretShared: parts.append("the output stays secret-shared: no party learns it")
            case .public: parts.append("the output is revealed to every party")
            case let .parties(set): parts.append("the output is revealed to \(list(set))")
            }
            return parts.joined(separator: "; ")
        }
        let graph = try CompiledGraph(envelope.context)
        var parts = ["compiled graph: \(graph.inputTypes.count) input\(graph.inputTypes.count == 1 ? "" : "s") (\(graph.inputTypes.map(\.description).joined(separator: ", "))), each fed by every party from its own data node"]
        let counts = graph.transferCounts.sorted { ($0.key.from, $0.key.to) < ($1.key.from, $1.key.to) }
        if counts.isEmpty {
            parts.append("no party sends anything to another")
        } else {
            parts.append("\(graph.rounds) rounds of transfers: " + counts.map { "party \($0.key.from) -> party \($0.key.to): \($0.value)" }.joined(separator: ", "))
            let final = graph.finalTransfers.map { "party \($0.from) -> party \($0.to)" }
            if !final.isEmpty { parts.append("the output is assembled by the transfers \(final.joined(separator: ", "))") }
        }
        parts.append("the output is revealed to \(list(outputParties)) (as declared when approved)")
        return parts.joined(separator: "; ")
    }

    /// "party 1", "parties 0 and 1", "parties 0, 1 and 2", or "no party".
    public static func list(_ parties: Set<Int>) -> String {
        let sorted = parties.sorted().map(String.init)
        switch sorted.count {
        case 0: return "no party"
        case 1: return "party \(sorted[0])"
        default: return "parties \(sorted.dropLast().joined(separator: ", ")) and \(sorted.last!)"
        }
    }
}
