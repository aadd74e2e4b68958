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
    ]
}
