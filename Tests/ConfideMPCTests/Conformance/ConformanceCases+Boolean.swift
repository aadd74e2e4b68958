import ConfideCore
import ConfideGraph

@testable import ConfideMPC

/// Word-generic helpers of the boolean cases: the arithmetic share inside a `SharedTensor` and back.
enum BooleanCaseSupport {
    static func arithmetic<W: RingWord>(_ v: SharedTensor, _ what: String) throws -> ArithmeticShare<W> {
        switch v {
        case let .arithmetic64(s): if let r = s as? ArithmeticShare<W> { return r }
        case let .arithmetic128(s): if let r = s as? ArithmeticShare<W> { return r }
        case .binary: break
        }
        throw ConfideError(.typeMismatch, "\(what): expected an integer share in \(W.bitWidth)-bit words, found \(v.type)")
    }

    static func wrap<W: RingWord>(_ s: ArithmeticShare<W>) -> SharedTensor {
        if let s = s as? ArithmeticShare<UInt64> { return .arithmetic64(s) }
        return .arithmetic128(s as! ArithmeticShare<UInt128>)
    }

    /// Runs `body` with the word type of the first share's scalar type.
    static func byWord(
        _ v: [SharedTensor], narrow: () async throws -> SharedTensor, wide: () async throws -> SharedTensor
    ) async throws -> SharedTensor {
        v[0].scalarType.isWide ? try await wide() : try await narrow()
    }

    static func compare<W: RingWord>(_: W.Type, _ c: ABY3Comparison, _ party: ABY3Party, _ v: [SharedTensor]) async throws -> SharedTensor {
        .binary(try await party.compareA(c, try arithmetic(v[0], "\(c)") as ArithmeticShare<W>, try arithmetic(v[1], "\(c)")))
    }

    static func extremum<W: RingWord>(_: W.Type, max: Bool, _ party: ABY3Party, _ v: [SharedTensor]) async throws -> SharedTensor {
        let x: ArithmeticShare<W> = try arithmetic(v[0], "minmax"), y: ArithmeticShare<W> = try arithmetic(v[1], "minmax")
        return wrap(max ? try await party.maxA(x, y) : try await party.minA(x, y))
    }

    static func a2b<W: RingWord>(_: W.Type, _ party: ABY3Party, _ v: [SharedTensor]) async throws -> SharedTensor {
        .binary(try await party.a2b(try arithmetic(v[0], "a2b") as ArithmeticShare<W>))
    }

    static func msb<W: RingWord>(_: W.Type, _ party: ABY3Party, _ v: [SharedTensor]) async throws -> SharedTensor {
        .binary(try await party.msbA(try arithmetic(v[0], "msbA") as ArithmeticShare<W>))
    }

    static func mulAB<W: RingWord>(_: W.Type, _ party: ABY3Party, _ v: [SharedTensor]) async throws -> SharedTensor {
        wrap(try await party.mulAB(try arithmetic(v[0], "mulAB") as ArithmeticShare<W>, try v[1].binary("mulAB")))
    }

    static func mux<W: RingWord>(_: W.Type, _ party: ABY3Party, _ v: [SharedTensor]) async throws -> SharedTensor {
        let one: ArithmeticShare<W> = try arithmetic(v[1], "muxA"), zero: ArithmeticShare<W> = try arithmetic(v[2], "muxA")
        return wrap(try await party.muxA(try v[0].binary("muxA"), one, zero))
    }

    /// The evaluator's binary-number custom operation `name` on the A2B of the integer inputs.
    static func binaryNumberReference(_ name: String, _ inputs: [Tensor]) throws -> Tensor {
        let signed = inputs[0].scalarType.isSigned
        return try plaintext(.custom(.comparison(name, signed: signed)), try inputs.map { try plaintext(.a2b, [$0]) })
    }

    /// The bits at `position` of every element.
    static func bitReference(_ x: Tensor, _ position: Int) -> Tensor {
        Tensor(.bit, shape: x.shape, narrow: (0..<x.count).map { UInt64(truncatingIfNeeded: x.residue(at: $0) >> UInt128(position)) & 1 })
    }
}

