import ConfideCore
import ConfideMPC
import ConfideGraph

/// Renders a ``GraphSummary`` for people (text) or programs (JSON).
enum SummaryReport {
    /// - Parameter planned: the secure planner's estimate for an uncompiled graph with an I/O spec.
    static func text(_ s: GraphSummary, planned: KernelCost? = nil) -> String {
        var lines: [String] = []
        lines.append("nodes: \(s.mainNodeCount) in the main graph" + (s.graphCount > 1 ? ", \(s.totalNodeCount) in \(s.graphCount) graphs" : ""))
        lines.append("inputs: " + (s.inputTypes.isEmpty ? "none" : s.inputTypes.map(\.description).joined(separator: ", ")))
        lines.append("output: " + (s.outputType?.description ?? "none"))
        if s.isCompiled {
            lines.append("compiled MPC graph: \(s.sendCount) sends, \(s.rounds) rounds, \(s.totalBytesSent) bytes of traffic in total")
            for party in s.bytesSentByParty.keys.sorted() {
                lines.append("  party \(party) sends \(s.bytesSentByParty[party] ?? 0) bytes")
            }
        } else if let planned {
            lines.append("uncompiled graph on the secure planner (ABY3): at most \(planned.rounds) rounds, \(planned.bytesSent.reduce(0, +)) bytes of traffic in total")
            for (party, bytes) in planned.bytesSent.enumerated() { lines.append("  party \(party) sends \(bytes) bytes") }
        } else {
            lines.append("uncompiled graph: give --input-parties and --output-parties for the secure planner's traffic")
        }
        lines.append("operations:")
        let width = s.operationHistogram.map(\.name.count).max() ?? 0
        for (name, count) in s.operationHistogram {
            lines.append("  " + name + String(repeating: " ", count: width - name.count) + "  \(count)")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ s: GraphSummary, planned: KernelCost? = nil) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("nodes", .int(s.mainNodeCount)),
            ("total_nodes", .int(s.totalNodeCount)),
            ("graphs", .int(s.graphCount)),
            ("inputs", .array(s.inputTypes.map { .string($0.description) })),
            ("output", s.outputType.map { .string($0.description) } ?? .null),
            ("compiled", .bool(s.isCompiled)),
            ("sends", .int(s.sendCount)),
            ("rounds", .int(s.rounds)),
            ("bytes_total", .int(s.totalBytesSent)),
            ("bytes_by_party", .object(s.bytesSentByParty.keys.sorted().map { ("\($0)", .int(s.bytesSentByParty[$0] ?? 0)) })),
            ("operations", .object(s.operationHistogram.map { ($0.name, .int($0.count)) })),
        ]
        if let planned {
            fields.append(("planned", .object([("rounds_at_most", .int(planned.rounds)), ("bytes_by_party", .array(planned.bytesSent.map { .int($0) }))])))
        }
        return .object(fields)
    }
}
