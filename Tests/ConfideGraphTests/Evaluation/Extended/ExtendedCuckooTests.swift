import ConfideCore
import Testing

@testable import ConfideGraph

/// CuckooHash and CuckooToPermutation against CipherCore's evaluator tests (simple_evaluator.rs,
/// `test_cuckoo_hash`, `test_cuckoo_to_permutation`) and a bit-by-bit reference on random inputs.
@Suite("Extended cuckoo hashing")
struct ExtendedCuckooTests {
    static let x = UInt64.max
    /// CipherCore's three 2×3 hash matrices.
    static let matrices = extendedBits([3, 2, 3], [1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 1])

    static func words(_ value: Value) -> [UInt64] { value.tensor!.narrowWords! }

    static func randomBits(_ count: Int, _ random: inout AESCTRGenerator) -> [UInt64] {
        (0..<count).map { _ in random.next(UInt64.self) & 1 }
    }

    /// CipherCore's algorithm on unpacked bits, hash bits computed one product at a time (nil on failure).
    static func referenceCuckoo(
        _ bits: [UInt64], sets: Int, strings: Int, length: Int, _ m: [UInt64], functions: Int, rows: Int
    ) -> [UInt64]? {
        let size = 1 << rows
        var table = [UInt64](repeating: x, count: sets * size)
        var used = [Int](repeating: 0, count: sets * size)
        func hash(_ string: Int, _ f: Int) -> Int {
            var index = 0
            for r in 0..<rows {
                var bit: UInt64 = 0
                for c in 0..<length { bit ^= m[(f * rows + r) * length + c] & bits[string * length + c] }
                index ^= Int(bit) << r
            }
            return index
        }
        for set in 0..<sets {
            for s in 0..<strings {
                var current = s, f = 0, attempt = 0, placed = false
                while attempt < 100 {
                    let slot = set * size + hash(set * strings + current, f)
                    if table[slot] == x {
                        table[slot] = UInt64(current)
                        used[slot] = f
                        placed = true
                        break
                    }
                    let (old, oldF) = (Int(table[slot]), used[slot])
                    table[slot] = UInt64(current)
                    used[slot] = f
                    current = old
                    f = (oldF + 1) % functions
                    attempt += 1
                }
                if !placed { return nil }
            }
        }
        return table
    }

    @Test("CuckooHash: CipherCore's vectors without and with a collision, and a failure")
    func cipherCoreCuckooHash() throws {
        let noCollision = try extendedEval(.cuckooHash, [extendedBits([2, 3], [1, 0, 1, 0, 0, 1]), Self.matrices])
        #expect(Self.words(noCollision) == [0, 1, Self.x, Self.x])
        let collision = try extendedEval(.cuckooHash, [extendedBits([2, 3], [1, 0, 1, 0, 0, 0]), Self.matrices])
        #expect(Self.words(collision) == [1, Self.x, Self.x, 0])
        let zeros = extendedBits([3, 2, 3], [UInt64](repeating: 0, count: 18))
        #expect(extendedErrorCode(.cuckooHash, [extendedBits([2, 3], [1, 0, 1, 0, 0, 0]), zeros]) == .invalidValue)
        do {
            _ = try extendedEval(.cuckooHash, [extendedBits([2, 3], [1, 0, 1, 0, 0, 0]), zeros])
        } catch let error as ConfideError {
            #expect(error.message.contains("cuckoo hashing failed"))
        }
    }

    @Test("CuckooHash matches a reference on random strings (several sets, strings longer than 64 bits)")
    func cuckooHashMatchesReference() throws {
        var random = try AESCTRGenerator(key: [UInt8](repeating: 5, count: 16))
        for (sets, strings, length, functions, rows) in [
            (1, 5, 3, 3, 3), (2, 3, 20, 3, 6), (3, 40, 70, 4, 7), (1, 200, 130, 3, 9), (2, 30, 64, 5, 6),
        ] {
            let bits = Self.randomBits(sets * strings * length, &random)
            let m = Self.randomBits(functions * rows * length, &random)
            let shape = sets == 1 ? [strings, length] : [sets, strings, length]
            let args = [extendedBits(shape, bits), extendedBits([functions, rows, length], m)]
            guard
                let expected = Self.referenceCuckoo(bits, sets: sets, strings: strings, length: length, m, functions: functions, rows: rows)
            else {
                #expect(extendedErrorCode(.cuckooHash, args) == .invalidValue)
                continue
            }
            let result = try extendedEval(.cuckooHash, args)
            #expect(result.type == .array((sets == 1 ? [] : [sets]) + [1 << rows], .u64))
            #expect(Self.words(result) == expected)
            // Every string index appears exactly once in its set's table.
            for set in 0..<sets {
                let table = expected[(set << rows)..<((set + 1) << rows)].filter { $0 != Self.x }.sorted()
                #expect(table == (0..<strings).map { UInt64($0) })
            }
        }
    }

