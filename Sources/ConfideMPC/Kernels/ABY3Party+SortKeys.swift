import ConfideCore

/// Sorting whole CipherCore columns: the key's bit decomposition for the radix sort, and
/// `SortByIntegerKey` / `Sort` over named tuples of shares of any types.
extension ABY3Party {
    /// The bits of an integer key, least significant first, as arithmetic shares of 0 or 1 in
    /// `ring` (the `keyBits` of ``sortA(key:payload:signed:keyBits:)``): one A2B, then one bit
    /// injection of all k·n bits at once. Collective.
    /// Communication: ``ABY3Cost/a2b(count:_:)`` + ``ABY3Cost/bitInjection(count:_:)`` of k·n bits.
    /// - Throws: the kernels' errors.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func integerKeyBits<W: RingWord>(_ key: ArithmeticShare<W>, ring: ScalarType) async throws -> [ArithmeticShare<UInt64>] {
        let words = try await a2bWords(key)
        return try await injectKeyBits(try (0..<key.scalarType.bits).map { try words.bit($0) }, count: key.count, ring: ring)
    }

    /// Bit shares of n elements each (one per key bit) as arithmetic 0/1 columns in `ring`, with one
    /// bit injection. Collective.
    func injectKeyBits(_ columns: [BinaryShare], count n: Int, ring: ScalarType) async throws -> [ArithmeticShare<UInt64>] {
        let stacked = columns.count == 1 ? columns[0] : try BinaryShare(
            shape: [columns.count * n], first: BinaryShare.concatenated(columns.map(\.first), count: n),
            second: BinaryShare.concatenated(columns.map(\.second), count: n))
        let injected: ArithmeticShare<UInt64> = try await injectBit(stacked, as: ring)
        return (0..<columns.count).map { j in
            ArithmeticShare(
                unchecked: ring, shape: [n], first: Array(injected.first[(j * n)..<((j + 1) * n)]),
                second: Array(injected.second[(j * n)..<((j + 1) * n)]))
        }
    }

    /// CipherCore's `SortByIntegerKey(key)` and `Sort(key)` on shares: sorts the columns of a named
    /// tuple stably by the column named `key`, with the 3-party radix sort (eprint 2019/695).
    ///
    /// `SortByIntegerKey`: the key is a vector of integers, ordered as two's complement for signed
    /// types. `Sort` (`binaryKey`): the key is an [n, b] bit array whose rows compare
    /// lexicographically, element 0 first. The sorting permutation is computed once from the key's
    /// bits; every column (any type; bit columns travel as 0/1 in the permutation ring) is then
    /// scattered by it. Collective.
    /// Communication: the key's bit decomposition, ``ABY3Cost/sortingPermutationA(count:bitCount:ring:)``,
    /// and one ``unapplyPermutationA(_:permutation:)`` per word width of the columns (plus a bit
    /// injection and extraction for bit columns).
    /// Reveals: only uniformly random shuffled permutations (see ``sortingPermutationA(bits:)``).
    /// - Throws: `.invalidArgument` when no column is named `key`; `.typeMismatch` / `.shapeMismatch`
    ///   for a key of the wrong form or columns of different lengths; the kernels' errors.
    /// - Parameter injectionBits: the most key bits one bit injection takes (bounds memory; tests
    ///   make it small).
    public func sortColumns(
        _ columns: [(name: String, value: SharedTensor)], key: String, binaryKey: Bool, injectionBits: Int = ABY3Party.sortInjectionBits
    ) async throws -> [(name: String, value: SharedTensor)] {
        guard let keyColumn = columns.first(where: { $0.name == key })?.value else {
            throw ConfideError(.invalidArgument, "the named tuple has no column named \"\(key)\"")
        }
        guard let n = keyColumn.shape.first, n > 0 else { throw ConfideError(.shapeMismatch, "the sort key must have at least one row") }
        for column in columns where column.value.shape.first != n {
            throw ConfideError(.shapeMismatch, "column \"\(column.name)\" has \(column.value.shape.first ?? 0) rows, the key has \(n)")
        }
        let ring = ABY3Cost.permutationRing(count: n)
        // The key's bits stay packed (n/8 bytes each) until the radix sort injects them.
        let bits: [BinaryShare]
        var signed = false
        switch keyColumn {
        case let .binary(b) where binaryKey:
            guard b.shape.count == 2 else { throw ConfideError(.typeMismatch, "the Sort key must be a 2-dimensional bit array, found \(b.type)") }
            let width = b.shape[1]
            let all0 = BinaryShare.unpack(b.first, count: b.count), all1 = BinaryShare.unpack(b.second, count: b.count)
            bits = (0..<width).reversed().map { j in
                BinaryShare(
                    unchecked: [n], first: BinaryShare.pack((0..<n).map { all0[$0 * width + j] }),
                    second: BinaryShare.pack((0..<n).map { all1[$0 * width + j] }))
            }
        case let .binary(b):
            guard b.shape.count == 1 else { throw ConfideError(.typeMismatch, "the sort key must be a vector, found \(b.type)") }
            bits = [b]
        case let .arithmetic64(a) where !binaryKey:
            guard a.shape.count == 1 else { throw ConfideError(.typeMismatch, "the sort key must be a vector, found \(a.type)") }
            let words = try await a2bWords(a)
            bits = try (0..<a.scalarType.bits).map { try words.bit($0) }
            signed = a.scalarType.isSigned
        case let .arithmetic128(a) where !binaryKey:
            guard a.shape.count == 1 else { throw ConfideError(.typeMismatch, "the sort key must be a vector, found \(a.type)") }
            let words = try await a2bWords(a)
            bits = try (0..<a.scalarType.bits).map { try words.bit($0) }
            signed = a.scalarType.isSigned
        default:
            throw ConfideError(.typeMismatch, "the Sort key must be a 2-dimensional bit array, found \(keyColumn.type)")
        }
        let destinations = try await sortingPermutationA(packedBits: bits, count: n, ring: ring, flipTop: signed, injectionBits: injectionBits)
        return try await scatterColumns(columns, by: destinations, ring: ring)
    }

    /// Moves row i of every column to row σ[i], one permutation application per word width.
    private func scatterColumns(
        _ columns: [(name: String, value: SharedTensor)], by destinations: ArithmeticShare<UInt64>, ring: ScalarType
    ) async throws -> [(name: String, value: SharedTensor)] {
        var narrow: [ArithmeticShare<UInt64>] = [], wide: [ArithmeticShare<UInt128>] = []
        var place: [(kind: Int, index: Int)] = []
        for column in columns {
            switch column.value {
            case let .arithmetic64(a):
                place.append((0, narrow.count))
                narrow.append(a)
            case let .arithmetic128(a):
                place.append((1, wide.count))
                wide.append(a)
            case let .binary(b):
                place.append((2, narrow.count))
                let injected: ArithmeticShare<UInt64> = try await injectBit(try b.reshaped([b.count]), as: .u8)
                narrow.append(try injected.reshaped(b.shape))
            }
        }
        let sortedNarrow = narrow.isEmpty ? [] : try await unapplyPermutationA(narrow, permutation: destinations)
        let sortedWide = wide.isEmpty ? [] : try await unapplyPermutationA(wide, permutation: destinations)
        var result: [(name: String, value: SharedTensor)] = []
        for (column, p) in zip(columns, place) {
            switch p.kind {
            case 0: result.append((column.name, .arithmetic64(sortedNarrow[p.index])))
            case 1: result.append((column.name, .arithmetic128(sortedWide[p.index])))
            default:
                let value = sortedNarrow[p.index]
                let bit = try await bitExtractA(try value.reshaped([value.count]), bit: 0)
                result.append((column.name, .binary(try bit.reshaped(value.shape))))
            }
        }
        return result
    }
}
