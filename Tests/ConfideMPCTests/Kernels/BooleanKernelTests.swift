import ConfideCore
import ConfideGraph
import Testing

@testable import ConfideMPC

/// Runs `body` on three parties where party i % 3 shares input i (bit tensors as XOR shares);
/// returns the value the body's result reveals (the same on every party) and the kernel's traffic.
func runOnSharedTensors(
    _ inputs: [Tensor], _ body: @escaping @Sendable (ABY3Party, [SharedTensor]) async throws -> SharedTensor
) async throws -> (value: Tensor, traffic: [TrafficStatistics]) {
    let results = try await LocalSimulation.run(timeout: .seconds(20)) { party -> (Tensor?, TrafficStatistics) in
        var shares: [SharedTensor] = []
        for (i, input) in inputs.enumerated() {
            shares.append(
                try await party.share(party.index == i % 3 ? input : nil, scalarType: input.scalarType, shape: input.shape, owner: i % 3))
        }
        let before = party.communicator.statistics()
        let out = try await body(party, shares)
        let traffic = party.communicator.statistics().since(before)
        return (try await party.reveal(out, to: [0, 1, 2]), traffic)
    }
    let values = results.map { $0.value.0! }
    #expect(values[1] == values[0] && values[2] == values[0], "all parties reveal the same value")
    return (values[0], results.map { $0.value.1 })
}

/// Every pair of the type's edge values (0, 1, −1, min, max, min+1, max−1, 2) followed by random
/// pairs: the operands of the exhaustive comparison tests.
func edgePairs(_ s: ScalarType, random: Int, seed: UInt8) -> (Tensor, Tensor) {
    let edges: [UInt128] = [0, 1, s.mask128, s.minResidue, s.maxResidue, s.minResidue &+ 1, s.maxResidue &- 1, 2].map { $0 & s.mask128 }
    var data = MPCTestData(seed: seed)
    let rx = data.tensor(s, [random], edges: false), ry = data.tensor(s, [random], edges: false)
    var xs: [UInt128] = [], ys: [UInt128] = []
    for a in edges {
        for b in edges {
            xs.append(a)
            ys.append(b)
        }
    }
    // Random pairs, and random pairs that agree in every bit but one.
    for i in 0..<random {
        xs.append(rx.residue(at: i))
        ys.append(i % 2 == 0 ? ry.residue(at: i) : rx.residue(at: i) ^ (UInt128(1) << UInt128(i % s.bits)))
    }
    xs.append(contentsOf: xs.prefix(8))
    ys.append(contentsOf: xs.prefix(8))
    return (Tensor(s, shape: [xs.count], residues: xs), Tensor(s, shape: [ys.count], residues: ys))
}

@Suite("ABY3 boolean kernels")
struct BooleanKernelTests {
    typealias S = BooleanCaseSupport

    @Test(arguments: [[], [1], [64], [130], [3, 70]] as [[Int]])
    func gatesMatchPlaintext(shape: [Int]) async throws {
        var data = MPCTestData(seed: UInt8(shape.reduce(1, *) & 0xff))
        let x = data.tensor(.bit, shape), y = data.tensor(.bit, shape, edges: false), p = data.tensor(.bit, shape, edges: false)
        let n = x.count
        let and = try await runOnSharedTensors([x, y]) { party, v in .binary(try await party.andBB(try v[0].binary(""), try v[1].binary(""))) }
        #expect(and.value == (try plaintext(.multiply, [x, y])))
        #expect(countedCost(and.traffic) == ABY3Cost.andBB(count: n))
        let or = try await runOnSharedTensors([x, y]) { party, v in .binary(try await party.orBB(try v[0].binary(""), try v[1].binary(""))) }
        #expect(or.value == (try plaintext(.custom(CustomOperation("Or")), [x, y])))
        let xorP = try await runOnSharedTensors([x]) { party, v in .binary(try party.xorBP(try v[0].binary(""), p)) }
        #expect(xorP.value == (try plaintext(.add, [x, p])))
        #expect(countedCost(xorP.traffic) == .free)
        let andP = try await runOnSharedTensors([x]) { party, v in .binary(try party.andBP(try v[0].binary(""), p)) }
        #expect(andP.value == (try plaintext(.multiply, [x, p])))
        let not = try await runOnSharedTensors([x]) { party, v in .binary(party.notB(try v[0].binary(""))) }
        #expect(not.value == (try plaintext(.custom(CustomOperation("Not")), [x])))
    }