    @Test("CuckooHash on 50000 strings of 32 bits into 2^17 slots")
    func cuckooHashLarge() throws {
        var random = try AESCTRGenerator(key: [UInt8](repeating: 6, count: 16))
        let strings = 50_000, length = 32, rows = 17
        // Distinct strings: the row number in the low 16 bits... and random high bits.
        var bits = [UInt64](repeating: 0, count: strings * length)
        for s in 0..<strings {
            let word = UInt64(s) | (random.next(UInt64.self) << 16)
            for c in 0..<length { bits[s * length + c] = (word >> UInt64(c)) & 1 }
        }
        let m = Self.randomBits(3 * rows * length, &random)
        let result = try extendedEval(.cuckooHash, [extendedBits([strings, length], bits), extendedBits([3, rows, length], m)])
        let placed = Self.words(result).filter { $0 != Self.x }.sorted()
        #expect(placed == (0..<strings).map { UInt64($0) })
    }

    @Test("CuckooToPermutation: CipherCore's deterministic vectors and errors")
    func cipherCoreCuckooToPermutation() throws {
        let x = Int128(bitPattern: UInt128(Self.x))
        #expect(Self.words(try extendedEval(.cuckooToPermutation, [extendedTensor(.u64, [4], [0, 1, 2, 3])])) == [0, 1, 2, 3])
        #expect(Self.words(try extendedEval(.cuckooToPermutation, [extendedTensor(.u64, [4], [0, x, 2, 1])])) == [0, 3, 2, 1])
        // Repeated index; index 5 not below 8 - 3 dummies.
        #expect(extendedErrorCode(.cuckooToPermutation, [extendedTensor(.u64, [8], [0, x, 2, 1, x, 4, 4, x])]) == .invalidValue)
        #expect(extendedErrorCode(.cuckooToPermutation, [extendedTensor(.u64, [8], [0, x, 2, 1, x, 5, 4, x])]) == .invalidValue)
        // Repeated large index: reported as a repetition, as CipherCore does.
        do {
            _ = try extendedEval(.cuckooToPermutation, [extendedTensor(.u64, [4], [0, 9, 9, x])])
            Issue.record("a repeated index must be rejected")
        } catch let error as ConfideError {
            #expect(error.code == .invalidValue)
            #expect(error.message.contains("repeated index"))
        }
        #expect(extendedErrorCode(.cuckooToPermutation, [extendedTensor(.u32, [4], [0, 1, 2, 3])]) == .typeMismatch)
        #expect(extendedErrorCode(.cuckooToPermutation, [.scalar(.u64, 0)]) == .typeMismatch)
    }

    @Test("CuckooToPermutation: dummies take the remaining indices, each table a permutation")
    func cuckooToPermutationProperties() throws {
        let x = Int128(bitPattern: UInt128(Self.x))
        let result = Self.words(try extendedEval(.cuckooToPermutation, [extendedTensor(.u64, [8], [0, x, 2, 1, x, 3, 4, x])]))
        #expect([result[0], result[2], result[3], result[5], result[6]] == [0, 2, 1, 3, 4])
        #expect(Set([result[1], result[4], result[7]]) == [5, 6, 7])
        let two = Self.words(try extendedEval(.cuckooToPermutation, [extendedTensor(.u64, [2, 4], [0, x, 2, 1, x, 0, 1, x])]))
        #expect(Array(two[..<4]) == [0, 3, 2, 1])
        #expect(Array(two[4...]).sorted() == [0, 1, 2, 3] && two[5] == 0 && two[6] == 1)
        // All dummies: a uniformly random permutation; all orders of 3 appear over seeds.
        var seen = Set<[UInt64]>()
        for seed in UInt8(0)..<60 {
            var random = try AESCTRGenerator(key: [UInt8](repeating: seed, count: 16))
            let v = try Evaluator.evaluateExtended(.cuckooToPermutation, [extendedTensor(.u64, [3], [x, x, x])], random: &random)
            seen.insert(Self.words(v))
        }
        #expect(seen.count == 6)
        // Random tables: a permutation of a random prefix, dummies in random places.
        var random = try AESCTRGenerator(key: [UInt8](repeating: 9, count: 16))
        for _ in 0..<20 {
            let tables = Int(random.next(UInt64.self) % 3) + 1, n = Int(random.next(UInt64.self) % 50) + 1
            var input: [UInt64] = []
            for _ in 0..<tables {
                let d = Int(random.next(UInt64.self) % UInt64(n + 1))
                var table = (0..<(n - d)).map { UInt64($0) } + [UInt64](repeating: Self.x, count: d)
                random.shuffle(&table)
                input += table
            }
            let out = Self.words(try extendedEval(.cuckooToPermutation, [.tensor(Tensor(.u64, shape: [tables, n], narrow: input))]))
            for t in 0..<tables {
                let range = (t * n)..<((t + 1) * n)
                #expect(out[range].sorted() == (0..<n).map { UInt64($0) })
                for i in range where input[i] != Self.x { #expect(out[i] == input[i]) }
            }
        }
    }
}
