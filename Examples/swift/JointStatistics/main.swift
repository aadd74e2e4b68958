// Three hospitals learn their joint age histogram and the mean age of their patients without
// showing each other their own counts: a graph built with Confide's Swift builder, planned onto
// ABY3 secret shares and run by three parties on this machine.
//
// Run: swift run joint-statistics
import ConfideCore
import ConfideGraph
import ConfideMPC

let bands = 6
let bandMidpoints: [UInt64] = [5, 20, 35, 50, 65, 80]
let hospitals: [[UInt64]] = [[12, 40, 55, 61, 48, 20], [3, 18, 25, 30, 41, 37], [30, 22, 19, 17, 15, 9]]

// The graph: histogram = a + b + c; age sum = histogram · midpoints (public); patients = Σ histogram.
let builder = ContextBuilder()
let main = builder.makeGraph()
let counts = try (0..<3).map { _ in try main.input(.array([bands], .u64)) }
let midpoints = try main.input(.array([bands], .u64))
let histogram = try main.add(try main.add(counts[0], counts[1]), counts[2])
let ageSum = try main.dot(histogram, midpoints)
let patients = try main.sum(histogram, axes: [0])
try main.setOutput(try main.createTuple([histogram, ageSum, patients]))
try builder.setMain(main)
let context = try builder.finish()

// Hospital p owns input p; the midpoints are public; everyone learns the result.
let spec = IOSpec(inputs: [.party(0), .party(1), .party(2), .public], output: .public)
let program = try SecureProgram(context, spec: spec)
let midpointValue = Value.tensor(Tensor(.u64, shape: [bands], narrow: bandMidpoints))
let inputs: [[Value]] = (0..<3).map { party in
    (0..<3).map { owner in
        .tensor(Tensor(.u64, shape: [bands], narrow: owner == party ? hospitals[owner] : Array(repeating: 0, count: bands)))
    } + [midpointValue]
}

let results = try await LocalSimulation.run(program, inputs: inputs)
guard case let .tuple(parts)? = results[0].value, let histogramResult = parts[0].tensor?.residues,
    let sum = parts[1].tensor?.residue(at: 0), let total = parts[2].tensor?.residue(at: 0)
else {
    throw ConfideError(.evaluation, "unexpected output of type \(String(describing: results[0].value?.type))")
}
print("joint histogram: \(histogramResult.map(String.init).joined(separator: " "))")
print("patients: \(total), mean age: \(Double(sum) / Double(total))")
print("traffic: \(results.map(\.traffic.bytesSent)) bytes sent by parties 0, 1, 2 in \(results.map(\.traffic.rounds).max() ?? 0) rounds")
