/// The machine words tensors are stored in: `UInt64` for types up to 64 bits, `UInt128` for 128-bit.
///
/// Kernels are written once, generic over `RingWord`, and specialised for both.
public protocol RingWord: FixedWidthInteger, UnsignedInteger, Sendable {
    /// Wraps words of this width as tensor storage (no copy).
    static func storage(_ words: [Self]) -> Tensor.Storage
    /// The words of `storage` when it holds this width, else nil (no copy).
    static func words(_ storage: Tensor.Storage) -> [Self]?
    /// Whether values of `scalarType` are stored in words of this width.
    static func stores(_ scalarType: ScalarType) -> Bool
    /// The mask of `scalarType`'s residues in this width.
    static func mask(_ scalarType: ScalarType) -> Self
}

extension UInt64: RingWord {
    public static func storage(_ words: [UInt64]) -> Tensor.Storage { .narrow(words) }
    public static func words(_ storage: Tensor.Storage) -> [UInt64]? {
        if case let .narrow(w) = storage { return w }
        return nil
    }
    public static func stores(_ scalarType: ScalarType) -> Bool { !scalarType.isWide }
    public static func mask(_ scalarType: ScalarType) -> UInt64 { scalarType.mask64 }
}

extension UInt128: RingWord {
    public static func storage(_ words: [UInt128]) -> Tensor.Storage { .wide(words) }
    public static func words(_ storage: Tensor.Storage) -> [UInt128]? {
        if case let .wide(w) = storage { return w }
        return nil
    }
    public static func stores(_ scalarType: ScalarType) -> Bool { scalarType.isWide }
    public static func mask(_ scalarType: ScalarType) -> UInt128 { scalarType.mask128 }
}
