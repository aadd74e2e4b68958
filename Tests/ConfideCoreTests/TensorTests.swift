import Testing
@testable import ConfideCore

@Suite struct TensorTests {
    @Test(arguments: coreTestsAllScalarTypes)
    func storageKindFollowsWidth(_ s: ScalarType) {
        let t = Tensor.zeros(s, shape: [2, 3])
        #expect(t.count == 6)
        #expect(t.type == .array([2, 3], s))
        switch t.storage {
        case .narrow: #expect(!s.isWide)
        case .wide: #expect(s.isWide)
        }
        #expect(t.narrowWords == (s.isWide ? nil : [UInt64](repeating: 0, count: 6)))
    }

    @Test func narrowInitMasks() {
        let t = Tensor(.u8, shape: [3], narrow: [256, 257, 0x1FF])
        #expect(t.narrowWords == [0, 1, 255])
        let b = Tensor(.bit, shape: [4], narrow: [2, 3, 0, 1])
        #expect(b.narrowWords == [0, 1, 0, 1])
        let w = Tensor(.u64, shape: [1], narrow: [.max])
        #expect(w.narrowWords == [.max])
        let i = Tensor(.i16, shape: [2], narrow: [0x1_8000, 0xFFFF_FFFF])
        #expect(i.narrowWords == [0x8000, 0xFFFF])
    }

    @Test func otherInitialisers() {
        let r = Tensor(.u16, shape: [2], residues: [UInt128(1) << 70 | 5, 0x12345])
        #expect(r.narrowWords == [5, 0x2345])
        let wrapped = Tensor(.i8, shape: [4], wrapping: [-1, -128, 127, 300])
        #expect(wrapped.narrowWords == [255, 128, 127, 44])
        #expect((0..<4).map { wrapped.value(at: $0) } == [-1, -128, 127, 44])
        let generic = Tensor(.u32, shape: [2], words: [UInt128(1) << 40 | 7, 9])
        #expect(generic.narrowWords == [7, 9])
        let wideFromNarrow = Tensor(.i128, shape: [1], words: [UInt64.max])
        #expect(wideFromNarrow.residues == [UInt128(UInt64.max)])
        let wide = Tensor(.i128, shape: [2], wrapping: [-1, .min])
        #expect(wide.residues == [.max, UInt128(1) << 127])
        #expect(wide.value(at: 1) == .min)
        let scalar = Tensor.scalar(.i32, residue: 0x1_0000_0005)
        #expect(scalar.shape == [] && scalar.residue(at: 0) == 5)
        #expect(scalar.type == .scalar(.i32))
    }

    @Test(arguments: coreTestsAllScalarTypes)
    func filledZerosOnes(_ s: ScalarType) {
        #expect(Tensor.zeros(s, shape: [3]).residues == [0, 0, 0])
        #expect(Tensor.ones(s, shape: [2, 2]).residues == [1, 1, 1, 1])
        #expect(Tensor.filled(s, shape: [2], residue: .max).residues == [s.mask128, s.mask128])
        #expect(Tensor.filled(s, shape: [], residue: 2).residues == [2 & s.mask128])
    }

    @Test func elementCountAndStrides() {
        #expect(Tensor.elementCount([]) == 1)
        #expect(Tensor.elementCount([2, 3, 4]) == 24)
        #expect(Tensor.elementCount([Int.max, 2]) == .max)
        #expect(Tensor.elementCount([1 << 32, 1 << 32]) == .max)
        #expect(Tensor.strides([2, 3, 4]) == [12, 4, 1])
        #expect(Tensor.strides([5]) == [1])
        #expect(Tensor.strides([]) == [])
    }

    @Test func reshapeKeepsStorage() {
        let t = Tensor(.u32, shape: [2, 3], narrow: [1, 2, 3, 4, 5, 6])
        let r = t.reshaped([3, 2])
        #expect(r.shape == [3, 2])
        #expect(r.storage == t.storage)
        #expect(t.reshaped([6]).reshaped([2, 3]) == t)
        #expect(Tensor.scalar(.u8, residue: 4).reshaped([1, 1]).type == .array([1, 1], .u8))
    }

