import ConfideCore

/// CipherCore's serde encoding of operations.
///
/// Unit variants are bare strings (`"Add"`); the others are one-member objects whose key is the
/// name: newtype variants hold their argument (`{"Sum":[0,1]}`, `{"Input":T}`), tuple variants a
/// list (`{"Gemm":[false,true]}`, `{"PRF":[iv,T]}`, `{"Constant":[T,V]}`). Types follow
/// ``ValueType/init(json:)`` (either scalar spelling is read); a constant's value is versioned and
/// string-encoded; custom operations are `{"Custom":{"body":{"type":"Name",...parameters}}}`.
extension Operation {
    /// Reads an operation from its CipherCore JSON.
    /// - Parameter json: a string (unit variant) or a one-member object.
    /// - Throws: `.unknownOperation` naming an unknown operation; `.invalidGraph` for malformed
    ///   arguments (naming the operation and what was expected); `.invalidType` for malformed types;
    ///   `.invalidValue` / `.unsupportedVersion` for a malformed constant value.
    public init(json: JSONValue) throws {
        switch json {
        case let .string(name):
            guard let unit = OperationJSONNames.unitOperations[name] else {
                if OperationJSONNames.argumentOperations.contains(name) {
                    throw ConfideError(.invalidGraph, "operation \(name) needs arguments")
                }
                throw ConfideError(.unknownOperation, "unknown operation '\(OperationJSONNames.clipped(name))'")
            }
            self = unit
        case let .object(members):
            guard members.count == 1 else {
                throw ConfideError(.invalidGraph, "an operation object must have exactly one member (the operation name), found \(members.count)")
            }
            let (name, arguments) = members[0]
            if let unit = OperationJSONNames.unitOperations[name] {
                guard case .null = arguments else {
                    throw ConfideError(.invalidGraph, "operation \(name) takes no arguments, found \(arguments.kindName)")
                }
                self = unit
                return
            }
            guard OperationJSONNames.argumentOperations.contains(name) else {
                throw ConfideError(.unknownOperation, "unknown operation '\(OperationJSONNames.clipped(name))'")
            }
            self = try OperationArgumentReader(name: name).operation(arguments)
        default:
            throw ConfideError(.invalidGraph, "an operation must be a name or {\"Name\": arguments}, found \(json.kindName)")
        }
    }

    /// Writes the operation as CipherCore JSON of format `version` (1 or 2).
    /// - Parameter version: the context format version; it selects the scalar type spelling and
    ///   the version of constant values.
    /// - Returns: a string for unit variants, else a one-member object.
    /// - Throws: `.unsupportedVersion` for a version other than 1 or 2, for 128-bit types in
    ///   version 1 and for a Truncate scale above 2^64 - 1 in version 1; `.invalidArgument` for
    ///   arguments CipherCore cannot represent (negative counts or axes, malformed shard or join
    ///   arguments, a custom operation without a name or with a parameter named `type`).
    public func json(version: Int) throws -> JSONValue {
        guard version == 1 || version == 2 else {
            throw ConfideError(.unsupportedVersion, "format version \(version) is not supported (1 or 2)")
        }
        let key = isCustom ? "Custom" : name
        let writer = OperationArgumentWriter(name: name, version: version)
        if let arguments = try writer.arguments(of: self) {
            return .object([(key, arguments)])
        }
        return .string(key)
    }
}

/// The operation names of CipherCore's serde format.
private enum OperationJSONNames {
    static let unitOperations: [String: Operation] = [
        "Add": .add, "Subtract": .subtract, "Multiply": .multiply, "MixedMultiply": .mixedMultiply,
        "Dot": .dot, "Matmul": .matmul, "NOP": .nop, "A2B": .a2b, "CreateTuple": .createTuple,
        "VectorGet": .vectorGet, "Zip": .zip, "Call": .call, "Iterate": .iterate,
        "ArrayToVector": .arrayToVector, "VectorToArray": .vectorToArray, "CuckooHash": .cuckooHash,
        "InversePermutation": .inversePermutation, "CuckooToPermutation": .cuckooToPermutation,
        "SegmentCumSum": .segmentCumSum,
    ]

    static let argumentOperations: Set<String> = [
        "Input", "Zeros", "Ones", "Gemm", "Truncate", "Sum", "CumSum", "PermuteAxes", "Get", "GetSlice",
        "Reshape", "Random", "PRF", "PermutationFromPRF", "Stack", "Concatenate", "Constant", "B2A",
        "CreateNamedTuple", "CreateVector", "TupleGet", "NamedTupleGet", "Repeat", "RandomPermutation",
        "Gather", "DecomposeSwitchingMap", "Shard", "ShardWithColumnMasks", "Join", "JoinWithColumnMasks",
        "ApplyPermutation", "Sort", "Custom", "Print", "Assert",
    ]