    @Test func batchedAndTakesOneRound() async throws {
        var data = MPCTestData(seed: 77)
        let a = data.tensor(.bit, [5]), b = data.tensor(.bit, [5]), c = data.tensor(.bit, [200]), d = data.tensor(.bit, [200])
        let results = try await LocalSimulation.run(timeout: .seconds(20)) { party -> ([Tensor?], TrafficStatistics) in
            var s: [BinaryShare] = []
            for (i, t) in [a, b, c, d].enumerated() { s.append(try await party.shareB(party.index == i % 3 ? t : nil, shape: t.shape, owner: i % 3)) }
            let before = party.communicator.statistics()
            let z = try await party.andBBBatch([(s[0], s[1]), (s[2], s[3])])
            let empty = try await party.andBBBatch([])
            let traffic = party.communicator.statistics().since(before)
            #expect(empty.isEmpty)
            return ([try await party.revealB(z[0], to: [0, 1, 2]), try await party.revealB(z[1], to: [0, 1, 2])], traffic)
        }
        #expect(results[1].value.0[0] == (try plaintext(.multiply, [a, b])))
        #expect(results[2].value.0[1] == (try plaintext(.multiply, [c, d])))
        #expect(countedCost(results.map { $0.value.1 }) == ABY3Cost.andBBBatch(counts: [5, 200]))
        #expect(ABY3Cost.andBBBatch(counts: [5, 200]) == .uniform(rounds: 1, bytesPerParty: 1 + 25))
        #expect(results[0].value.1.messagesSent == 1, "one message per peer")
    }

    @Test(arguments: arithmeticScalarTypes)
    func bitwiseLayoutRoundTrips(scalarType s: ScalarType) throws {
        var data = MPCTestData(seed: UInt8(s.bits & 0xff))
        let x = data.tensor(s, [3, 11])
        let layout = try plaintext(.a2b, [x])
        func check<W: RingWord>(_: W.Type) throws {
            let words = W.words(x.storage)!
            let share = BitwiseShare<W>(unchecked: s, shape: x.shape, first: words, second: [W](repeating: 0, count: words.count))
            let binary = share.binary()
            #expect(binary.shape == layout.shape)
            #expect(BinaryShare.unpack(binary.first, count: binary.count) == layout.narrowWords!)
            let back = try BitwiseShare<W>(binary: binary, scalarType: s)
            #expect(back.first == words && back.shape == x.shape)
            for j in [0, s.bits / 2, s.bits - 1] {
                #expect(BinaryShare.unpack(try share.bit(j).first, count: x.count) == S.bitReference(x, j).narrowWords!)
            }
            #expect(throws: ConfideError.self) { try share.bit(s.bits) }
            #expect(throws: ConfideError.self) { try BitwiseShare<W>(binary: try binary.reshaped([33 * s.bits]).reshaped([3, 11 * s.bits]), scalarType: s) }
        }
        if s.isWide { try check(UInt128.self) } else { try check(UInt64.self) }
    }

    @Test func streamHalvingAndSlicing() {
        var data = MPCTestData(seed: 5)
        let bits = (0..<300).map { _ in data.generator.next(UInt64.self) & 1 }
        let stream = BinaryShare.pack(bits)
        #expect(BinaryShare.unpack(BitStream.halve(stream, bitCount: 300, odd: false), count: 150) == stride(from: 0, to: 300, by: 2).map { bits[$0] })
        #expect(BinaryShare.unpack(BitStream.halve(stream, bitCount: 300, odd: true), count: 150) == stride(from: 1, to: 300, by: 2).map { bits[$0] })
        for (start, count) in [(0, 300), (7, 100), (64, 64), (130, 170), (299, 1)] {
            #expect(BinaryShare.unpack(BitStream.slice(stream, start: start, count: count), count: count) == Array(bits[start..<start + count]))
        }
    }

