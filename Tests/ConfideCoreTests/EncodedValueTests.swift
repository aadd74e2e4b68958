import Testing
@testable import ConfideCore

@Suite struct EncodedValueTests {
    private func bytes(_ v: Value) -> [UInt8]? {
        if case let .bytes(b) = v.encoded() { return b }
        return nil
    }

    @Test func documentedExamples() throws {
        let bits = Tensor(.bit, shape: [9], narrow: [1, 0, 1, 1, 0, 0, 0, 0, 1])
        #expect(bits.littleEndianBytes() == [13, 1])
        #expect(bytes(.scalar(.u32, 3000)) == [184, 11, 0, 0])
        #expect(bytes(.tensor(Tensor(.i8, shape: [], wrapping: [-1]))) == [255])
        #expect(try Value(decoding: .bytes([13, 1]), as: .array([9], .bit)) == .tensor(bits))
        #expect(try Value(decoding: .bytes([184, 11, 0, 0]), as: .scalar(.u32)) == .scalar(.u32, 3000))
    }

    /// Byte vectors from CipherCore's own tests (typed_value_serialization.rs, bytes.rs).
    @Test func cipherCoreVectors() throws {
        #expect(bytes(.tensor(Tensor(.i8, shape: [], wrapping: [-123]))) == [133])
        #expect(bytes(.scalar(.u16, 1234)) == [210, 4])
        #expect(bytes(.tensor(Tensor(.i16, shape: [], wrapping: [-1234]))) == [46, 251])
        #expect(bytes(.scalar(.u32, 123_456)) == [64, 226, 1, 0])
        #expect(bytes(.tensor(Tensor(.i32, shape: [], wrapping: [-123_456]))) == [192, 29, 254, 255])
        #expect(bytes(.scalar(.u64, 123_456)) == [64, 226, 1, 0, 0, 0, 0, 0])
        #expect(bytes(.tensor(Tensor(.i64, shape: [], wrapping: [-123_456]))) == [192, 29, 254, 255, 255, 255, 255, 255])
        #expect(bytes(.scalar(.u128, 120_892_581_961_447_099_616)) == [224, 204, 217, 15, 199, 186, 184, 141, 6, 0, 0, 0, 0, 0, 0, 0])
        #expect(bytes(.tensor(Tensor(.i128, shape: [], wrapping: [-120_892_581_961_447_099_616])))
            == [32, 51, 38, 240, 56, 69, 71, 114, 249, 255, 255, 255, 255, 255, 255, 255])
        #expect(bytes(.tensor(Tensor(.i32, shape: [2, 2], wrapping: [-123_456, 123_456, 13579, -13579])))
            == [192, 29, 254, 255, 64, 226, 1, 0, 11, 53, 0, 0, 245, 202, 255, 255])
        #expect(Tensor(.bit, shape: [12], narrow: [UInt64](repeating: 1, count: 12)).littleEndianBytes() == [255, 15])
        #expect(Tensor(.bit, shape: [12], narrow: [0, 1, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1]).littleEndianBytes() == [78, 9])
        #expect(Tensor(.bit, shape: [2, 4], narrow: [0, 1, 1, 0, 1, 0, 0, 1]).littleEndianBytes() == [150])
        #expect(bytes(.scalar(.u16, 0xFFFF)) == [255, 255])
    }

    @Test(arguments: coreTestsAllScalarTypes)
    func byteWidths(_ s: ScalarType) {
        let t = Tensor.filled(s, shape: [3], residue: .max)
        let b = t.littleEndianBytes()
        #expect(b.count == Tensor.encodedByteCount(s, count: 3))
        #expect(b.count == (s == .bit ? 1 : 3 * s.bits / 8))
        #expect(b == (s == .bit ? [7] : [UInt8](repeating: 255, count: b.count)))
        #expect(Tensor.scalar(s, residue: 1).littleEndianBytes() == [1] + [UInt8](repeating: 0, count: s.byteWidth - 1))
    }

    @Test func encodedByteCounts() {
        #expect(Tensor.encodedByteCount(.bit, count: 0) == 0)
        #expect(Tensor.encodedByteCount(.bit, count: 1) == 1)
        #expect(Tensor.encodedByteCount(.bit, count: 8) == 1)
        #expect(Tensor.encodedByteCount(.bit, count: 9) == 2)
        #expect(Tensor.encodedByteCount(.u128, count: 2) == 32)
        #expect(Tensor.encodedByteCount(.u64, count: .max) == .max)
        #expect(Tensor.encodedByteCount(.bit, count: .max) == .max / 8 + 1)
    }

    @Test func littleEndianOrder() {
        #expect(bytes(.scalar(.u64, 0x0102_0304_0506_0708)) == [8, 7, 6, 5, 4, 3, 2, 1])
        #expect(bytes(.scalar(.u128, UInt128(0x0F0E_0D0C_0B0A_0908) << 64 | 0x0706_0504_0302_0100)) == Array(0...15))
        #expect(bytes(.tensor(Tensor(.i16, shape: [2], wrapping: [-2, 0x0102]))) == [254, 255, 2, 1])
    }

    @Test func containersAreVectorsInTypeOrder() throws {
        let v: Value = .tuple([
            .scalar(.u8, 1),
            .namedTuple([.init("b", .scalar(.u16, 2)), .init("a", .tuple([]))]),
            .vector(elementType: .scalar(.bit), [.scalar(.bit, 1), .scalar(.bit, 0)]),
        ])
        let expected: EncodedValue = .vector([
            .bytes([1]),
            .vector([.bytes([2, 0]), .vector([])]),
            .vector([.bytes([1]), .bytes([0])]),
        ])
        #expect(v.encoded() == expected)
        #expect(try Value(decoding: expected, as: v.type) == v)
    }

    @Test func roundTripsRandomValuesOfEveryType() throws {
        var rng = CoreTestsRNG(seed: 42)
        for t in coreTestsSampleTypes {
            for _ in 0..<5 {
                let v = coreTestsRandomValue(t, &rng)
                #expect(try Value(decoding: v.encoded(), as: t) == v, "\(t)")
            }
        }
    }

    @Test(arguments: coreTestsAllScalarTypes)
    func roundTripsEveryShapeAndEdgeValue(_ s: ScalarType) throws {
        var rng = CoreTestsRNG(seed: UInt64(s.bits) &* 31)
        for shape in [[], [1], [7], [8], [9], [3, 5], [2, 3, 4], [1, 1, 17]] {
            let t = coreTestsRandomTensor(s, shape, &rng)
            #expect(try Tensor(littleEndianBytes: t.littleEndianBytes(), scalarType: s, shape: shape) == t)
        }
        let edges = coreTestsEdgeResidues(s)
        let e = Tensor(s, shape: [edges.count], residues: edges)
        #expect(try Tensor(littleEndianBytes: e.littleEndianBytes(), scalarType: s, shape: [edges.count]) == e)
    }

    @Test(arguments: [
        (EncodedValue.bytes([1, 2, 3]), ValueType.scalar(.u32), "needs 4 bytes, found 3"),
        (.bytes([1, 2, 3, 4, 5]), .scalar(.u32), "needs 4 bytes, found 5"),
        (.bytes([]), .scalar(.bit), "needs 1 bytes, found 0"),
        (.bytes([0, 0]), .array([8], .bit), "needs 1 bytes, found 2"),
        (.bytes([2]), .scalar(.bit), "padding"),
        (.bytes([0, 2]), .array([9], .bit), "padding"),
        (.bytes([0x80]), .array([7], .bit), "padding"),
        (.bytes([0]), .tuple([]), "expected a vector"),
        (.vector([]), .scalar(.u8), "expected bytes"),
        (.vector([.bytes([1])]), .tuple([]), "tuple of 0 elements encoded with 1"),
        (.vector([]), .namedTuple([.init("a", .scalar(.u8))]), "named tuple of 1 fields encoded with 0"),
        (.vector([.bytes([1])]), .vector(2, .scalar(.u8)), "vector of 2 elements encoded with 1"),
        (.vector([.bytes([1]), .bytes([1, 2])]), .tuple([.scalar(.u8), .scalar(.u8)]), "element 1: u8 needs 1 bytes, found 2"),
        (.vector([.vector([.bytes([1])])]), .vector(1, .tuple([.scalar(.u16)])), "element 0: element 0: u16 needs 2 bytes"),
    ])
    func decodeErrors(_ encoded: EncodedValue, _ type: ValueType, _ message: String) {
        let error = #expect(throws: ConfideError.self) { try Value(decoding: encoded, as: type) }
        #expect(error?.code == .typeMismatch)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test func decodeRejectsInvalidTypes() {
        let negative = #expect(throws: ConfideError.self) { try Value(decoding: .bytes([]), as: .array([-1], .u8)) }
        #expect(negative?.code == .invalidType)
        let huge = #expect(throws: ConfideError.self) { try Value(decoding: .bytes([]), as: .array([Int.max, 2], .u8)) }
        #expect(huge?.code == .tooLarge)
        let direct = #expect(throws: ConfideError.self) { try Tensor(littleEndianBytes: [], scalarType: .u8, shape: [0]) }
        #expect(direct?.code == .invalidType)
    }

    @Test func largeArraysRoundTrip() throws {
        var rng = CoreTestsRNG(seed: 1)
        for s in [ScalarType.bit, .u8, .i16, .u32, .u64, .i128] {
            let t = coreTestsRandomTensor(s, [256, 256], &rng)
            let b = t.littleEndianBytes()
            #expect(b.count == Tensor.encodedByteCount(s, count: 65536))
            #expect(try Tensor(littleEndianBytes: b, scalarType: s, shape: [256, 256]) == t)
        }
    }
}
