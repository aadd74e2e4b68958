import ConfideCore

/// The graphs of CipherCore's command-line examples, built in code.
///
/// Each mirrors CipherCore's application of the same name (matrix multiplication, millionaires, minimum, sort),
/// so `confide eval` on them reproduces CipherCore's example outputs on the inputs in `cli_inputs/`.
public enum ExampleGraphs {
    /// The examples by name, in the order `confide demo` runs them.
    public static let names = ["matrix-multiplication", "millionaires", "minimum", "sort"]

    /// Further examples `make` builds: the runtime documentation's median of a secret-shared u32[1024]
    /// (its inputs are `ciphercore-examples/median/party{0,1,2}/input.txt`).
    /// `joint-statistics` is Confide's own example (``JointStatisticsGraph``): its data ship in
    /// `Examples/joint-statistics`; `ad-conversions` (``AdConversionsGraph``) ships its data in
    /// `Examples/ad-conversions`.
    public static let runtimeNames = ["median", "multiply", "joint-statistics", "ad-conversions"]

    /// Builds the example named `name` with its default parameters, or with `count` elements of
    /// `scalarType` (sort, median, multiply and minimum, whose count must be a power of two; the rows of joint-statistics).
    /// - Throws: `.invalidArgument` for an unknown name, or a count or type the example does not take.
    public static func make(_ name: String, count: Int? = nil, scalarType: ScalarType? = nil) throws -> Context {
        if count != nil || scalarType != nil {
            switch name {
            case "sort": return try sort(count: count ?? 16, scalarType: scalarType ?? .i32)
            case "median": return try median(count: count ?? 1024, scalarType: scalarType ?? .u32)
            case "multiply": return try multiply(count: count ?? 16, scalarType: scalarType ?? .u64)
            case "joint-statistics":
                guard scalarType == nil else { throw ConfideError(.invalidArgument, "joint-statistics takes i64 fixed-point columns (no --type)") }
                return try JointStatisticsGraph.make(rows: count ?? JointStatisticsGraph.defaultRows)
            case "minimum":
                let n = count ?? 16
                guard n > 0, n & (n - 1) == 0 else { throw ConfideError(.invalidArgument, "minimum takes a power-of-two count, found \(n)") }
                return try minimum(logCount: n.trailingZeroBitCount, scalarType: scalarType ?? .i32)
            default:
                throw ConfideError(.invalidArgument, "example '\(name)' has a fixed size and type (--count and --type apply to sort, median, multiply and minimum)")
            }
        }
        switch name {
        case "matrix-multiplication": return try matrixMultiplication(n: 2, m: 3, k: 4, scalarType: .i32)
        case "millionaires": return millionaires()
        case "minimum": return try minimum(logCount: 4, scalarType: .i32)
        case "sort": return try sort(count: 16, scalarType: .i32)
        case "median": return try median(count: 1024, scalarType: .u32)
        case "multiply": return try multiply(count: 16, scalarType: .u64)
        case "joint-statistics": return try JointStatisticsGraph.make(rows: JointStatisticsGraph.defaultRows)
        case "ad-conversions": return try AdConversionsGraph.make()
        default:
            throw ConfideError(.invalidArgument, "unknown example '\(name)'; known: \((names + runtimeNames).joined(separator: ", "))")
        }
    }

    /// The plaintext inputs of CipherCore's example (`cli_inputs/<name>.json`) as typed-value JSON text.
    public static func defaultInputs(_ name: String) throws -> String {
        let sample = "[26, 93, 31, 10, 31, 2, 92, 89, 62, 93, 10, 7, 18, 78, 83, 74]"
        switch name {
        case "matrix-multiplication":
            return """
                [{"kind":"array","type":"i32","value":[[1,2,3],[4,5,6]]},
                 {"kind":"array","type":"i32","value":[[1,2,3,4],[5,6,7,8],[9,10,11,12]]}]
                """
        case "millionaires":
            return #"[{"kind":"scalar","type":"u32","value":1000},{"kind":"scalar","type":"u32","value":2000}]"#
        case "minimum", "sort":
            return #"[{"kind":"array","type":"i32","value":"# + sample + "}]"
        default:
            throw ConfideError(.invalidArgument, "unknown example '\(name)'; known: \(names.joined(separator: ", "))")
        }
    }

