import ConfideCore

/// A small deterministic generator (SplitMix64) so randomised tests are reproducible.
struct CoreTestsRNG: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Every scalar type, for `@Test(arguments:)`.
let coreTestsAllScalarTypes = ScalarType.allCases

/// Edge residues of a type: 0, 1, max, min (signed), -1 and the wrap-around neighbours.
func coreTestsEdgeResidues(_ s: ScalarType) -> [UInt128] {
    var out: [UInt128] = [0, 1 & s.mask128, s.mask128, s.maxResidue, s.minResidue, (s.maxResidue &+ 1) & s.mask128]
    if s.bits > 1 { out.append(2) }
    var seen = Set<UInt128>()
    return out.filter { seen.insert($0).inserted }
}

/// A random residue of a type.
func coreTestsRandomResidue(_ s: ScalarType, _ rng: inout CoreTestsRNG) -> UInt128 {
    let wide = UInt128(rng.next()) << 64 | UInt128(rng.next())
    return wide & s.mask128
}

/// A random tensor of the given type and shape.
func coreTestsRandomTensor(_ s: ScalarType, _ shape: [Int], _ rng: inout CoreTestsRNG) -> Tensor {
    let n = Tensor.elementCount(shape)
    return Tensor(s, shape: shape, residues: (0..<n).map { _ in coreTestsRandomResidue(s, &rng) })
}

/// A random value of a type.
func coreTestsRandomValue(_ type: ValueType, _ rng: inout CoreTestsRNG) -> Value {
    switch type {
    case let .scalar(s): return .tensor(coreTestsRandomTensor(s, [], &rng))
    case let .array(shape, s): return .tensor(coreTestsRandomTensor(s, shape, &rng))
    case let .tuple(ts): return .tuple(ts.map { coreTestsRandomValue($0, &rng) })
    case let .namedTuple(fs): return .namedTuple(fs.map { .init($0.name, coreTestsRandomValue($0.type, &rng)) })
    case let .vector(n, t): return .vector(elementType: t, (0..<n).map { _ in coreTestsRandomValue(t, &rng) })
    }
}

/// A selection of types of every kind, including nesting and empty containers.
let coreTestsSampleTypes: [ValueType] = {
    var types: [ValueType] = []
    for s in ScalarType.allCases {
        types.append(.scalar(s))
        types.append(.array([1], s))
        types.append(.array([9], s))
        types.append(.array([2, 3, 5], s))
    }
    types.append(.tuple([]))
    types.append(.tuple([.scalar(.bit), .array([3], .i8), .tuple([.scalar(.u128)])]))
    types.append(.vector(0, .scalar(.u32)))
    types.append(.vector(3, .array([2, 2], .i16)))
    types.append(.vector(2, .tuple([.scalar(.bit), .vector(2, .scalar(.i64))])))
    types.append(.namedTuple([.init("a", .scalar(.u64)), .init("b c", .array([4], .bit)), .init("", .tuple([]))]))
    types.append(.tuple([.namedTuple([.init("x", .vector(1, .array([1, 1], .i128)))])]))
    return types
}()
