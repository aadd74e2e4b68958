import ConfideCore
import ConfideGraph
import Testing

@testable import ConfideMPC

/// An uncompiled graph, its I/O spec and the types of its inputs, for the planner tests.
struct PlannerCase: Sendable, CustomStringConvertible {
    let name: String
    let inputTypes: [ValueType]
    let spec: IOSpec
    /// Builds the main graph's body on its inputs and the sub-graphs, and returns the output node.
    let build: @Sendable (ContextBuilder, GraphBuilder, [BuilderNode], [GraphBuilder]) throws -> BuilderNode
    /// Builds sub-graphs before the main graph (callees must precede their callers).
    var subgraphs: @Sendable (ContextBuilder) throws -> [GraphBuilder] = { _ in [] }
    /// Overrides for specific input values (index → value).
    var fixedInputs: [Int: Value] = [:]

    var description: String { name }

    func context() throws -> Context {
        let builder = ContextBuilder()
        let callees = try subgraphs(builder)
        let main = builder.makeGraph()
        let inputs = try inputTypes.map { try main.input($0) }
        try main.setOutput(try build(builder, main, inputs, callees))
        try builder.setMain(main)
        return try builder.finish()
    }
}

/// Random values of a type, edge values first for tensors.
func plannerRandomValue(_ type: ValueType, _ data: inout MPCTestData) -> Value {
    switch type {
    case let .scalar(s), let .array(_, s): return .tensor(data.tensor(s, type.shape!))
    case let .tuple(items): return .tuple(items.map { plannerRandomValue($0, &data) })
    case let .namedTuple(fields): return .namedTuple(fields.map { .init($0.name, plannerRandomValue($0.type, &data)) })
    case let .vector(n, element): return .vector(elementType: element, (0..<n).map { _ in plannerRandomValue(element, &data) })
    }
}

/// A CipherCore secret-shared 3-tuple of `value` for every party (the third component of each
/// party's copy is garbage, as CipherCore allows).
func plannerShares(of value: Value, _ data: inout MPCTestData) throws -> [Value] {
    let r0 = plannerRandomValue(value.type, &data), r1 = plannerRandomValue(value.type, &data)
    // v2 = v − r0 − r1 (XOR for bits), computed with the plaintext evaluator on the tuple leaves.
    func third(_ v: Value, _ a: Value, _ b: Value) throws -> Value {
        if v.tensor != nil {
            return try Evaluator.apply(.subtract, to: [try Evaluator.apply(.subtract, to: [v, a]), b])
        }
        let parts = try zip(zip(v.children!, a.children!), b.children!).map { try third($0.0, $0.1, $1) }
        switch v {
        case let .namedTuple(fields): return .namedTuple(zip(fields, parts).map { .init($0.name, $1) })
        case let .vector(elementType, _): return .vector(elementType: elementType, parts)
        default: return .tuple(parts)
        }
    }
    let r2 = try third(value, r0, r1)
    let garbage = plannerRandomValue(value.type, &data)
    let components = [r0, r1, r2]
    return (0..<3).map { p in
        var c = components
        c[(p + 2) % 3] = garbage
        return .tuple(c)
    }
}

/// Runs a case securely and with the plaintext evaluator; checks that every output party gets
/// the plaintext result and the others nothing. Returns the traffic.
@discardableResult
func checkPlannerCase(_ c: PlannerCase, seed: UInt8 = 1) async throws -> [TrafficStatistics] {
    let context = try c.context()
    var data = MPCTestData(seed: seed)
    let values = c.inputTypes.enumerated().map { i, t in c.fixedInputs[i] ?? plannerRandomValue(t, &data) }
    let expected = try Evaluator().evaluate(context, inputs: values)
    var partyInputs: [[Value]] = [[], [], []]
    for (i, value) in values.enumerated() {
        switch c.spec.inputs[i] {
        case let .party(owner):
            for p in 0..<3 { partyInputs[p].append(p == owner ? value : plannerRandomValue(value.type, &data)) }
        case .public:
            for p in 0..<3 { partyInputs[p].append(value) }
        case .secretShared:
            let shares = try plannerShares(of: value, &data)
            for p in 0..<3 { partyInputs[p].append(shares[p]) }
        }
    }
    let program = try SecureProgram(context, spec: c.spec)
    let results = try await LocalSimulation.run(program, inputs: partyInputs, timeout: .seconds(30))
    switch c.spec.output {
    case .public:
        for p in 0..<3 { #expect(results[p].value == expected, "\(c.name): party \(p)") }
    case let .parties(set):
        for p in 0..<3 { #expect(results[p].value == (set.contains(p) ? expected : nil), "\(c.name): party \(p)") }
    case .secretShared:
        // Party p's tuple holds valid components p and p+1; reconstruct from parties 0 and 1.
        let t0 = try #require(results[0].value?.children), t1 = try #require(results[1].value?.children)
        let components = [t0[0], t0[1], t1[2]]
        func add(_ a: Value, _ b: Value) throws -> Value {
            if a.tensor != nil { return try Evaluator.apply(.add, to: [a, b]) }
            let parts = try zip(a.children!, b.children!).map { try add($0, $1) }
            switch a {
            case let .namedTuple(fields): return .namedTuple(zip(fields, parts).map { .init($0.name, $1) })
            case let .vector(elementType, _): return .vector(elementType: elementType, parts)
            default: return .tuple(parts)
            }
        }
        #expect(try add(add(components[0], components[1]), components[2]) == expected, "\(c.name): reconstructed shares")
    }
    return results.map(\.traffic)
}