    static func checkConversions<W: RingWord>(_: W.Type, _ s: ScalarType) async throws {
        var data = MPCTestData(seed: UInt8(s.bits & 0xff) &+ 1)
        let x = data.tensor(s, [19])
        let bitsOfX = try plaintext(.a2b, [x])
        let n = x.count
        // A2B then B2A in one session, both word forms.
        let round = try await runOnSharedTensors([x]) { party, v in
            let share: ArithmeticShare<W> = try S.arithmetic(v[0], "a2b")
            let words = try await party.a2bWords(share)
            return S.wrap(try await party.b2a(words))
        }
        #expect(round.value == x)
        let a2b = try await runOnSharedTensors([x]) { party, v in .binary(try await party.a2b(try S.arithmetic(v[0], "a2b") as ArithmeticShare<W>)) }
        #expect(a2b.value == bitsOfX)
        #expect(countedCost(a2b.traffic) == ABY3Cost.a2b(count: n, s))
        let b2a = try await runOnSharedTensors([bitsOfX]) { party, v in S.wrap(try await party.b2a(try v[0].binary("b2a"), s) as ArithmeticShare<W>) }
        #expect(b2a.value == x)
        #expect(countedCost(b2a.traffic) == ABY3Cost.b2a(count: n, s))
        // Bit injection, and extraction of several bits.
        let b = data.tensor(.bit, [19])
        let injected = try await runOnSharedTensors([b]) { party, v in S.wrap(try await party.injectBit(try v[0].binary("injectBit"), as: s) as ArithmeticShare<W>) }
        #expect(injected.value == b.casting(to: s))
        #expect(countedCost(injected.traffic) == ABY3Cost.bitInjection(count: n, s))
        for j in [0, 1, s.bits / 2, s.bits - 2, s.bits - 1] {
            let bit = try await runOnSharedTensors([x]) { party, v in
                .binary(try await party.bitExtractA(try S.arithmetic(v[0], "bit") as ArithmeticShare<W>, bit: j))
            }
            #expect(bit.value == S.bitReference(x, j), "bit \(j) of \(s)")
            #expect(countedCost(bit.traffic) == ABY3Cost.bitExtraction(count: n, s))
        }
    }

    @Test(arguments: arithmeticScalarTypes)
    func conversionsMatchPlaintext(scalarType s: ScalarType) async throws {
        if s.isWide { try await Self.checkConversions(UInt128.self, s) } else { try await Self.checkConversions(UInt64.self, s) }
    }

    static func checkComparisons<W: RingWord>(_: W.Type, _ s: ScalarType) async throws {
        let (x, y) = edgePairs(s, random: 40, seed: UInt8(s.bits & 0xff) &+ 3)
        let n = x.count
        let kinds = ABY3Comparison.allCases
        // All six comparisons, both signednesses, in one session.
        let all = try await LocalSimulation.run(timeout: .seconds(30)) { party -> [Tensor?] in
            let a: ArithmeticShare<W> = try await party.shareA(party.index == 0 ? x : nil, scalarType: s, shape: [n], owner: 0)
            let b: ArithmeticShare<W> = try await party.shareA(party.index == 1 ? y : nil, scalarType: s, shape: [n], owner: 1)
            var out: [Tensor?] = []
            for signed in [false, true] {
                for c in kinds { out.append(try await party.revealB(try await party.compareA(c, a, b, signed: signed), to: [0])) }
            }
            return out
        }
        var i = 0
        for signed in [false, true] {
            let ax = try plaintext(.a2b, [x]), ay = try plaintext(.a2b, [y])
            for c in kinds {
                let expected = try plaintext(.custom(.comparison(c.rawValue, signed: signed)), [ax, ay])
                #expect(all[0].value[i] == expected, "\(c) \(s) signed \(signed)")
                i += 1
            }
        }
        let lt = try await runOnSharedTensors([x, y]) { party, v in try await S.compare(W.self, .lessThan, party, v) }
        #expect(countedCost(lt.traffic) == ABY3Cost.comparison(.lessThan, count: n, s))
        let eq = try await runOnSharedTensors([x, y]) { party, v in try await S.compare(W.self, .equal, party, v) }
        #expect(countedCost(eq.traffic) == ABY3Cost.comparison(.equal, count: n, s))
        let max = try await runOnSharedTensors([x, y]) { party, v in try await S.extremum(W.self, max: true, party, v) }
        #expect(max.value == (try plaintext(.b2a(s), [try S.binaryNumberReference("Max", [x, y])])))
        #expect(countedCost(max.traffic) == ABY3Cost.minMax(count: n, s))
        let min = try await runOnSharedTensors([x, y]) { party, v in try await S.extremum(W.self, max: false, party, v) }
        #expect(min.value == (try plaintext(.b2a(s), [try S.binaryNumberReference("Min", [x, y])])))
    }

