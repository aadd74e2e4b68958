import ConfideCore

@testable import ConfideGraph

/// Infers the type of one operation applied to arguments of the given types.
func inferenceType(_ operation: Operation, _ arguments: ValueType..., callees: [TypeInference.GraphSignature] = []) throws -> ValueType {
    try TypeInference.inferType(of: operation, arguments: arguments, callees: callees)
}

/// The error one operation fails with, or nil when it succeeds (or throws something other than a
/// ``ConfideError``).
func inferenceError(_ operation: Operation, _ arguments: ValueType..., callees: [TypeInference.GraphSignature] = []) -> ConfideError? {
    do {
        _ = try TypeInference.inferType(of: operation, arguments: arguments, callees: callees)
        return nil
    } catch let error as ConfideError {
        return error
    } catch {
        return nil
    }
}

/// The error code of the first failing node of a context (nil when inference succeeds).
func inferenceContextError(_ context: Context) -> ConfideError? {
    do {
        _ = try TypeInference.inferTypes(context)
        return nil
    } catch let error as ConfideError {
        return error
    } catch {
        return nil
    }
}

/// A one-graph context whose main graph is `nodes`, output the last node.
func inferenceContext(_ nodes: [Node]) -> Context {
    Context(graphs: [Graph(nodes: nodes, outputNode: nodes.isEmpty ? nil : nodes.count - 1)], mainGraph: 0)
}

/// A custom operation with its parameters.
func inferenceCustom(_ name: String, _ parameters: [(String, JSONValue)] = []) -> Operation {
    .custom(CustomOperation(name, parameters: parameters))
}

/// `{"signed_comparison": signed}` custom operations.
func inferenceComparison(_ name: String, signed: Bool) -> Operation {
    .custom(.comparison(name, signed: signed))
}

/// Shorthands for types.
func tiBits(_ shape: Int...) -> ValueType { .array(shape, .bit) }
func tiArray(_ scalar: ScalarType, _ shape: Int...) -> ValueType { .array(shape, scalar) }
