import ConfideCore
import ConfideGraph

@testable import ConfideMPC

extension ConformanceCase {
    /// The shuffle kernels (eprint 2019/695): a shuffle followed by its unshuffle is the identity,
    /// at the cost of two shuffles. (Sorting needs the key's bits, which the harness cannot share
    /// as inputs; `SortKernelTests` covers it against `SortByIntegerKey`.)
    static let sortCases: [ConformanceCase] = [
        ConformanceCase(
            "shuffleA+unshuffleA", scalarTypes: arithmeticScalarTypes, inputShapes: { $0.isEmpty ? nil : [$0] },
            secure: { party, v in
                try await Dispatch.arithmetic(
                    v, "shuffleA",
                    narrow: { let s = try await party.shuffleA($0); return try await party.unshuffleA(s.columns, secret: s.secret)[0] },
                    wide: { let s = try await party.shuffleA($0); return try await party.unshuffleA(s.columns, secret: s.secret)[0] })
            }, reference: { $0[0] },
            cost: { inputs in
                let shuffle = ABY3Cost.shuffleA(columnBytes: ABY3Cost.bytes(inputs[0].count, inputs[0].scalarType))
                return shuffle + shuffle
            }),
        ConformanceCase(
            "sortColumns (SortByIntegerKey)", scalarTypes: ScalarType.allCases, inputShapes: { $0.count == 1 ? [$0] : nil },
            secure: { party, v in try await party.sortColumns([("k", v[0])], key: "k", binaryKey: false)[0].value },
            reference: { inputs in
                let sorted = try Evaluator.apply(
                    .custom(CustomOperation("SortByIntegerKey", parameters: [("key", .string("k"))])), to: [.namedTuple([.init("k", .tensor(inputs[0]))])])
                guard let key = sorted.children?.first?.tensor else { throw ConfideError(.typeMismatch, "SortByIntegerKey gave \(sorted.type)") }
                return key
            }, cost: nil),
    ]
}
