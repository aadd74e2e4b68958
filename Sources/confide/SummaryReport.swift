import ConfideCore
import ConfideGraph

/// Renders a ``GraphSummary`` for people (text) or programs (JSON).
enum SummaryReport {
    static func text(_ s: GraphSummary) -> String {
        var lines: [String] = []
        lines.append("nodes: \(s.mainNodeCount) in the main graph" + (s.graphCount > 1 ? ", \(s.totalNodeCount) in \(s.graphCount) graphs" : ""))
        lines.append("inputs: " + (s.inputTypes.isEmpty ? "none" : s.inputTypes.map(\.description).joined(separator: ", ")))
        lines.append("output: " + (s.outputType?.description ?? "none"))
        if s.isCompiled {
            lines.append("compiled MPC graph: \(s.sendCount) sends, \(s.rounds) rounds, \(s.totalBytesSent) bytes of traffic in total")
            for party in s.bytesSentByParty.keys.sorted() {
                lines.append("  party \(party) sends \(s.bytesSentByParty[party] ?? 0) bytes")
            }
        } else {
            lines.append("uncompiled graph: no communication (0 rounds)")
        }
        lines.append("operations:")
        let width = s.operationHistogram.map(\.name.count).max() ?? 0
        for (name, count) in s.operationHistogram {
            lines.append("  " + name + String(repeating: " ", count: width - name.count) + "  \(count)")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ s: GraphSummary) -> JSONValue {
        .object([
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
        ])
    }
}
