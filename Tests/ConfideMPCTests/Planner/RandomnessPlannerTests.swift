import ConfideCore
import ConfideGraph
import Testing

@testable import ConfideMPC

/// Random and RandomPermutation in secure programs: generated jointly, uniform, and not
/// determined by any one party's view; costs as declared.
@Suite("Joint randomness in the planner")
struct RandomnessPlannerTests {
    static func program(_ output: IOSpec.Output, _ build: (GraphBuilder) throws -> BuilderNode) throws -> SecureProgram {
        let builder = ContextBuilder()
        let g = builder.makeGraph()
        try g.setOutput(try build(g))
        try builder.setMain(g)
        return try SecureProgram(try builder.finish(), spec: IOSpec(inputs: [], output: output))
    }

    static func run(_ program: SecureProgram) async throws -> [LocalSimulation.PartyResult<Value?>] {
        let results = try await LocalSimulation.run(program, inputs: [[], [], []])
        let estimate = try program.estimatedCost()
        #expect(estimate.bytesSent == countedCost(results.map(\.traffic)).bytesSent, "estimated bytes")
        return results
    }

    /// Every bit position of n words is balanced within 6 sigma.
    static func expectBalancedBits(_ words: [UInt64], bits: Int = 64, _ what: String) {
        let n = Double(words.count)
        for b in 0..<bits {
            let ones = Double(words.reduce(0) { $0 + Int(($1 >> UInt64(b)) & 1) })
            #expect(abs(ones - n / 2) <= 6 * (n / 4).squareRoot(), "\(what): bit \(b) is set in \(Int(ones)) of \(Int(n))")
        }
    }

    @Test func randomWordsAreUniform() async throws {
        let program = try Self.program(.parties([0])) { try $0.random(.array([4096], .u64)) }
        let results = try await Self.run(program)
        let value = try #require(results[0].value?.tensor)
        #expect(results[1].value == nil && results[2].value == nil)
        let words = (0..<value.count).map { UInt64(truncatingIfNeeded: value.residue(at: $0)) }
        Self.expectBalancedBits(words, "Random u64")
        // The top four bits over 16 buckets: chi-square with 15 degrees of freedom below 50 (p ≈ 1e-5).
        var buckets = [Double](repeating: 0, count: 16)
        for w in words { buckets[Int(w >> 60)] += 1 }
        let expected = Double(words.count) / 16
        let chiSquare = buckets.reduce(0) { $0 + ($1 - expected) * ($1 - expected) / expected }
        #expect(chiSquare < 50, "chi-square \(chiSquare)")
        // No communication: nothing to send but the reveal to party 0.
        #expect(results[0].traffic.bytesSent == 0)
    }

    @Test func randomStructuredValuesHaveTheirTypeAndDiffer() async throws {
        let type = ValueType.tuple([.array([2048], .bit), .namedTuple([.init("x", .scalar(.i128)), .init("y", .array([3], .u8))])])
        let program = try Self.program(.public) { try $0.random(type) }
        let first = try #require(try await Self.run(program)[1].value)
        let second = try #require(try await Self.run(program)[1].value)
        #expect(first.type == type)
        #expect(first != second)
        let bits = try #require(first.children?[0].tensor)
        let ones = (0..<bits.count).reduce(0) { $0 + Int(bits.residue(at: $1)) }
        #expect(abs(Double(ones) - 1024) <= 6 * 512.0.squareRoot(), "\(ones) ones in 2048 random bits")
    }

    /// A secret-shared Random: each party's two components leave the third uniform, so no party's
    /// view determines the value.
    @Test func noPartysViewDeterminesTheValue() async throws {
        let program = try Self.program(.secretShared) { try $0.random(.array([4096], .u64)) }
        let results = try await Self.run(program)
        // Component i comes from party i's tuple (it holds components i and i + 1).
        let components: [[UInt64]] = try (0..<3).map { i in
            let t = try #require(results[i].value?.children?[i].tensor)
            return (0..<t.count).map { UInt64(truncatingIfNeeded: t.residue(at: $0)) }
        }
        for p in 0..<3 {
            // Party p sees components p and p + 1; the value minus what it sees is the third one.
            Self.expectBalancedBits(components[(p + 2) % 3], "the component party \(p) misses")
            let seen = zip(components[p], components[(p + 1) % 3]).map { $0 &+ $1 }
            let value = zip(seen, components[(p + 2) % 3]).map { $0 &+ $1 }
            let agree = zip(seen, value).filter { ($0 ^ $1) & 1 == 0 }.count
            #expect(abs(Double(agree) - 2048) <= 6 * 32, "party \(p)'s view predicts the low bit \(agree) times of 4096")
        }
    }

    @Test func randomPermutationIsAUniformPermutation() async throws {
        let program = try Self.program(.parties([2])) { try $0.randomPermutation(n: 1000) }
        let results = try await Self.run(program)
        let p = try #require(results[2].value?.tensor)
        let values = (0..<p.count).map { Int(p.residue(at: $0)) }
        #expect(p.scalarType == .u64 && p.shape == [1000])
        #expect(values.sorted() == Array(0..<1000))
        #expect(values != Array(0..<1000))
        // One shuffle of a u64 column, then party 0's share of the reveal to party 2 (n words).
        #expect(results[0].traffic.bytesSent == ABY3Cost.randomPermutation(count: 1000).bytesSent[0] + 8 * 1000)

        // Where element 0 lands among 4 positions over 240 permutations: no position more than
        // 6 sigma from 60 (a fixed or biased permutation fails).
        let small = try Self.program(.parties([0])) { try $0.randomPermutation(n: 4) }
        var counts = [Int](repeating: 0, count: 4)
        for _ in 0..<240 {
            let t = try #require(try await LocalSimulation.run(small, inputs: [[], [], []])[0].value?.tensor)
            let position = try #require((0..<4).first { t.residue(at: $0) == 0 })
            counts[position] += 1
        }
        let sigma = (240 * 0.25 * 0.75).squareRoot()
        #expect(counts.allSatisfy { abs(Double($0) - 60) <= 6 * sigma }, "positions of element 0: \(counts)")
    }

    @Test func keyedRandomnessIsStillRefusedBeforeAnyPartyStarts() throws {
        let builder = ContextBuilder()
        let g = builder.makeGraph()
        let key = try g.input(.array([128], .bit))
        try g.setOutput(try g.prf(key, iv: 1, type: .array([4], .u64)))
        try builder.setMain(g)
        let error = #expect(throws: ConfideError.self) { try SecureProgram(try builder.finish(), spec: IOSpec(inputs: [.party(0)], output: .public)) }
        #expect(error?.code == .unsupportedOperation)
        #expect(error?.message.contains("AES") == true)
    }
}
