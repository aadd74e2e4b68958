import Testing
@testable import ConfideCore

@Suite struct ElementwiseTests {
    private func reference(_ op: Tensor.BinaryOp, _ a: UInt128, _ b: UInt128, _ s: ScalarType) -> UInt128 {
        let r: UInt128
        switch op {
        case .add: r = a &+ b
        case .subtract: r = a &- b
        case .multiply: r = a &* b
        case .xor: r = a ^ b
        case .and: r = a & b
        case .or: r = a | b
        }
        return r & s.mask128
    }

    static let ops: [Tensor.BinaryOp] = [.add, .subtract, .multiply, .xor, .and, .or]

    @Test(arguments: coreTestsAllScalarTypes)
    func edgeValuesAgainstReference(_ s: ScalarType) throws {
        let edges = coreTestsEdgeResidues(s)
        let a = Tensor(s, shape: [edges.count, edges.count], residues: edges.flatMap { x in edges.map { _ in x } })
        let b = Tensor(s, shape: [edges.count, edges.count], residues: edges.flatMap { _ in edges })
        for op in Self.ops {
            let c = try a.elementwise(op, b)
            #expect(c.type == a.type)
            for i in 0..<c.count {
                #expect(c.residue(at: i) == reference(op, a.residue(at: i), b.residue(at: i), s), "\(s) \(op)")
            }
        }
    }

    @Test func applyOnWords() {
        for op in Self.ops {
            for (a, b) in [(UInt64.max, UInt64(3)), (0, 1), (0x1234, 0xFF00)] {
                #expect(UInt128(op.apply(a, b)) == reference(op, UInt128(a), UInt128(b), .u64))
                #expect(op.apply(UInt128(a), UInt128(b)) & UInt128(UInt64.max) == reference(op, UInt128(a), UInt128(b), .u64))
            }
        }
    }

    @Test func wrapAround() throws {
        let maxU8 = Tensor.scalar(.u8, residue: 255)
        #expect(try maxU8.elementwise(.add, .scalar(.u8, residue: 1)).residues == [0])
        #expect(try Tensor.scalar(.u8, residue: 0).elementwise(.subtract, .scalar(.u8, residue: 1)).residues == [255])
        let minI32 = Tensor(.i32, shape: [], wrapping: [Int128(Int32.min)])
        #expect(try minI32.elementwise(.subtract, .scalar(.i32, residue: 1)).value(at: 0) == Int128(Int32.max))
        #expect(try Tensor.scalar(.u64, residue: UInt128(UInt64.max)).elementwise(.multiply, .scalar(.u64, residue: 2)).residues == [UInt128(UInt64.max - 1)])
        #expect(try Tensor.scalar(.u128, residue: .max).elementwise(.add, .scalar(.u128, residue: 2)).residues == [1])
        #expect(try Tensor.scalar(.i128, residue: .max).elementwise(.multiply, .scalar(.i128, residue: .max)).residues == [1])
    }

    @Test func bitArithmeticIsXorAndAnd() throws {
        let a = Tensor(.bit, shape: [4], narrow: [0, 0, 1, 1])
        let b = Tensor(.bit, shape: [4], narrow: [0, 1, 0, 1])
        #expect(try a.elementwise(.add, b).narrowWords == [0, 1, 1, 0])
        #expect(try a.elementwise(.subtract, b).narrowWords == [0, 1, 1, 0])
        #expect(try a.elementwise(.multiply, b).narrowWords == [0, 0, 0, 1])
        #expect(try a.elementwise(.or, b).narrowWords == [0, 1, 1, 1])
    }

    @Test func broadcasting() throws {
        let m = Tensor(.i32, shape: [2, 3], wrapping: [1, 2, 3, 4, 5, 6])
        let row = Tensor(.i32, shape: [3], wrapping: [10, 20, 30])
        let col = Tensor(.i32, shape: [2, 1], wrapping: [-1, -2])
        let s = Tensor(.i32, shape: [], wrapping: [100])
        #expect(try m.elementwise(.add, row).residues.map { ScalarType.i32.interpret($0) } == [11, 22, 33, 14, 25, 36])
        #expect(try row.elementwise(.subtract, m).residues.map { ScalarType.i32.interpret($0) } == [9, 18, 27, 6, 15, 24])
        #expect(try m.elementwise(.multiply, col).residues.map { ScalarType.i32.interpret($0) } == [-1, -2, -3, -8, -10, -12])
        #expect(try s.elementwise(.add, m).shape == [2, 3])
        let outer = try col.elementwise(.add, row)
        #expect(outer.shape == [2, 3])
        #expect(outer.residues.map { ScalarType.i32.interpret($0) } == [9, 19, 29, 8, 18, 28])
        let w = Tensor(.u128, shape: [2, 1], wide: [1, 2])
        #expect(try w.elementwise(.add, Tensor(.u128, shape: [2], wide: [.max, 10])).residues == [0, 11, 1, 12])
    }

    @Test func errorsNameTypesAndShapes() {
        let a = Tensor.zeros(.u8, shape: [2])
        let typeError = #expect(throws: ConfideError.self) { try a.elementwise(.add, .zeros(.i8, shape: [2])) }
        #expect(typeError?.code == .typeMismatch)
        #expect(typeError?.message.contains("u8") == true && typeError?.message.contains("i8") == true)
        let shapeError = #expect(throws: ConfideError.self) { try a.elementwise(.add, .zeros(.u8, shape: [3])) }
        #expect(shapeError?.code == .shapeMismatch)
        #expect(shapeError?.message.contains("[2]") == true && shapeError?.message.contains("[3]") == true)
    }

    @Test(arguments: coreTestsAllScalarTypes)
    func negationAndMap(_ s: ScalarType) {
        let edges = coreTestsEdgeResidues(s)
        let t = Tensor(s, shape: [edges.count], residues: edges)
        #expect(t.negated().residues == edges.map { (0 &- $0) & s.mask128 })
        #expect(t.mapResidues { $0 &+ 1 }.residues == edges.map { ($0 &+ 1) & s.mask128 })
    }

    @Test func largeRandomAgainstReference() throws {
        var rng = CoreTestsRNG(seed: 7)
        for s in [ScalarType.u32, .i64, .u128, .bit] {
            let a = coreTestsRandomTensor(s, [64, 33], &rng)
            let b = coreTestsRandomTensor(s, [33], &rng)
            for op in Self.ops {
                let c = try a.elementwise(op, b)
                for i in stride(from: 0, to: c.count, by: 7) {
                    #expect(c.residue(at: i) == reference(op, a.residue(at: i), b.residue(at: i % 33), s))
                }
            }
        }
    }
}
