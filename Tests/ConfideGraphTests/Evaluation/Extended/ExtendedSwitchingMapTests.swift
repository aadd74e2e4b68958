import ConfideCore
import Testing

@testable import ConfideGraph

/// DecomposeSwitchingMap against CipherCore's evaluator test (simple_evaluator.rs,
/// `test_decompose_switching_map`): its vectors' deterministic parts and the composition property
/// on random maps.
@Suite("Extended DecomposeSwitchingMap")
struct ExtendedSwitchingMapTests {
    struct Parts {
        var perm1: [UInt64], duplicationMap: [UInt64], duplicationBits: [UInt64], perm2: [UInt64]
    }

    static func words(_ value: Value) -> [UInt64] { value.tensor!.narrowWords! }

    static func decompose(_ map: [UInt64], shape: [Int]? = nil, n: Int, seed: UInt8 = 7) throws -> Parts {
        let value = try extendedEval(
            .decomposeSwitchingMap(n), [.tensor(Tensor(.u64, shape: shape ?? [map.count], narrow: map))], seed: seed)
        guard case let .tuple(parts) = value, case let .tuple(duplication) = parts[1] else {
            Issue.record("DecomposeSwitchingMap must give a tuple")
            return Parts(perm1: [], duplicationMap: [], duplicationBits: [], perm2: [])
        }
        #expect(duplication[1].tensor?.scalarType == .bit)
        return Parts(
            perm1: words(parts[0]), duplicationMap: words(duplication[0]), duplicationBits: words(duplication[1]), perm2: words(parts[2]))
    }

    /// Checks one map of length m decomposed into `p` at `offset`: perm1 injective into 0..<n,
    /// the duplication map follows its bits, perm2 a permutation, and the composition is the map.
    static func checkComposition(_ map: ArraySlice<UInt64>, _ p: Parts, offset: Int, n: Int) {
        let m = map.count
        let perm1 = p.perm1[offset..<(offset + m)], dup = p.duplicationMap[offset..<(offset + m)]
        let bits = p.duplicationBits[offset..<(offset + m)], perm2 = p.perm2[offset..<(offset + m)]
        #expect(Set(perm1).count == m && perm1.allSatisfy { $0 < UInt64(n) })
        #expect(perm2.sorted() == (0..<m).map { UInt64($0) })
        for j in 0..<m {
            let expected = bits[offset + j] == 1 && j > 0 ? dup[offset + j - 1] : UInt64(j)
            #expect(dup[offset + j] == expected)
        }
        for (i, index) in zip(0..., map) {
            #expect(perm1[offset + Int(dup[offset + Int(perm2[offset + i])])] == index)
        }
    }

    @Test("CipherCore's vectors: positions of the map's indices, duplication bits and perm2 are fixed")
    func cipherCoreVectors() throws {
        let a = try Self.decompose([2, 0, 1, 3, 2, 4, 3, 8], n: 9)
        // CipherCore's seeded perm1 is [2, 7, 0, 1, 3, 6, 4, 8]; positions 1 and 5 are random fillers.
        #expect([a.perm1[0], a.perm1[2], a.perm1[3], a.perm1[4], a.perm1[6], a.perm1[7]] == [2, 0, 1, 3, 4, 8])
        #expect(Set([a.perm1[1], a.perm1[5]]).count == 2 && [a.perm1[1], a.perm1[5]].allSatisfy { [5, 6, 7].contains($0) })
        #expect(a.duplicationBits == [0, 1, 0, 0, 0, 1, 0, 0])
        #expect(a.duplicationMap == [0, 0, 2, 3, 4, 4, 6, 7])
        #expect(a.perm2 == [0, 2, 3, 4, 1, 6, 5, 7])

        let identity = try Self.decompose([0, 1, 2, 3, 4, 5, 6], n: 7)
        #expect(identity.perm1 == [0, 1, 2, 3, 4, 5, 6] && identity.perm2 == [0, 1, 2, 3, 4, 5, 6])
        #expect(identity.duplicationBits == [UInt64](repeating: 0, count: 7) && identity.duplicationMap == [0, 1, 2, 3, 4, 5, 6])

        let constant = try Self.decompose([6, 6, 6, 6, 6, 6, 6], n: 7)
        #expect(constant.perm1[0] == 6 && constant.perm1.sorted() == [0, 1, 2, 3, 4, 5, 6])
        #expect(constant.duplicationBits == [0, 1, 1, 1, 1, 1, 1] && constant.duplicationMap == [UInt64](repeating: 0, count: 7))
        #expect(constant.perm2 == [0, 1, 2, 3, 4, 5, 6])

        #expect(extendedErrorCode(.decomposeSwitchingMap(5), [extendedTensor(.u64, [3], [0, 1, 5])]) == .invalidValue)
    }

