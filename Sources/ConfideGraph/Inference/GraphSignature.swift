import ConfideCore

extension TypeInference {
    /// What a `Call` or `Iterate` node needs to know about the graph it runs: the types of the
    /// graph's `Input` nodes (in node order) and the type of its output node.
    public struct GraphSignature: Sendable, Hashable {
        public var inputTypes: [ValueType]
        public var outputType: ValueType

        public init(inputTypes: [ValueType], outputType: ValueType) {
            self.inputTypes = inputTypes
            self.outputType = outputType
        }
    }
}