    @Test func gathered() throws {
        let t = Tensor(.i16, shape: [4], wrapping: [10, -20, 30, -40])
        let g = t.gathered([3, 0, 0, 1, 2, 3], shape: [2, 3])
        #expect(g.shape == [2, 3])
        #expect((0..<6).map { g.value(at: $0) } == [-40, 10, 10, -20, 30, -40])
        let w = Tensor(.u128, shape: [2], wide: [1, .max])
        #expect(w.gathered([1, 1, 0], shape: [3]).residues == [.max, .max, 1])
        #expect(try t.gathering([2], shape: [1]).residues == [30])
    }

    @Test func gatheringRejectsBadIndices() {
        let t = Tensor(.u8, shape: [3], narrow: [1, 2, 3])
        let negative = #expect(throws: ConfideError.self) { try t.gathering([0, -1], shape: [2]) }
        #expect(negative?.code == .outOfRange)
        #expect(negative?.message.contains("-1") == true)
        let high = #expect(throws: ConfideError.self) { try t.gathering([3], shape: [1]) }
        #expect(high?.code == .outOfRange)
        let count = #expect(throws: ConfideError.self) { try t.gathering([0, 1], shape: [3]) }
        #expect(count?.code == .shapeMismatch)
    }

    @Test func concatenatedFlat() {
        let a = Tensor(.u8, shape: [2], narrow: [1, 2])
        let b = Tensor(.u8, shape: [1], narrow: [3])
        #expect(Tensor.concatenatedFlat([a, b], scalarType: .u8, shape: [3]).narrowWords == [1, 2, 3])
        let w = Tensor(.i128, shape: [1], wide: [.max])
        #expect(Tensor.concatenatedFlat([w, w], scalarType: .i128, shape: [2, 1]).residues == [.max, .max])
    }

    @Test func castingWrapsAndSignExtends() {
        let i8 = Tensor(.i8, shape: [4], wrapping: [-1, -128, 127, 5])
        #expect(i8.casting(to: .i32).narrowWords == [0xFFFF_FFFF, 0xFFFF_FF80, 127, 5])
        #expect(i8.casting(to: .u16).narrowWords == [0xFFFF, 0xFF80, 127, 5])
        #expect(i8.casting(to: .i128).residues == [.max, UInt128.max - 127, 127, 5])
        #expect(i8.casting(to: .bit).narrowWords == [1, 0, 1, 1])
        let u8 = Tensor(.u8, shape: [2], narrow: [255, 128])
        #expect(u8.casting(to: .i32).narrowWords == [255, 128])
        #expect(u8.casting(to: .u128).residues == [255, 128])
        #expect(u8.casting(to: .u8) == u8)
        let u32 = Tensor(.u32, shape: [1], narrow: [0x1234_5678])
        #expect(u32.casting(to: .i8).narrowWords == [0x78])
        let i64 = Tensor(.i64, shape: [1], wrapping: [-2])
        #expect(i64.casting(to: .u128).residues == [UInt128.max - 1])
        let wide = Tensor(.i128, shape: [2], wrapping: [-1, Int128(1) << 100 | 0x1FF])
        #expect(wide.casting(to: .u8).narrowWords == [255, 255])
        #expect(wide.casting(to: .u128).residues == wide.residues)
        #expect(wide.casting(to: .u128).scalarType == .u128)
        #expect(wide.casting(to: .i64).narrowWords == [.max, 0x1FF])
    }

    @Test(arguments: coreTestsAllScalarTypes)
    func castingAgreesWithInterpretation(_ source: ScalarType) {
        let residues = coreTestsEdgeResidues(source)
        let t = Tensor(source, shape: [residues.count], residues: residues)
        for target in ScalarType.allCases {
            let c = t.casting(to: target)
            #expect(c.scalarType == target)
            for i in residues.indices {
                let expected = UInt128(truncatingIfNeeded: source.interpret(residues[i])) & target.mask128
                #expect(c.residue(at: i) == expected, "\(source) → \(target) of \(residues[i])")
            }
        }
    }
}
