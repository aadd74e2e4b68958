/// The machine words tensors are stored in: `UInt64` for types up to 64 bits, `UInt128` for 128-bit.
///
/// Kernels are written once, generic over `RingWord`, and specialised for both.
public protocol RingWord: FixedWidthInteger, UnsignedInteger, Sendable {}

extension UInt64: RingWord {}
extension UInt128: RingWord {}
