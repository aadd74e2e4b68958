import ConfideCore
import ConfideGraph

@testable import ConfideMPC

extension ConformanceCase {
    /// The arithmetic kernels.
    static let arithmeticCases: [ConformanceCase] = [
        ConformanceCase(
            "addAA", scalarTypes: arithmeticScalarTypes, inputShapes: sameShape(2),
            secure: { party, v in
                try await Dispatch.arithmetic(v, "addAA", narrow: { try party.addAA($0[0], $0[1]) }, wide: { try party.addAA($0[0], $0[1]) })
            }, reference: operation(.add), cost: { _ in .free }),
        ConformanceCase(
            "subAA", scalarTypes: arithmeticScalarTypes, inputShapes: sameShape(2),
            secure: { party, v in
                try await Dispatch.arithmetic(v, "subAA", narrow: { try party.subAA($0[0], $0[1]) }, wide: { try party.subAA($0[0], $0[1]) })
            }, reference: operation(.subtract), cost: { _ in .free }),
        ConformanceCase(
            "mulAA", scalarTypes: arithmeticScalarTypes, inputShapes: sameShape(2),
            secure: { party, v in
                try await Dispatch.arithmetic(
                    v, "mulAA", narrow: { try await party.mulAA($0[0], $0[1]) }, wide: { try await party.mulAA($0[0], $0[1]) })
            }, reference: operation(.multiply), cost: { ABY3Cost.mulAA(count: $0[0].count, $0[0].scalarType) }),
        ConformanceCase(
            "matmulAA", scalarTypes: arithmeticScalarTypes,
            inputShapes: { shape in
                switch shape.count {
                case 2: return [shape, shape.reversed()]
                case 3: return [shape, [shape[0], shape[2], shape[1]]]
                default: return nil
                }
            },
            secure: { party, v in
                try await Dispatch.arithmetic(
                    v, "matmulAA", narrow: { try await party.matmulAA($0[0], $0[1]) }, wide: { try await party.matmulAA($0[0], $0[1]) })
            }, reference: operation(.matmul),
            cost: { inputs in
                let a = inputs[0].shape, b = inputs[1].shape
                return ABY3Cost.matmulAA(outputCount: Tensor.elementCount(Array(a.dropLast())) * b[b.count - 1], inputs[0].scalarType)
            }),
        ConformanceCase(
            "sumA", scalarTypes: arithmeticScalarTypes, inputShapes: { $0.isEmpty ? nil : [$0] },
            secure: { party, v in
                try await Dispatch.arithmetic(
                    v, "sumA", narrow: { try party.applyLocal(.sum([0]), $0) }, wide: { try party.applyLocal(.sum([0]), $0) })
            }, reference: operation(.sum([0])), cost: { _ in .free }),
    ]
}