    /// The join types of CipherCore's `JoinType`.
    static let joinTypes: Set<String> = ["Inner", "Left", "Union", "Full"]

    /// A name cut to a readable length for error messages.
    static func clipped(_ name: String) -> String {
        name.count > 60 ? String(name.prefix(59)) + "…" : name
    }
}

/// Reads the arguments of one named operation, naming it in every error.
private struct OperationArgumentReader {
    let name: String

    func fail(_ message: String) -> ConfideError {
        ConfideError(.invalidGraph, "operation \(name): \(message)")
    }

    func operation(_ a: JSONValue) throws -> Operation {
        switch name {
        case "Input": return .input(try type(a))
        case "Zeros": return .zeros(try type(a))
        case "Ones": return .ones(try type(a))
        case "Gemm":
            let p = try list(a, count: 2)
            return .gemm(transposeA: try bool(p[0]), transposeB: try bool(p[1]))
        case "Truncate":
            guard let scale = a.integer(as: UInt128.self) else { throw fail("scale must be an integer in 0...2^128-1, found \(a.abbreviated())") }
            return .truncate(scale)
        case "Sum": return .sum(try counts(a, what: "axes"))
        case "CumSum": return .cumSum(try count(a, what: "axis"))
        case "PermuteAxes": return .permuteAxes(try counts(a, what: "permutation"))
        case "Get": return .get(try counts(a, what: "index"))
        case "GetSlice": return .getSlice(try slice(a))
        case "Reshape": return .reshape(try type(a))
        case "Random": return .random(try type(a))
        case "PRF":
            let p = try list(a, count: 2)
            return .prf(iv: try iv(p[0]), try type(p[1]))
        case "PermutationFromPRF":
            let p = try list(a, count: 2)
            return .permutationFromPRF(iv: try iv(p[0]), n: try count(p[1], what: "size"))
        case "Stack": return .stack(try counts(a, what: "outer shape"))
        case "Concatenate": return .concatenate(try count(a, what: "axis"))
        case "Constant":
            let p = try list(a, count: 2)
            let t = try type(p[0])
            do {
                return .constant(t, try EncodedValue(versionedJSON: p[1]))
            } catch let error as ConfideError {
                throw error.prefixed("operation Constant")
            }
        case "B2A":
            do {
                return .b2a(try ScalarType(json: a))
            } catch let error as ConfideError {
                throw error.prefixed("operation B2A")
            }
        case "CreateNamedTuple":
            guard let items = a.arrayValue else { throw fail("expected a list of names, found \(a.kindName)") }
            return .createNamedTuple(try items.map { try string($0, what: "name") })
        case "CreateVector": return .createVector(try type(a))
        case "TupleGet": return .tupleGet(try count(a, what: "index"))
        case "NamedTupleGet": return .namedTupleGet(try string(a, what: "field name"))
        case "Repeat": return .repeat(try count(a, what: "count"))
        case "RandomPermutation": return .randomPermutation(try count(a, what: "size"))
        case "Gather": return .gather(try count(a, what: "axis"))
        case "DecomposeSwitchingMap": return .decomposeSwitchingMap(try count(a, what: "size"))
        case "Shard", "ShardWithColumnMasks":
            try OperationJSONValidation.checkShardConfig(a, operation: name)
            return .shard(withColumnMasks: name == "ShardWithColumnMasks", config: a)
        case "Join", "JoinWithColumnMasks":
            try OperationJSONValidation.checkJoinArguments(a, operation: name)
            return .join(withColumnMasks: name == "JoinWithColumnMasks", arguments: a)
        case "ApplyPermutation": return .applyPermutation(inverse: try bool(a))
        case "Sort": return .sort(key: try string(a, what: "key"))
        case "Custom": return .custom(try custom(a))
        case "Print": return .print(try string(a, what: "message"))
        case "Assert": return .assert(try string(a, what: "message"))
        default: throw ConfideError(.unknownOperation, "unknown operation '\(OperationJSONNames.clipped(name))'")
        }
    }

    func type(_ a: JSONValue) throws -> ValueType {
        do {
            return try ValueType(json: a)
        } catch let error as ConfideError {
            throw error.prefixed("operation \(name)")
        }
    }

    func list(_ a: JSONValue, count n: Int) throws -> [JSONValue] {
        guard let items = a.arrayValue, items.count == n else {
            throw fail("expected a list of \(n) arguments, found \(a.abbreviated())")
        }
        return items
    }

    func bool(_ a: JSONValue) throws -> Bool {
        guard let b = a.boolValue else { throw fail("expected a boolean, found \(a.abbreviated())") }
        return b
    }