    @Test(arguments: arithmeticScalarTypes)
    func comparisonsAreExactOnEdges(scalarType s: ScalarType) async throws {
        if s.isWide { try await Self.checkComparisons(UInt128.self, s) } else { try await Self.checkComparisons(UInt64.self, s) }
    }

    @Test func muxFollowsCipherCore() async throws {
        var data = MPCTestData(seed: 12)
        let flag = data.tensor(.bit, [9]), x1 = data.tensor(.i32, [9]), x0 = data.tensor(.i32, [9])
        let mux = try await runOnSharedTensors([flag, x1, x0]) { party, v in try await S.mux(UInt64.self, party, v) }
        // CipherCore's integer Mux picks choice0 where the flag is 1.
        let expected = Tensor(.i32, shape: [9], narrow: (0..<9).map { flag.residue(at: $0) == 1 ? x0.narrowWords![$0] : x1.narrowWords![$0] })
        #expect(mux.value == expected)
        #expect(mux.value == (try plaintext(.custom(CustomOperation("Mux")), [flag, x1, x0])))
        let select = try await runOnSharedTensors([flag, x1, x0]) { party, v in
            S.wrap(try await party.selectA(try v[0].binary(""), ifOne: try v[1].arithmetic64(""), ifZero: try v[2].arithmetic64("")))
        }
        #expect(select.value == (try plaintext(.custom(CustomOperation("Mux")), [flag, x0, x1])))
        let b1 = data.tensor(.bit, [9]), b0 = data.tensor(.bit, [9])
        let muxB = try await runOnSharedTensors([flag, b1, b0]) { party, v in
            .binary(try await party.muxB(try v[0].binary(""), try v[1].binary(""), try v[2].binary("")))
        }
        #expect(muxB.value == Tensor(.bit, shape: [9], narrow: (0..<9).map { flag.residue(at: $0) == 1 ? b1.narrowWords![$0] : b0.narrowWords![$0] }))
    }

    @Test(arguments: [(16, 0), (16, 5), (16, 14), (7, 3), (64, 10), (128, 100)] as [(Int, Int)])
    func clip2KMatchesCipherCore(width: Int, k: Int) async throws {
        var data = MPCTestData(seed: UInt8(width &+ k))
        // Random numbers, and small ones near 2^k and 0 (top bits cleared), some negative.
        var bits = data.tensor(.bit, [12, width], edges: false).narrowWords!
        for e in 0..<6 {
            for t in (k + (e % 2))..<width { bits[e * width + t] = e == 5 ? 1 : 0 }
        }
        let x = Tensor(.bit, shape: [3, 4, width], narrow: bits)
        let clip = try await runOnSharedTensors([x]) { party, v in .binary(try await party.clip2KB(try v[0].binary(""), k: k)) }
        #expect(clip.value == (try plaintext(.custom(CustomOperation("Clip2K", parameters: [("k", .int(k))])), [x])))
        #expect(countedCost(clip.traffic) == ABY3Cost.clip2K(count: 12, width: width, k: k))
    }

