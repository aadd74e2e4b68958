import ConfideCore

/// `DecomposeSwitchingMap(n)` with CipherCore's plaintext semantics.
///
/// A switching map of length `m` is an array of indices into an array of length `n` (`m` ≤ `n`),
/// possibly repeated. Along the last axis, each map `s` is decomposed into
/// `(perm1, (duplicationMap, duplicationBits), perm2)`, all of length `m`, with
/// `s[i] == perm1[duplicationMap[perm2[i]]]`:
/// - the distinct indices of `s` are grouped in order of first appearance, each group `g` taking
///   `count(g)` consecutive positions starting at `start(g)`;
/// - `perm1` (an injective map into `0..<n`, a permutation with deletion) holds at `start(g)` the
///   group's index and at the group's other positions indices that do not occur in `s`, a uniformly
///   random ordered sample of them drawn from the evaluator's generator;
/// - `duplicationMap` is `start(g)` throughout each group, `duplicationBits` 0 at `start(g)` and 1
///   at the group's other positions;
/// - `perm2[i]` is `start(g) + r` for the `r`-th occurrence (from 0) of the group's index in `s`.
enum ExtendedSwitchingMap {
    static func evaluate(_ n: Int, _ args: ExtendedArguments, _ random: inout AESCTRGenerator) throws -> Value {
        try args.expectCount(1)
        let input = try args.array(0)
        let resultType = try TypeInference.inferType(of: .decomposeSwitchingMap(n), arguments: [input.type])
        guard case let .array(shape, _) = input.type, let entries = input.narrowWords else {
            preconditionFailure("DecomposeSwitchingMap's input is a u64 array")
        }
        let m = shape[shape.count - 1]
        guard m <= n else {
            throw ConfideError(.invalidArgument, "DecomposeSwitchingMap: switching maps of length \(m) are longer than the size \(n)")
        }
        var decomposer = Decomposer(n: n, m: m)
        var perm1 = [UInt64](repeating: 0, count: entries.count)
        var duplicationMap = [UInt64](repeating: 0, count: entries.count)
        var duplicationBits = [UInt64](repeating: 0, count: entries.count)
        var perm2 = [UInt64](repeating: 0, count: entries.count)
        for start in stride(from: 0, to: entries.count, by: m) {
            try decomposer.decompose(
                entries[start..<(start + m)], at: start, &perm1, &duplicationMap, &duplicationBits, &perm2, &random)
        }
        guard case let .tuple(parts) = resultType, case let .tuple(duplication) = parts[1] else {
            preconditionFailure("DecomposeSwitchingMap's type is a tuple")
        }
        func tensor(_ type: ValueType, _ words: [UInt64]) -> Value {
            guard case let .array(shape, scalar) = type else { preconditionFailure("DecomposeSwitchingMap's parts are arrays") }
            return .tensor(Tensor(unchecked: scalar, shape: shape, storage: .narrow(words)))
        }
        return .tuple([
            tensor(parts[0], perm1), .tuple([tensor(duplication[0], duplicationMap), tensor(duplication[1], duplicationBits)]),
            tensor(parts[2], perm2),
        ])
    }

    /// Decomposes the maps of one node, reusing its buffers from map to map.
    private struct Decomposer {
        let n: Int
        /// Whether the indices are looked up in an array of length `n` (else in a dictionary).
        let dense: Bool
        /// Dense lookup: the group of each index, -1 where the index is absent from the current map.
        var groupOfIndex: [Int]
        var sparseGroupOfIndex: [UInt64: Int] = [:]
        /// Per position, its group; per group, its index, size and next free position.
        var groupOfPosition: [Int]
        var groupIndex: [UInt64] = []
        var groupCount: [Int] = []
        var cursor: [Int] = []

        init(n: Int, m: Int) {
            self.n = n
            // An array of n entries costs no more than a few times the map itself.
            dense = n <= 4 * m + 1024
            groupOfIndex = dense ? [Int](repeating: -1, count: n) : []
            groupOfPosition = [Int](repeating: 0, count: m)
        }

        mutating func decompose(
            _ map: ArraySlice<UInt64>, at offset: Int, _ perm1: inout [UInt64], _ duplicationMap: inout [UInt64],
            _ duplicationBits: inout [UInt64], _ perm2: inout [UInt64], _ random: inout AESCTRGenerator
        ) throws {
            groupIndex.removeAll(keepingCapacity: true)
            groupCount.removeAll(keepingCapacity: true)
            sparseGroupOfIndex.removeAll(keepingCapacity: true)
            for (position, index) in zip(0..., map) {
                guard index < UInt64(n) else {
                    throw ConfideError(.invalidValue, "DecomposeSwitchingMap: the switching map has an index that is not below \(n)")
                }
                var group = dense ? groupOfIndex[Int(index)] : (sparseGroupOfIndex[index] ?? -1)
                if group < 0 {
                    group = groupIndex.count
                    groupIndex.append(index)
                    groupCount.append(0)
                    if dense { groupOfIndex[Int(index)] = group } else { sparseGroupOfIndex[index] = group }
                }
                groupOfPosition[position] = group
                groupCount[group] += 1
            }
            let fillers = map.count - groupIndex.count
            let sample = missingSample(fillers, &random)
            cursor.removeAll(keepingCapacity: true)
            var start = 0, next = 0
            for (group, index) in groupIndex.enumerated() {
                cursor.append(start)
                perm1[offset + start] = index
                for j in start..<(start + groupCount[group]) {
                    duplicationMap[offset + j] = UInt64(start)
                    duplicationBits[offset + j] = j == start ? 0 : 1
                    if j > start {
                        perm1[offset + j] = sample[next]
                        next += 1
                    }
                }
                start += groupCount[group]
            }
            for position in 0..<map.count {
                let group = groupOfPosition[position]
                perm2[offset + position] = UInt64(cursor[group])
                cursor[group] += 1
            }
            if dense {
                for index in groupIndex { groupOfIndex[Int(index)] = -1 }
            }
        }

        /// `count` distinct indices of `0..<n` absent from the current map, a uniformly random
        /// ordered sample (the first `count` of a Fisher–Yates shuffle of all absent indices).
        private func missingSample(_ count: Int, _ random: inout AESCTRGenerator) -> [UInt64] {
            guard count > 0 else { return [] }
            if dense {
                var missing: [UInt64] = []
                missing.reserveCapacity(n - groupIndex.count)
                for index in 0..<n where groupOfIndex[index] < 0 { missing.append(UInt64(index)) }
                // A partial Fisher–Yates shuffle: position i takes a uniform choice among the rest.
                for i in 0..<count {
                    missing.swapAt(i, i + Int(random.uniform(below: UInt64(missing.count - i))))
                }
                return Array(missing[..<count])
            }
            // n > 4m + 1024: more than three quarters of the draws are absent and new.
            var drawn = Set<UInt64>(minimumCapacity: count)
            var sample: [UInt64] = []
            sample.reserveCapacity(count)
            while sample.count < count {
                let index = random.uniform(below: UInt64(n))
                if sparseGroupOfIndex[index] == nil, drawn.insert(index).inserted { sample.append(index) }
            }
            return sample
        }
    }
}
