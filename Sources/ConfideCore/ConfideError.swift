/// The error every Confide module throws: a stable code, a human message and an optional cause.
///
/// Messages name the problem (file, node id, expected and found type) but never contain secret
/// values, shares or keys.
public struct ConfideError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A stable, extensible error category.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        public static let malformedJSON = Code("malformed-json")
        public static let invalidType = Code("invalid-type")
        public static let invalidValue = Code("invalid-value")
        public static let typeMismatch = Code("type-mismatch")
        public static let shapeMismatch = Code("shape-mismatch")
        public static let outOfRange = Code("out-of-range")
        public static let unsupportedVersion = Code("unsupported-version")
        public static let unknownOperation = Code("unknown-operation")
        public static let unsupportedOperation = Code("unsupported-operation")
        public static let invalidGraph = Code("invalid-graph")
        public static let invalidArgument = Code("invalid-argument")
        public static let wrongInputCount = Code("wrong-input-count")
        public static let tooLarge = Code("too-large")
        public static let io = Code("io")
        public static let evaluation = Code("evaluation")
        public static let assertionFailed = Code("assertion-failed")
    }

    public var code: Code
    public var message: String
    /// Optional underlying error description (never secret data).
    public var cause: String?

    public init(_ code: Code, _ message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        if let cause { return "\(code): \(message) (\(cause))" }
        return "\(code): \(message)"
    }

    /// Returns a copy whose message is prefixed with `context` (for example a file or node name).
    public func prefixed(_ context: String) -> ConfideError {
        ConfideError(code, "\(context): \(message)", cause: cause)
    }
}