    @Test(arguments: [1, 2, 8, 13, 64, 128])
    func binaryNumberComparisonsMatchCipherCore(width: Int) async throws {
        // Edge numbers (0, 1, all ones, only the top bit, all but the top bit) against each other,
        // then random pairs and pairs differing in one bit.
        func number(_ pattern: Int, _ t: Int) -> UInt64 {
            switch pattern {
            case 0: return 0
            case 1: return t == 0 ? 1 : 0
            case 2: return 1
            case 3: return t == width - 1 ? 1 : 0
            default: return t == width - 1 ? 0 : 1
            }
        }
        var xs: [UInt64] = [], ys: [UInt64] = []
        for a in 0..<5 {
            for b in 0..<5 {
                xs += (0..<width).map { number(a, $0) }
                ys += (0..<width).map { number(b, $0) }
            }
        }
        var data = MPCTestData(seed: UInt8(width))
        let rx = data.tensor(.bit, [10, width], edges: false).narrowWords!, ry = data.tensor(.bit, [10, width], edges: false).narrowWords!
        xs += rx
        ys += ry.enumerated().map { i, b in i / width % 2 == 0 ? b : rx[i] ^ (i % width == (i / width) % width ? 1 : 0) }
        let n = xs.count / width
        let x = Tensor(.bit, shape: [n, width], narrow: xs), y = Tensor(.bit, shape: [n, width], narrow: ys)
        let signedOptions = width >= 2 ? [false, true] : [false]
        let revealed = try await LocalSimulation.run(timeout: .seconds(30)) { party -> [Tensor?] in
            let a = try await party.shareB(party.index == 0 ? x : nil, shape: x.shape, owner: 0)
            let b = try await party.shareB(party.index == 2 ? y : nil, shape: y.shape, owner: 2)
            var out: [Tensor?] = []
            for signed in signedOptions {
                for c in ABY3Comparison.allCases { out.append(try await party.revealB(try await party.compareB(c, a, b, signed: signed), to: [1])) }
                out.append(try await party.revealB(try await party.maxB(a, b, signed: signed), to: [1]))
                out.append(try await party.revealB(try await party.minB(a, b, signed: signed), to: [1]))
            }
            return out
        }
        var i = 0
        for signed in signedOptions {
            for name in ABY3Comparison.allCases.map(\.rawValue) + ["Max", "Min"] {
                let expected = try plaintext(.custom(.comparison(name, signed: signed)), [x, y])
                #expect(revealed[1].value[i] == expected, "\(name) width \(width) signed \(signed)")
                i += 1
            }
        }
        let lt = try await runOnSharedTensors([x, y]) { party, v in .binary(try await party.compareB(.lessThan, try v[0].binary(""), try v[1].binary(""), signed: false)) }
        #expect(countedCost(lt.traffic) == ABY3Cost.compareB(.lessThan, count: n, width: width))
        let eq = try await runOnSharedTensors([x, y]) { party, v in .binary(try await party.compareB(.equal, try v[0].binary(""), try v[1].binary(""), signed: false)) }
        #expect(countedCost(eq.traffic) == ABY3Cost.compareB(.equal, count: n, width: width))
        let max = try await runOnSharedTensors([x, y]) { party, v in .binary(try await party.maxB(try v[0].binary(""), try v[1].binary(""), signed: width >= 2)) }
        #expect(countedCost(max.traffic) == ABY3Cost.minMaxB(count: n, width: width))
    }

