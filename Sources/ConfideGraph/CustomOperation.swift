import ConfideCore

/// A CipherCore custom operation: `{"Custom":{"body":{"type":"GreaterThan","signed_comparison":false}}}`.
///
/// The `type` names the operation; the remaining members are its parameters, kept in source order.
public struct CustomOperation: Sendable, Equatable {
    public var name: String
    public var parameters: [(String, JSONValue)]

    public init(_ name: String, parameters: [(String, JSONValue)] = []) {
        self.name = name
        self.parameters = parameters
    }

    public static func == (lhs: CustomOperation, rhs: CustomOperation) -> Bool {
        lhs.name == rhs.name && JSONValue.object(lhs.parameters) == JSONValue.object(rhs.parameters)
    }

    /// The value of a parameter.
    public subscript(parameter: String) -> JSONValue? {
        parameters.first { $0.0 == parameter }?.1
    }

    /// A boolean parameter (for example `signed_comparison`), or `defaultValue` when absent.
    public func bool(_ parameter: String, default defaultValue: Bool = false) -> Bool {
        self[parameter]?.boolValue ?? defaultValue
    }

    /// Convenience constructors for the custom operations Confide evaluates.
    public static func comparison(_ name: String, signed: Bool) -> CustomOperation {
        CustomOperation(name, parameters: [("signed_comparison", .bool(signed))])
    }
}