    /// `A · B` for an n×m and an m×k matrix.
    public static func matrixMultiplication(n: Int, m: Int, k: Int, scalarType: ScalarType) throws -> Context {
        guard n > 0, m > 0, k > 0 else { throw ConfideError(.invalidArgument, "matrix dimensions must be positive") }
        return single([
            Node(.input(.array([n, m], scalarType))),
            Node(.input(.array([m, k], scalarType))),
            Node(.matmul, dependencies: [0, 1]),
        ])
    }

    /// Yao's millionaires: bit `x > y` for two u32 fortunes, compared in binary.
    public static func millionaires() -> Context {
        single([
            Node(.input(.scalar(.u32))),
            Node(.input(.scalar(.u32))),
            Node(.a2b, dependencies: [0]),
            Node(.a2b, dependencies: [1]),
            Node(.custom(.comparison("GreaterThan", signed: false)), dependencies: [2, 3]),
        ])
    }

    /// The minimum of 2^logCount numbers: a tournament of binary Min over halves, as CipherCore builds it.
    public static func minimum(logCount: Int, scalarType: ScalarType) throws -> Context {
        guard (0...20).contains(logCount) else { throw ConfideError(.invalidArgument, "logCount must be in 0...20") }
        var nodes = [Node(.input(.array([1 << logCount], scalarType)))]
        var current = 0
        if scalarType != .bit {
            nodes.append(Node(.a2b, dependencies: [0]))
            current = 1
        }
        let minimum = CustomOperation("Min", parameters: [("signed_comparison", .bool(scalarType.isSigned))])
        for level in stride(from: logCount - 1, through: 0, by: -1) {
            let half = 1 << level
            nodes.append(Node(.getSlice([.subArray(start: nil, stop: half, step: nil)]), dependencies: [current]))
            nodes.append(Node(.getSlice([.subArray(start: half, stop: nil, step: nil)]), dependencies: [current]))
            nodes.append(Node(.custom(minimum), dependencies: [nodes.count - 2, nodes.count - 1]))
            current = nodes.count - 1
        }
        if scalarType != .bit {
            nodes.append(Node(.b2a(scalarType), dependencies: [current]))
        }
        return single(nodes)
    }

    /// Sorts `count` integers with the SortByIntegerKey custom operation on a one-column named tuple.
    public static func sort(count: Int, scalarType: ScalarType) throws -> Context {
        guard count > 0 else { throw ConfideError(.invalidArgument, "count must be positive") }
        return single([
            Node(.input(.array([count], scalarType))),
            Node(.createNamedTuple(["key"]), dependencies: [0]),
            Node(.custom(CustomOperation("SortByIntegerKey", parameters: [("key", .string("key"))])), dependencies: [1]),
            Node(.namedTupleGet("key"), dependencies: [2]),
        ])
    }

    /// The runtime documentation's median example: sorts `count` integers with SortByIntegerKey
    /// and returns the element at index (count − 1) / 2 as a one-element array.
    public static func median(count: Int, scalarType: ScalarType) throws -> Context {
        guard count > 0 else { throw ConfideError(.invalidArgument, "count must be positive") }
        let middle = (count - 1) / 2
        return single([
            Node(.input(.array([count], scalarType))),
            Node(.createNamedTuple(["key"]), dependencies: [0]),
            Node(.custom(CustomOperation("SortByIntegerKey", parameters: [("key", .string("key"))])), dependencies: [1]),
            Node(.namedTupleGet("key"), dependencies: [2]),
            Node(.getSlice([.subArray(start: middle, stop: middle + 1, step: 1)]), dependencies: [3]),
        ])
    }

    /// The element-wise product of two arrays of `count` elements.
    public static func multiply(count: Int, scalarType: ScalarType) throws -> Context {
        guard count > 0 else { throw ConfideError(.invalidArgument, "count must be positive") }
        return single([
            Node(.input(.array([count], scalarType))),
            Node(.input(.array([count], scalarType))),
            Node(.multiply, dependencies: [0, 1]),
        ])
    }

    private static func single(_ nodes: [Node]) -> Context {
        Context(graphs: [Graph(nodes: nodes, outputNode: nodes.count - 1)], mainGraph: 0)
    }
}