    @Test(arguments: [1, 2, 4, 8, 16, 32, 64, 128])
    func binaryAddMatchesCipherCore(width: Int) async throws {
        var data = MPCTestData(seed: UInt8(width) &+ 40)
        // All ones plus one (carry through every bit), zeros, then random numbers.
        var xs = [UInt64](repeating: 1, count: width) + [UInt64](repeating: 0, count: width)
        var ys = [1] + [UInt64](repeating: 0, count: width - 1) + [UInt64](repeating: 0, count: width)
        xs += data.tensor(.bit, [9, width], edges: false).narrowWords!
        ys += data.tensor(.bit, [9, width], edges: false).narrowWords!
        let x = Tensor(.bit, shape: [11, width], narrow: xs), y = Tensor(.bit, shape: [11, width], narrow: ys)
        guard case let .tuple(expected) = try Evaluator.apply(.custom(CustomOperation("BinaryAdd", parameters: [("overflow_bit", .bool(true))])), to: [.tensor(x), .tensor(y)])
        else {
            Issue.record("BinaryAdd with overflow_bit gives a tuple")
            return
        }
        let sum = try await runOnSharedTensors([x, y]) { party, v in .binary(try await party.binaryAddB(try v[0].binary(""), try v[1].binary("")).sum) }
        #expect(.tensor(sum.value) == expected[0])
        #expect(countedCost(sum.traffic) == ABY3Cost.binaryAddB(count: 11, width: width))
        let carry = try await runOnSharedTensors([x, y]) { party, v in .binary(try await party.binaryAddB(try v[0].binary(""), try v[1].binary("")).carry) }
        #expect(.tensor(carry.value) == expected[1])
    }

    @Test func mixedOperationsBroadcast() async throws {
        var data = MPCTestData(seed: 33)
        let flag = data.tensor(.bit, [3, 1]), x1 = data.tensor(.u16, [3, 4]), x0 = data.tensor(.u16, [4])
        let mux = try await runOnSharedTensors([flag, x1, x0]) { party, v in try await S.mux(UInt64.self, party, v) }
        #expect(mux.value == (try plaintext(.custom(CustomOperation("Mux")), [flag, x1, x0])))
        #expect(countedCost(mux.traffic) == ABY3Cost.muxA(count: 12, .u16))
        let b = data.tensor(.bit, [4]), y = data.tensor(.i64, [2, 3, 1])
        let mixed = try await runOnSharedTensors([y, b]) { party, v in try await S.mulAB(UInt64.self, party, v) }
        #expect(mixed.value == (try plaintext(.mixedMultiply, [y, b])))
        #expect(countedCost(mixed.traffic) == ABY3Cost.mulAB(count: 24, .i64))
        let b1 = data.tensor(.bit, []), b0 = data.tensor(.bit, [2, 4])
        let muxB = try await runOnSharedTensors([b, b1, b0]) { party, v in
            .binary(try await party.muxB(try v[0].binary(""), try v[1].binary(""), try v[2].binary("")))
        }
        #expect(muxB.value == (try plaintext(.custom(CustomOperation("Mux")), [b, b1, b0])))
    }

    @Test func keysStayInStepAcrossKernels() async throws {
        // A long chain of boolean kernels followed by a multiplication: any stream drawn out of
        // step would garble the final product.
        var data = MPCTestData(seed: 21)
        let x = data.tensor(.i16, [33]), y = data.tensor(.i16, [33])
        let result = try await runOnSharedTensors([x, y]) { party, v in
            let a = try v[0].arithmetic64(""), b = try v[1].arithmetic64("")
            let words = try await party.a2bWords(a)
            let back = try await party.b2a(words)
            _ = try await party.eqA(back, b)
            let lt = try await party.ltA(a, b)
            _ = try await party.injectBit(lt, as: .i16) as ArithmeticShare<UInt64>
            _ = try await party.msbA(b)
            _ = try await party.mulAB(a, lt)
            _ = try await party.maxA(a, b)
            return .arithmetic64(try await party.mulAA(back, b))
        }
        #expect(result.value == (try plaintext(.multiply, [x, y])))
    }

    @Test func silentPeerFailsWithTimeout() async throws {
        do {
            _ = try await LocalSimulation.run(timeout: .milliseconds(300)) { party -> Int in
                let x: ArithmeticShare<UInt64> = try party.randomShare(.u32, shape: [10])
                // Party 2 skips the comparison: the others must fail, not hang.
                if party.index != 2 { _ = try await party.ltA(x, x) }
                return 0
            }
            Issue.record("a comparison without party 2 finished")
        } catch let error as ConfideError {
            #expect(error.code == .timeout || error.code == .peerFailure)
            #expect(error.message.contains("party 2") || error.code == .peerFailure)
        }
    }