    func string(_ a: JSONValue, what: String) throws -> String {
        guard let s = a.stringValue else { throw fail("\(what) must be a string, found \(a.kindName)") }
        return s
    }

    func iv(_ a: JSONValue) throws -> UInt64 {
        guard let v = a.integer(as: UInt64.self) else { throw fail("iv must be an integer in 0...2^64-1, found \(a.abbreviated())") }
        return v
    }

    /// A CipherCore u64 that must also fit `Int`.
    func count(_ a: JSONValue, what: String) throws -> Int {
        guard let v = a.integer(as: UInt64.self) else {
            throw fail("\(what) must be a non-negative integer, found \(a.abbreviated())")
        }
        guard v <= UInt64(Int.max) else { throw fail("\(what) \(v) is too large") }
        return Int(v)
    }

    func counts(_ a: JSONValue, what: String) throws -> [Int] {
        guard let items = a.arrayValue else { throw fail("\(what) must be a list of non-negative integers, found \(a.kindName)") }
        return try items.map { try count($0, what: "\(what) entry") }
    }

    func signed(_ a: JSONValue, what: String) throws -> Int {
        guard let v = a.integer(as: Int64.self) else { throw fail("\(what) must be a 64-bit signed integer, found \(a.abbreviated())") }
        return Int(v)
    }

    func optionalSigned(_ a: JSONValue, what: String) throws -> Int? {
        if case .null = a { return nil }
        return try signed(a, what: what)
    }

    func slice(_ a: JSONValue) throws -> [Operation.SliceElement] {
        guard let items = a.arrayValue else { throw fail("expected a list of slice elements, found \(a.kindName)") }
        return try items.map { item in
            if item.stringValue == "Ellipsis" { return .ellipsis }
            guard let (tag, body) = item.singleMember else {
                throw fail("slice element must be \"Ellipsis\", {\"SingleIndex\":i} or {\"SubArray\":[start,stop,step]}, found \(item.abbreviated())")
            }
            switch tag {
            case "SingleIndex":
                return .singleIndex(try signed(body, what: "SingleIndex"))
            case "SubArray":
                let p = try list(body, count: 3)
                return .subArray(
                    start: try optionalSigned(p[0], what: "SubArray start"),
                    stop: try optionalSigned(p[1], what: "SubArray stop"),
                    step: try optionalSigned(p[2], what: "SubArray step"))
            case "Ellipsis" where body == .null:
                return .ellipsis
            default:
                throw fail("unknown slice element '\(OperationJSONNames.clipped(tag))'")
            }
        }
    }

    func custom(_ a: JSONValue) throws -> CustomOperation {
        guard case .object = a, let body = a["body"] else { throw fail("expected {\"body\":{\"type\":...}}, found \(a.abbreviated())") }
        guard let members = body.objectValue else { throw fail("body must be an object, found \(body.kindName)") }
        var typeName: String?
        var parameters: [(String, JSONValue)] = []
        for (key, value) in members {
            if key == "type" {
                guard typeName == nil else { throw fail("body has two \"type\" members") }
                guard let s = value.stringValue, !s.isEmpty else { throw fail("body \"type\" must be a non-empty string, found \(value.abbreviated())") }
                typeName = s
            } else {
                parameters.append((key, value))
            }
        }
        guard let typeName else { throw fail("body needs a \"type\" naming the custom operation") }
        return CustomOperation(typeName, parameters: parameters)
    }
}

/// Checks of the JSON that Shard and Join operations keep as is.
private enum OperationJSONValidation {
    /// `{"num_shards":u64,"shard_size":u64,"shard_headers":[string,...]}`.
    static func checkShardConfig(_ config: JSONValue, operation: String) throws {
        func fail(_ m: String) -> ConfideError { ConfideError(.invalidGraph, "operation \(operation): \(m)") }
        guard case .object = config else { throw fail("shard config must be an object, found \(config.kindName)") }
        for key in ["num_shards", "shard_size"] {
            guard let v = config[key], v.integer(as: UInt64.self) != nil else {
                throw fail("shard config needs a non-negative integer \"\(key)\"")
            }
        }
        guard let headers = config["shard_headers"]?.arrayValue, headers.allSatisfy({ $0.stringValue != nil }) else {
            throw fail("shard config needs a list of strings \"shard_headers\"")
        }
    }

