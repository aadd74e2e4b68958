import ConfideCore
import ConfideMPC
import Foundation
import Yams

/// A compute node's approval policy (`--approved-graphs FILE`, YAML `approved_graphs`): the graphs
/// its operator reviewed, and nothing else may run on the party's data.
///
/// ```yaml
/// approved_graphs:
///   - name: two_millionaires/graph.json
///     sha256: 5f2c…                 # of the exact graph_json bytes registered
///     output_parties: [0, 1]
///     data_keys: [millionaires]     # optional: without it any key
///     reveals: "compiled graph: 2 inputs …; the output is revealed to parties 0 and 1"
///   - name: median.json
///     sha256: 91ab…
///     inputs: "secret-shared"       # uncompiled graphs: the I/O spec, as for confide simulate
///     outputs: "0"
///     output_parties: [0]
///     reveals: "input 0 arrives secret-shared; the output is revealed to party 0"
/// ```
public struct ApprovalPolicy: Sendable, Equatable {
    public var file: String
    public var approvals: [GraphApproval]

    public init(file: String, approvals: [GraphApproval] = []) {
        self.file = file
        self.approvals = approvals
    }

    /// Reads a policy file.
    /// - Throws: `.io` when it cannot be read; `.invalidArgument` naming the file, the entry and the
    ///   key for unknown keys, a digest that is not 64 hex digits, a bad I/O spec or party.
    public static func load(file: String) throws -> ApprovalPolicy {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw ConfideError(.io, "cannot read the approval policy \(file)")
        }
        return try ApprovalPolicy(file: file, yaml: text)
    }

    /// Parses a policy document (see the type's documentation).
    public init(file: String, yaml text: String) throws {
        let reader = YAMLReader(file: file)
        let root = try reader.root(text)
        try reader.checkKeys(root, at: "", known: ["approved_graphs"])
        var approvals: [GraphApproval] = []
        for (i, node) in (try reader.sequence(root["approved_graphs"], at: "approved_graphs") ?? []).enumerated() {
            let path = "approved_graphs[\(i)]"
            guard let entry = try reader.mapping(node, at: path) else { continue }
            try reader.checkKeys(entry, at: path, known: ["name", "sha256", "inputs", "outputs", "output_parties", "data_keys", "reveals"])
            guard let digest = try reader.string(entry["sha256"], at: "\(path).sha256")?.lowercased(), digest.count == 64,
                Hex.decode(digest) != nil
            else { throw ConfideError(.invalidArgument, "\(file)\(reader.line(node)): \(path).sha256 must be 64 hex digits") }
            let inputs = try reader.string(entry["inputs"], at: "\(path).inputs")
            let outputs = try reader.string(entry["outputs"], at: "\(path).outputs")
            var spec: IOSpec?
            switch (inputs, outputs) {
            case (nil, nil): spec = nil
            case let (inputs?, outputs?):
                do { spec = try IOSpec(inputParties: inputs, outputParties: outputs) } catch let error as ConfideError {
                    throw error.prefixed("\(file)\(reader.line(node)): \(path)")
                }
            default: throw ConfideError(.invalidArgument, "\(file)\(reader.line(node)): \(path) needs both inputs and outputs, or neither (compiled)")
            }
            var parties = Set<Int>()
            for (j, party) in (try reader.sequence(entry["output_parties"], at: "\(path).output_parties") ?? []).enumerated() {
                guard let p = try reader.int(party, at: "\(path).output_parties[\(j)]", range: 0...2) else { continue }
                parties.insert(p)
            }
            if let spec, !GraphApproval.revealedParties(spec.output).isSubset(of: parties) {
                throw ConfideError(
                    .invalidArgument, "\(file)\(reader.line(node)): \(path).output_parties must include every party the outputs '\(spec.output)' reveal to")
            }
            approvals.append(
                GraphApproval(
                    sha256: digest, name: try reader.string(entry["name"], at: "\(path).name") ?? "", spec: spec, outputParties: parties,
                    dataKeys: try reader.strings(entry["data_keys"], at: "\(path).data_keys"),
                    reveals: try reader.string(entry["reveals"], at: "\(path).reveals") ?? ""))
        }
        self.init(file: file, approvals: approvals)
    }

    /// The approval of a graph about to be registered.
    /// - Returns: the entry whose digest matches the exact bytes.
    /// - Throws: `.notApproved` when no entry matches, or when the entry's I/O spec or output parties
    ///   do not allow what the graph does.
    public func approval(of bytes: [UInt8], envelope: GraphEnvelope) throws -> GraphApproval {
        let digest = GraphApproval.digest(bytes)
        guard let entry = approvals.first(where: { $0.sha256 == digest }) else {
            throw ConfideError(.notApproved, "the graph (sha256 \(digest)) is not approved in \(file); its operator can add it with confide approve")
        }
        guard entry.spec == envelope.spec else {
            throw ConfideError(
                .notApproved, "the graph (sha256 \(digest)) is approved in \(file) with I/O spec \(ApprovalPolicy.words(entry.spec)), not \(ApprovalPolicy.words(envelope.spec))")
        }
        if let spec = envelope.spec, !GraphApproval.revealedParties(spec.output).isSubset(of: entry.outputParties) {
            throw ConfideError(
                .notApproved, "the graph (sha256 \(digest)) reveals its output to parties the policy \(file) does not allow (\(GraphDisclosure.list(entry.outputParties)))")
        }
        return entry
    }

    /// Checks the data key of a session of an approved graph.
    /// - Throws: `.notApproved` when the entry lists data keys and `key` is not one of them.
    public static func checkDataKey(_ key: [UInt8], of approval: GraphApproval, file: String) throws {
        guard let keys = approval.dataKeys else { return }
        guard keys.contains(where: { Array($0.utf8) == key }) else {
            throw ConfideError(.notApproved, "the approval of graph \(approval.sha256.prefix(12))… in \(file) does not allow this data key")
        }
    }

    /// Adds `approval`, replacing an entry with the same digest.
    public mutating func add(_ approval: GraphApproval) {
        if let index = approvals.firstIndex(where: { $0.sha256 == approval.sha256 }) {
            approvals[index] = approval
        } else {
            approvals.append(approval)
        }
    }

    /// The policy as a YAML document.
    /// - Throws: `.invalidArgument` when the encoder fails.
    public func yaml() throws -> String {
        let document = Document(approved_graphs: approvals.map(Document.Entry.init))
        do {
            return "# Graphs this compute node may run (written by confide approve); any other graph is refused.\n"
                + (try YAMLEncoder().encode(document))
        } catch {
            throw ConfideError(.invalidArgument, "cannot write the approval policy \(file)", cause: "\(error)")
        }
    }

    /// Writes the policy to ``file`` (replaced whole, never half-written).
    /// - Throws: `.io` naming the file.
    public func write() throws {
        let text = try yaml()
        do { try text.write(toFile: file, atomically: true, encoding: .utf8) } catch {
            throw ConfideError(.io, "cannot write the approval policy \(file)")
        }
    }

    private static func words(_ spec: IOSpec?) -> String {
        guard let spec else { return "none (compiled)" }
        return "inputs '\(spec.inputs.map(\.description).joined(separator: ","))' outputs '\(spec.output)'"
    }

    /// The encoded form, in the key order of the file.
    private struct Document: Encodable {
        struct Entry: Encodable {
            var name: String
            var sha256: String
            var inputs: String?
            var outputs: String?
            var output_parties: [Int]
            var data_keys: [String]?
            var reveals: String

            init(_ approval: GraphApproval) {
                name = approval.name
                sha256 = approval.sha256
                inputs = approval.spec.map { $0.inputs.map(\.description).joined(separator: ",") }
                outputs = approval.spec.map { $0.output.description }
                output_parties = approval.outputParties.sorted()
                data_keys = approval.dataKeys
                reveals = approval.reveals
            }
        }
        var approved_graphs: [Entry]
    }
}

extension ConfideError.Code {
    /// A graph or a session that the node's approval policy does not allow.
    public static let notApproved = ConfideError.Code("not-approved")
}