    @Test func declaredCostsHaveTheExpectedSize() {
        // 1000 u64 values: a2b is 2 + 6 rounds, 2·6·8 bytes per element (+ 8 for party 0's input).
        #expect(ABY3Cost.a2b(count: 1000, .u64) == KernelCost(rounds: 8, bytesSent: [104_000, 96_000, 96_000]))
        // lt: 3000 MSBs (24000 input bytes, 24000 for G, 46875 for the tree) and one AND of 1000 bits.
        #expect(ABY3Cost.comparison(.lessThan, count: 1000, .u64) == KernelCost(rounds: 9, bytesSent: [95_000, 71_000, 71_000]))
        // eq: input, then 32 + 16 + 8 + 4 + 2 + 1 bits per element.
        #expect(ABY3Cost.comparison(.equal, count: 1000, .u64) == KernelCost(rounds: 7, bytesSent: [8000 + 7875, 7875, 7875]))
        #expect(ABY3Cost.b2a(count: 10, .u8) == KernelCost(rounds: 6, bytesSent: [60 + 10, 10 + 60 + 10, 60]))
        #expect(ABY3Cost.mulAB(count: 10, .i32) == KernelCost(rounds: 2, bytesSent: [120, 80, 160]))
    }

    @Test func emptyTensorsPassThrough() async throws {
        let x = Tensor.zeros(.i32, shape: [0, 3]), bits = Tensor.zeros(.bit, shape: [0, 32])
        let results = try await runOnSharedTensors([x, x, bits]) { party, v in
            let a = try v[0].arithmetic64(""), b = try v[1].arithmetic64(""), c = try v[2].binary("")
            let lt = try await party.ltA(a, b), eq = try await party.eqA(a, b)
            let words = try await party.a2bWords(a)
            _ = try await party.b2a(words)
            _ = try await party.b2a(c, .i32) as ArithmeticShare<UInt64>
            _ = try await party.mulAB(a, lt)
            _ = try await party.clip2KB(c, k: 4)
            _ = try await party.compareB(.lessThan, c, c, signed: true)
            _ = try await party.binaryAddB(c, c)
            return .binary(try party.xorBB(lt, eq))
        }
        #expect(results.value == Tensor.zeros(.bit, shape: [0, 3]))
    }

    @Test func badOperandsAreRefused() async throws {
        let results = try await LocalSimulation.run(timeout: .seconds(20)) { party -> [ConfideError.Code?] in
            let a: ArithmeticShare<UInt64> = try party.randomShare(.u32, shape: [3])
            let b: ArithmeticShare<UInt64> = try party.randomShare(.u32, shape: [4])
            let c: ArithmeticShare<UInt64> = try party.randomShare(.i32, shape: [3])
            let bit: ArithmeticShare<UInt64> = try party.randomShare(.bit, shape: [3])
            let p = try party.randomBits(shape: [3]), q = try party.randomBits(shape: [4])
            func code(_ body: () async throws -> Void) async -> ConfideError.Code? {
                do {
                    try await body()
                    return nil
                } catch { return (error as? ConfideError)?.code }
            }
            return [
                await code { _ = try await party.andBB(p, q) },
                await code { _ = try party.xorBB(p, q) },
                await code { _ = try party.xorBP(p, Tensor.zeros(.u8, shape: [3])) },
                await code { _ = try await party.ltA(a, b) },
                await code { _ = try await party.eqA(a, c) },
                await code { _ = try await party.mulAB(a, q) },
                await code { _ = try await party.a2b(bit) },
                await code { _ = try await party.bitExtractA(a, bit: 32) },
                await code { _ = try await party.b2a(p, .u8) as ArithmeticShare<UInt64> },
                await code { _ = try await party.injectBit(p, as: .u128) as ArithmeticShare<UInt64> },
                await code { _ = try await party.clip2KB(try q.reshaped([2, 2]), k: 1) },
            ]
        }
        #expect(
            results[0].value == [
                .shapeMismatch, .shapeMismatch, .typeMismatch, .shapeMismatch, .typeMismatch, .shapeMismatch, .typeMismatch,
                .invalidArgument, .shapeMismatch, .typeMismatch, .invalidArgument,
            ])
    }
}