extension ConformanceCase {
    /// The boolean gates, conversions, comparisons, min/max and multiplexers.
    static let booleanCases: [ConformanceCase] = {
        typealias S = BooleanCaseSupport
        let bitOnly: [ScalarType] = [.bit]
        var cases: [ConformanceCase] = [
            ConformanceCase(
                "xorBB", scalarTypes: bitOnly, inputShapes: sameShape(2),
                secure: { party, v in .binary(try party.xorBB(try v[0].binary("xorBB"), try v[1].binary("xorBB"))) },
                reference: operation(.add), cost: { _ in .free }),
            ConformanceCase(
                "andBB", scalarTypes: bitOnly, inputShapes: sameShape(2),
                secure: { party, v in .binary(try await party.andBB(try v[0].binary("andBB"), try v[1].binary("andBB"))) },
                reference: operation(.multiply), cost: { ABY3Cost.andBB(count: $0[0].count) }),
            ConformanceCase(
                "orBB", scalarTypes: bitOnly, inputShapes: sameShape(2),
                secure: { party, v in .binary(try await party.orBB(try v[0].binary("orBB"), try v[1].binary("orBB"))) },
                reference: operation(.custom(CustomOperation("Or"))), cost: { ABY3Cost.andBB(count: $0[0].count) }),
            ConformanceCase(
                "notB", scalarTypes: bitOnly, inputShapes: sameShape(1),
                secure: { party, v in .binary(party.notB(try v[0].binary("notB"))) },
                reference: operation(.custom(CustomOperation("Not"))), cost: { _ in .free }),
            ConformanceCase(
                "muxB", scalarTypes: bitOnly, inputShapes: sameShape(3),
                secure: { party, v in
                    .binary(try await party.muxB(try v[0].binary("muxB"), try v[1].binary("muxB"), try v[2].binary("muxB")))
                }, reference: operation(.custom(CustomOperation("Mux"))), cost: { ABY3Cost.andBB(count: $0[0].count) }),
            ConformanceCase(
                "a2b", scalarTypes: arithmeticScalarTypes, inputShapes: sameShape(1),
                secure: { party, v in try await S.byWord(v, narrow: { try await S.a2b(UInt64.self, party, v) }, wide: { try await S.a2b(UInt128.self, party, v) }) },
                reference: operation(.a2b), cost: { ABY3Cost.a2b(count: $0[0].count, $0[0].scalarType) }),
            ConformanceCase(
                "msbA", scalarTypes: arithmeticScalarTypes, inputShapes: sameShape(1),
                secure: { party, v in try await S.byWord(v, narrow: { try await S.msb(UInt64.self, party, v) }, wide: { try await S.msb(UInt128.self, party, v) }) },
                reference: { S.bitReference($0[0], $0[0].scalarType.bits - 1) },
                cost: { ABY3Cost.bitExtraction(count: $0[0].count, $0[0].scalarType) }),
            ConformanceCase(
                "mulAB", scalarTypes: arithmeticScalarTypes, inputShapes: sameShape(2), inputTypes: { s, _ in [s, .bit] },
                secure: { party, v in
                    try await S.byWord(v, narrow: { try await S.mulAB(UInt64.self, party, v) }, wide: { try await S.mulAB(UInt128.self, party, v) })
                }, reference: operation(.mixedMultiply), cost: { ABY3Cost.mulAB(count: $0[0].count, $0[0].scalarType) }),
            ConformanceCase(
                "muxA", scalarTypes: arithmeticScalarTypes, inputShapes: sameShape(3), inputTypes: { s, _ in [.bit, s, s] },
                secure: { party, v in
                    v[1].scalarType.isWide ? try await S.mux(UInt128.self, party, v) : try await S.mux(UInt64.self, party, v)
                }, reference: operation(.custom(CustomOperation("Mux"))), cost: { ABY3Cost.muxA(count: $0[1].count, $0[1].scalarType) }),
        ]
        cases.append(
            ConformanceCase(
                "clip2KB", scalarTypes: bitOnly, inputShapes: { [$0 + [16]] },
                secure: { party, v in .binary(try await party.clip2KB(try v[0].binary("clip2KB"), k: 5)) },
                reference: operation(.custom(CustomOperation("Clip2K", parameters: [("k", .int(5))]))),
                cost: { ABY3Cost.clip2K(count: $0[0].count / 16, width: 16, k: 5) }))
        for c in ABY3Comparison.allCases {
            cases.append(
                ConformanceCase(
                    "compareA \(c)", scalarTypes: arithmeticScalarTypes, inputShapes: sameShape(2),
                    secure: { party, v in
                        try await S.byWord(
                            v, narrow: { try await S.compare(UInt64.self, c, party, v) }, wide: { try await S.compare(UInt128.self, c, party, v) })
                    }, reference: { try S.binaryNumberReference(c.rawValue, $0) },
                    cost: { ABY3Cost.comparison(c, count: $0[0].count, $0[0].scalarType) }))
        }
        for c in ABY3Comparison.allCases {
            cases.append(
                ConformanceCase(
                    "compareB \(c)", scalarTypes: bitOnly, inputShapes: { [$0 + [12], $0 + [12]] },
                    secure: { party, v in .binary(try await party.compareB(c, try v[0].binary("compareB"), try v[1].binary("compareB"), signed: true)) },
                    reference: operation(.custom(.comparison(c.rawValue, signed: true))),
                    cost: { ABY3Cost.compareB(c, count: $0[0].count / 12, width: 12) }))
        }
        cases.append(
            ConformanceCase(
                "maxB", scalarTypes: bitOnly, inputShapes: { [$0 + [8], $0 + [8]] },
                secure: { party, v in .binary(try await party.maxB(try v[0].binary("maxB"), try v[1].binary("maxB"), signed: false)) },
                reference: operation(.custom(.comparison("Max", signed: false))), cost: { ABY3Cost.minMaxB(count: $0[0].count / 8, width: 8) }))
        for max in [true, false] {
            cases.append(
                ConformanceCase(
                    max ? "maxA" : "minA", scalarTypes: arithmeticScalarTypes, inputShapes: sameShape(2),
                    secure: { party, v in
                        try await S.byWord(
                            v, narrow: { try await S.extremum(UInt64.self, max: max, party, v) },
                            wide: { try await S.extremum(UInt128.self, max: max, party, v) })
                    },
                    reference: { inputs in
                        try plaintext(.b2a(inputs[0].scalarType), [try S.binaryNumberReference(max ? "Max" : "Min", inputs)])
                    }, cost: { ABY3Cost.minMax(count: $0[0].count, $0[0].scalarType) }))
        }
        for s in arithmeticScalarTypes {
            cases.append(
                ConformanceCase(
                    "b2a \(s)", scalarTypes: [s], inputShapes: { [$0 + [s.bits]] }, inputTypes: { _, _ in [.bit] },
                    secure: { party, v in
                        let b = try v[0].binary("b2a")
                        if s.isWide { return .arithmetic128(try await party.b2a(b, s)) }
                        return .arithmetic64(try await party.b2a(b, s))
                    }, reference: operation(.b2a(s)), cost: { ABY3Cost.b2a(count: $0[0].count / s.bits, s) }))
        }
        return cases
    }()
}
