import ConfideCore

/// `CuckooHash` and `CuckooToPermutation` with CipherCore's plaintext semantics.
enum ExtendedCuckooOps {
    /// The entry of a cuckoo hash table that holds no index (CipherCore's `CUCKOO_DUMMY_ELEMENT`).
    static let dummy = UInt64.max

    /// Most evictions one insertion may cause before cuckoo hashing fails (CipherCore's bound).
    static let evictionLimit = 100

    /// `CuckooHash`: cuckoo hashing of binary strings (eprint 2018/579, section 3.2).
    ///
    /// The input is `bit[..., s, l]` (sets of `s` strings of `l` bits), the hash matrices `bit[k, r, l]`
    /// (`k` ≥ 3 matrices). Hash function `f` maps a string `x` to the index whose bit `i` (least
    /// significant first) is the parity of `matrix[f][i] · x`. Each set gets a `u64` table of `2^r`
    /// entries, filled by inserting the strings in order: a string goes to its slot under hash
    /// function 0; an occupied slot's string is evicted and reinserted with the hash function after
    /// the one that placed it (cyclically). Entries are string indices within the set, or
    /// `u64::MAX` where the slot is empty. The result is `u64[..., 2^r]`.
    /// - Throws: `.invalidValue` when a string cannot be placed after 100 consecutive evictions.
    static func cuckooHash(_ args: ExtendedArguments) throws -> Value {
        try args.expectCount(2)
        let input = try args.bitArray(0)
        let matrices = try args.bitArray(1)
        let resultType = try TypeInference.cuckooHashType(input.type, matrices.type)
        guard case let .array(resultShape, _) = resultType else { preconditionFailure("CuckooHash's type is an array") }
        let strings = input.shape[input.shape.count - 2]
        let length = input.shape[input.shape.count - 1]
        let sets = input.count / (strings * length)
        let functions = matrices.shape[0], rows = matrices.shape[1]
        let tableSize = resultShape[resultShape.count - 1]
        let words = (length + 63) / 64
        let packedStrings = pack(input, rowLength: length, words: words)
        let packedMatrices = pack(matrices, rowLength: length, words: words)

        var table = [UInt64](repeating: dummy, count: sets * tableSize)
        // The hash function that placed each occupied entry.
        var placedBy = [Int](repeating: 0, count: sets * tableSize)
        var failed = false
        packedStrings.withUnsafeBufferPointer { s in
            packedMatrices.withUnsafeBufferPointer { m in
                table.withUnsafeMutableBufferPointer { t in
                    placedBy.withUnsafeMutableBufferPointer { used in
                        for set in 0..<sets {
                            let tableStart = set * tableSize
                            for first in 0..<strings {
                                var current = first, function = 0, evictions = 0
                                while true {
                                    let slot =
                                        tableStart
                                        + hash(s, string: set * strings + current, m, function: function, rows: rows, words: words)
                                    let occupant = t[slot], occupantFunction = used[slot]
                                    t[slot] = UInt64(current)
                                    used[slot] = function
                                    if occupant == dummy { break }
                                    evictions += 1
                                    if evictions == evictionLimit {
                                        failed = true
                                        return
                                    }
                                    current = Int(occupant)
                                    function = (occupantFunction + 1) % functions
                                }
                            }
                        }
                    }
                }
            }
        }
        if failed {
            throw ConfideError(
                .invalidValue,
                "CuckooHash: cuckoo hashing failed, a string could not be placed after \(evictionLimit) evictions "
                    + "(the table of \(tableSize) entries is too small for \(strings) strings, or strings repeat); use other or larger hash matrices"
            )
        }
        return .tensor(Tensor(unchecked: .u64, shape: resultShape, storage: .narrow(table)))
    }

    /// `CuckooToPermutation`: turns cuckoo hash tables into permutations.
    ///
    /// Along the last axis, each table of length `n` with `d` dummy entries (`u64::MAX`) must hold a
    /// permutation of `0..<n-d` in its other entries; the dummies are replaced by `n-d..<n` in a
    /// uniformly random order drawn from `random`. The result has the input's type.
    /// - Throws: `.invalidValue` when a table repeats an index, or holds one that is not below `n-d`.
    static func cuckooToPermutation(_ args: ExtendedArguments, _ random: inout AESCTRGenerator) throws -> Value {
        try args.expectCount(1)
        let input = try args.array(0)
        let resultType = try TypeInference.inferType(of: .cuckooToPermutation, arguments: [input.type])
        guard case let .array(shape, _) = resultType, let entries = input.narrowWords else {
            preconditionFailure("CuckooToPermutation's type is a u64 array")
        }
        let n = shape[shape.count - 1]
        var result = entries
        var seen = [Bool](repeating: false, count: n)
        for start in stride(from: 0, to: entries.count, by: n) {
            let table = start..<(start + n)
            var dummies = 0
            for i in table where entries[i] == dummy { dummies += 1 }
            // As CipherCore: repeated indices are reported before indices out of range.
            for i in seen.indices { seen[i] = false }
            var large = Set<UInt64>()
            var outOfRange = false
            for i in table where entries[i] != dummy {
                let e = entries[i]
                let repeated: Bool
                if e < UInt64(n) {
                    repeated = seen[Int(e)]
                    seen[Int(e)] = true
                } else {
                    repeated = !large.insert(e).inserted
                }
                guard !repeated else {
                    throw ConfideError(.invalidValue, "CuckooToPermutation: a cuckoo table of length \(n) contains a repeated index")
                }
                if e >= UInt64(n - dummies) { outOfRange = true }
            }
            guard !outOfRange else {
                throw ConfideError(
                    .invalidValue,
                    "CuckooToPermutation: a cuckoo table of length \(n) with \(dummies) dummy entries has an index that is not below \(n - dummies)"
                )
            }
            var remaining = ((n - dummies)..<n).map { UInt64($0) }
            random.shuffle(&remaining)
            var next = 0
            for i in table where entries[i] == dummy {
                result[i] = remaining[next]
                next += 1
            }
        }
        return .tensor(Tensor(unchecked: .u64, shape: shape, storage: .narrow(result)))
    }

    /// The rows of a bit array (`rowLength` bits each) packed into `words` 64-bit words per row, bit
    /// `j` of a row in bit `j % 64` of word `j / 64`.
    private static func pack(_ bits: Tensor, rowLength: Int, words: Int) -> [UInt64] {
        let source = bits.narrowWords!
        let rowCount = source.count / rowLength
        var packed = [UInt64](repeating: 0, count: rowCount * words)
        source.withUnsafeBufferPointer { b in
            packed.withUnsafeMutableBufferPointer { p in
                for row in 0..<rowCount {
                    let from = row * rowLength, to = row * words
                    for j in 0..<rowLength where b[from + j] & 1 == 1 {
                        p[to + (j >> 6)] |= 1 << UInt64(j & 63)
                    }
                }
            }
        }
        return packed
    }

    /// The slot of a packed string under a hash function: bit `i` is the parity of row `i` of the
    /// function's matrix ANDed with the string.
    @inline(__always)
    private static func hash(
        _ strings: UnsafeBufferPointer<UInt64>, string: Int, _ matrices: UnsafeBufferPointer<UInt64>, function: Int, rows: Int, words: Int
    ) -> Int {
        let s = string * words
        var index = 0
        for row in 0..<rows {
            let m = (function * rows + row) * words
            var acc: UInt64 = 0
            for w in 0..<words { acc ^= strings[s + w] & matrices[m + w] }
            index |= (acc.nonzeroBitCount & 1) << row
        }
        return index
    }
}
