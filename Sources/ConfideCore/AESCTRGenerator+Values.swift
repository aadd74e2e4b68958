extension AESCTRGenerator {
    /// A uniformly random value of `type`, drawn from the stream with CipherCore's layout
    /// (type order, ⌈bits/8⌉ bytes per scalar or array, unused bits of a bit tensor zero).
    /// - Throws: `.invalidType` / `.tooLarge` when the type is malformed or too large.
    public mutating func randomValue(of type: ValueType) throws -> Value {
        try CipherCoreRandomLayout.value(of: type, from: &self)
    }

    /// A uniformly random permutation of 0..<count as a `u64[count]` tensor (Fisher–Yates, as
    /// CipherCore's `RandomPermutation`).
    /// - Throws: `.invalidArgument` when `count` < 1; `.tooLarge` when it exceeds 2^40 elements.
    public mutating func randomPermutation(count: Int) throws -> Tensor {
        guard count >= 1 else {
            throw ConfideError(.invalidArgument, "permutation length must be positive, found \(count)")
        }
        try ValueType.array([count], .u64).validate()
        var a = (0..<count).map { UInt64($0) }
        a.withUnsafeMutableBufferPointer { p in
            var i = count - 1
            while i > 0 {
                let j = Int(uniform(below: UInt64(i + 1)))
                p.swapAt(i, j)
                i -= 1
            }
        }
        return Tensor(unchecked: .u64, shape: [count], storage: .narrow(a))
    }
}
