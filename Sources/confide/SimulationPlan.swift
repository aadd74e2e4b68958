import ConfideCore
import ConfideGraph
import ConfideMPC
import ConfideRuntime

/// What `confide simulate` runs: a compiled graph as is, or an uncompiled one with the secure planner.
enum SimulationPlan {
    /// Loads and checks a graph and its I/O spec.
    /// - Throws: the graph's errors prefixed with its path; `.invalidArgument` when only one of the
    ///   specs is given; `.invalidGraph` for an uncompiled graph without a spec.
    static func make(graph path: String, inputParties: String?, outputParties: String?) throws -> GraphPlan {
        let context = try GraphFile.load(path)
        switch (inputParties, outputParties) {
        case let (inputSpec?, outputSpec?):
            let spec = try IOSpec(inputParties: inputSpec, outputParties: outputSpec)
            return try GraphFile.inFile(path) { try GraphPlan(context, spec: spec) }
        case (nil, nil):
            return try GraphFile.inFile(path) { try GraphPlan(context, spec: nil) }
        default:
            throw ConfideError(.invalidArgument, "--input-parties and --output-parties go together")
        }
    }
}