    /// `[join type, {"header": "header", ...}]`.
    static func checkJoinArguments(_ arguments: JSONValue, operation: String) throws {
        func fail(_ m: String) -> ConfideError { ConfideError(.invalidGraph, "operation \(operation): \(m)") }
        guard let p = arguments.arrayValue, p.count == 2 else {
            throw fail("expected [join type, header map], found \(arguments.abbreviated())")
        }
        guard let joinType = p[0].stringValue, OperationJSONNames.joinTypes.contains(joinType) else {
            throw fail("join type must be one of Full, Inner, Left, Union, found \(p[0].abbreviated())")
        }
        guard let headers = p[1].objectValue, headers.allSatisfy({ $0.1.stringValue != nil }) else {
            throw fail("header map must be an object of strings, found \(p[1].abbreviated())")
        }
    }
}

/// Writes the arguments of operations.
private struct OperationArgumentWriter {
    let name: String
    let version: Int

    func fail(_ message: String) -> ConfideError {
        ConfideError(.invalidArgument, "operation \(name): \(message)")
    }

    /// The argument JSON, or nil for unit variants.
    func arguments(of operation: Operation) throws -> JSONValue? {
        switch operation {
        case .add, .subtract, .multiply, .mixedMultiply, .dot, .matmul, .nop, .a2b, .createTuple, .vectorGet,
            .zip, .call, .iterate, .arrayToVector, .vectorToArray, .cuckooHash, .inversePermutation,
            .cuckooToPermutation, .segmentCumSum:
            return nil
        case let .input(t), let .zeros(t), let .ones(t), let .reshape(t), let .random(t), let .createVector(t):
            return try t.json(version: version)
        case let .gemm(a, b): return .array([.bool(a), .bool(b)])
        case let .truncate(scale):
            if version == 1, scale > UInt128(UInt64.max) {
                throw ConfideError(.unsupportedVersion, "operation Truncate: scale above 2^64-1 cannot be written in format version 1")
            }
            return .int(scale)
        case let .sum(v): return try counts(v, what: "axis")
        case let .cumSum(v): return try count(v, what: "axis")
        case let .permuteAxes(v): return try counts(v, what: "permutation entry")
        case let .get(v): return try counts(v, what: "index")
        case let .getSlice(elements): return .array(elements.map(sliceElement))
        case let .prf(iv, t): return .array([.int(iv), try t.json(version: version)])
        case let .permutationFromPRF(iv, n): return .array([.int(iv), try count(n, what: "size")])
        case let .stack(v): return try counts(v, what: "outer shape entry")
        case let .concatenate(v): return try count(v, what: "axis")
        case let .constant(t, value): return .array([try t.json(version: version), value.versionedJSON(version: version)])
        case let .b2a(s): return try s.json(version: version)
        case let .createNamedTuple(names): return .array(names.map { .string($0) })
        case let .tupleGet(v): return try count(v, what: "index")
        case let .namedTupleGet(field): return .string(field)
        case let .repeat(v): return try count(v, what: "count")
        case let .randomPermutation(v): return try count(v, what: "size")
        case let .gather(v): return try count(v, what: "axis")
        case let .decomposeSwitchingMap(v): return try count(v, what: "size")
        case let .shard(_, config):
            try rethrowAsArgumentError { try OperationJSONValidation.checkShardConfig(config, operation: name) }
            return config
        case let .join(_, arguments):
            try rethrowAsArgumentError { try OperationJSONValidation.checkJoinArguments(arguments, operation: name) }
            return arguments
        case let .applyPermutation(inverse): return .bool(inverse)
        case let .sort(key): return .string(key)
        case let .custom(op): return try custom(op)
        case let .print(message), let .assert(message): return .string(message)
        }
    }

    func count(_ v: Int, what: String) throws -> JSONValue {
        guard v >= 0 else { throw fail("\(what) \(v) is negative") }
        return .int(v)
    }

    func counts(_ v: [Int], what: String) throws -> JSONValue {
        .array(try v.map { try count($0, what: what) })
    }

    func sliceElement(_ e: Operation.SliceElement) -> JSONValue {
        switch e {
        case .ellipsis: return .string("Ellipsis")
        case let .singleIndex(i): return .object([("SingleIndex", .int(i))])
        case let .subArray(start, stop, step):
            return .object([("SubArray", .array([start, stop, step].map { $0.map { .int($0) } ?? .null }))])
        }
    }

    func custom(_ op: CustomOperation) throws -> JSONValue {
        guard !op.name.isEmpty else { throw fail("a custom operation needs a name") }
        guard !op.parameters.contains(where: { $0.0 == "type" }) else {
            throw fail("custom operation parameter named \"type\" clashes with the operation name")
        }
        return .object([("body", .object([("type", .string(op.name))] + op.parameters))])
    }

    func rethrowAsArgumentError(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ConfideError {
            throw ConfideError(.invalidArgument, error.message, cause: error.cause)
        }
    }
}