    @Test("Errors: indices out of range, maps longer than n, wrong types; messages carry no values")
    func errors() throws {
        do {
            _ = try extendedEval(.decomposeSwitchingMap(5), [extendedTensor(.u64, [3], [0, 1, 123_456])])
            Issue.record("an index out of range must be rejected")
        } catch let error as ConfideError {
            #expect(error.code == .invalidValue && !error.message.contains("123456"))
        }
        // Inference only bounds the first dimension; the maps along the last axis are checked here.
        #expect(
            extendedErrorCode(.decomposeSwitchingMap(3), [extendedTensor(.u64, [2, 4], [0, 1, 2, 0, 0, 1, 2, 0])]) == .invalidArgument)
        #expect(extendedErrorCode(.decomposeSwitchingMap(3), [extendedTensor(.u64, [4], [0, 1, 2, 0])]) == .shapeMismatch)
        #expect(extendedErrorCode(.decomposeSwitchingMap(4), [extendedTensor(.u32, [4], [0, 1, 2, 0])]) == .typeMismatch)
        // Randomized: not applicable as a deterministic operation.
        for op in [Operation.decomposeSwitchingMap(4), .cuckooToPermutation] {
            #expect(throws: ConfideError.self) { try Evaluator.apply(op, to: [extendedTensor(.u64, [4], [0, 1, 2, 3])]) }
        }
        #expect(
            extendedErrorCode(.decomposeSwitchingMap(4), [extendedTensor(.u64, [4], [0, 1, 2, 0]), extendedTensor(.u64, [1], [0])])
                == .wrongInputCount)
    }

    @Test("Random maps, several per array, dense and sparse n: the composition is the map")
    func randomMapsCompose() throws {
        var random = try AESCTRGenerator(key: [UInt8](repeating: 11, count: 16))
        for trial in 0..<40 {
            let maps = Int(random.next(UInt64.self) % 3) + 1, m = Int(random.next(UInt64.self) % 30) + 1
            // Alternately a small n (indices repeat often) and a huge one (sparse filler sampling).
            let n = max(trial % 2 == 0 ? m + Int(random.next(UInt64.self) % 5) : 1 << 40, maps)
            let pool = UInt64(min(trial % 4 == 0 ? 2 : 3 * m, n))
            let map = (0..<(maps * m)).map { _ in random.next(UInt64.self) % pool }
            let parts = try Self.decompose(map, shape: [maps, m], n: n, seed: UInt8(trial))
            for k in 0..<maps {
                Self.checkComposition(map[(k * m)..<((k + 1) * m)], parts, offset: k * m, n: n)
                // Fillers are indices absent from the map.
                let present = Set(map[(k * m)..<((k + 1) * m)])
                for j in 0..<m where parts.duplicationBits[k * m + j] == 1 { #expect(!present.contains(parts.perm1[k * m + j])) }
            }
        }
    }

    @Test("The fillers of [0, 2, 2, 1, 3, 1, 3, 2] (n = 8) take all 4! orders over seeds")
    func fillersAreShuffled() throws {
        var orders = Set<[UInt64]>()
        for seed in UInt8(0)..<200 {
            let parts = try Self.decompose([0, 2, 2, 1, 3, 1, 3, 2], n: 8, seed: seed)
            #expect(parts.perm1.sorted() == (0..<8).map { UInt64($0) })
            orders.insert((0..<8).filter { parts.duplicationBits[$0] == 1 }.map { parts.perm1[$0] })
        }
        #expect(orders.count == 24)
    }

    @Test("A map of 200000 entries decomposes in linear time")
    func largeMap() throws {
        var random = try AESCTRGenerator(key: [UInt8](repeating: 12, count: 16))
        let m = 200_000
        let map = (0..<m).map { _ in random.next(UInt64.self) % UInt64(m / 2) }
        let parts = try Self.decompose(map, n: m)
        Self.checkComposition(map[...], parts, offset: 0, n: m)
    }
}
