import ConfideCore

/// A sort-based oblivious join of two secret-shared tables with unique keys (the matching step
/// of CipherCore's `Join`): both tables are stacked, sorted together by (key, validity) with the
/// 2019/695 radix sort, matched with their neighbours, and put back in their order.
extension ABY3Party {
    /// Matches the valid rows of `a` and `b` by key and hands each matched row the other side's
    /// payload.
    ///
    /// Protocol: the rows of b, then of a, are stacked; the stable radix sort orders them by the
    /// key's bits and, below those, by ¬valid, so a valid b row comes straight before the valid a
    /// row with the same key. Keys, validity, the public side of each row and the payloads move
    /// with one scatter. Sorted rows i − 1, i match when their keys are equal (``eqA(_:_:)`` per
    /// integer key, XNOR per key bit), both are valid, row i − 1 is from b and row i from a: an
    /// AND tree of these conditions. Row i then takes row i − 1's b payload and row i − 1 row i's
    /// a payload (one ``mulAB(_:_:)`` per ring, with the match bit), and one gather by the sorting
    /// permutation returns every row to its place.
    ///
    /// Requires: keys unique among the valid rows of each side. With duplicates, a row matches at
    /// most one row of the other side (the nearest after sorting); the result is still shares of
    /// a well-defined value, but not a join.
    ///
    /// Collective: every party calls this in the same order with shares of the same types.
    /// Communication: ``ABY3Cost/joinMatch(countA:countB:keys:payloadA:payloadB:injectionBits:)``;
    /// nothing when either side is empty.
    /// Reveals: the table sizes (public already); the radix sort opens only uniformly random
    /// shuffled permutations (see ``sortingPermutationA(bits:)``). Neither the matches nor their
    /// number.
    /// - Parameters:
    ///   - a: the first table; it receives `b.payload`.
    ///   - b: the second table; it receives `a.payload`.
    ///   - injectionBits: the most key bits one bit injection of the sort takes.
    /// - Throws: `.invalidArgument` for no keys or a different number of keys; `.typeMismatch`
    ///   for key columns of different types or of the wrong form; `.shapeMismatch` for columns
    ///   whose row count is not the side's; the kernels' errors.
    public func joinMatch(
        _ a: JoinSide, _ b: JoinSide, injectionBits: Int = ABY3Party.sortInjectionBits
    ) async throws -> (a: JoinDelivery, b: JoinDelivery) {
        try joinCheck(a, b)
        let nA = a.count, nB = b.count, n = nA + nB
        guard nA > 0, nB > 0 else {
            return (
                JoinDelivery(matched: a.valid.zeroRows(nA), received: b.payload.map { $0.zeroRows(nA) }),
                JoinDelivery(matched: b.valid.zeroRows(nB), received: a.payload.map { $0.zeroRows(nB) })
            )
        }
        let ring = ABY3Cost.permutationRing(count: n)
        let keys = try zip(b.keys, a.keys).map { try SharedTensor.concatenatedRows([$0, $1]) }
        let valid = try BinaryShare.concatenatedRows([b.valid, a.valid])
        // b's payload sits in the b rows, a's in the a rows; the other rows are zero.
        let toA = try b.payload.map { try SharedTensor.concatenatedRows([$0, $0.zeroRows(nA)]) }
        let toB = try a.payload.map { try SharedTensor.concatenatedRows([$0.zeroRows(nB), $0]) }

        // Bits that travel with the scatter are injected as 0/1 in u8, all in one injection.
        var bitColumns = [valid]
        for case let .binary(k) in keys { bitColumns.append(k) }
        for case let .binary(p) in toA + toB { bitColumns.append(p) }
        var injected = try await joinInject(bitColumns)[...]

        // The sort key, least significant first: ¬valid, then every key bit.
        var sortBits = [notB(valid)]
        for key in keys {
            switch key {
            case let .arithmetic64(x): sortBits += try joinBits(try await a2bWords(x))
            case let .arithmetic128(x): sortBits += try joinBits(try await a2bWords(x))
            case let .binary(x): sortBits += joinColumns(x)
            }
        }
        let sigma = try await sortingPermutationA(packedBits: sortBits, count: n, ring: ring, flipTop: false, injectionBits: injectionBits)

        var mover = JoinColumns()
        let side = try publicA(Tensor(.u8, shape: [n], narrow: (0..<n).map { $0 < nB ? 0 : 1 })) as ArithmeticShare<UInt64>
        let sideSlot = try mover.add(.arithmetic64(side))
        let validSlot = try mover.add(.arithmetic64(injected.removeFirst()))
        let keySlots = try keys.map { key -> Int in
            if case .binary = key { return try mover.add(.arithmetic64(injected.removeFirst()), bitShape: key.shape) }
            return try mover.add(key)
        }
        let moved = try (toA + toB).map { column -> Int in
            if case .binary = column { return try mover.add(.arithmetic64(injected.removeFirst()), bitShape: column.shape) }
            return try mover.add(column)
        }
        let sorted = try await joinPermute(mover, by: sigma, gather: false)

        // The match bit of sorted rows i − 1, i, for i = 1 ..< n.
        let v = BinaryShare.lowestBits(try sorted[validSlot].arithmetic64("the validity column"))
        let s = BinaryShare.lowestBits(try sorted[sideSlot].arithmetic64("the side column"))
        let head = 0..<(n - 1), tail = 1..<n
        var conditions = [v.rows(head), v.rows(tail), notB(s.rows(head)), s.rows(tail)]
        for (slot, key) in zip(keySlots, keys) {
            switch key {
            case .arithmetic64:
                let x = try sorted[slot].arithmetic64("a key column")
                conditions.append(try await eqA(x.rows(tail), x.rows(head)))
            case .arithmetic128:
                let x = try sorted[slot].arithmetic128("a key column")
                conditions.append(try await eqA(x.rows(tail), x.rows(head)))
            case .binary:
                let bits = try mover.bits(sorted[slot])
                conditions += joinColumns(notB(try xorBB(bits.rows(tail), bits.rows(head))))
            }
        }
        let pairs = try await andAll(conditions)
        let zeroBit = v.zeroRows(1)
        let matchA = try BinaryShare.concatenatedRows([zeroBit, pairs])  // row i is the a row of pair (i − 1, i)
        let matchB = try BinaryShare.concatenatedRows([pairs, zeroBit])  // row i is the b row of pair (i, i + 1)

        // Each row's flag (a row: matched; b row: matched) and the payloads it receives.
        var products = JoinColumns()
        let flagSlot = try products.add(.arithmetic64(try publicA(Tensor.filled(.u8, shape: [n], residue: 1))))
        var masks = [try xorBB(matchA, matchB)]
        var received: [Int] = []
        for slot in moved {
            let value = sorted[slot]
            let toward = received.count < toA.count
            let shifted = try SharedTensor.concatenatedRows(toward ? [value.zeroRows(1), value.rows(head)] : [value.rows(tail), value.zeroRows(1)])
            received.append(try products.add(shifted, bitShape: mover.bitShape(slot)))
            masks.append(toward ? matchA : matchB)
        }
        let masked = try await joinTimes(products, masks)
        let back = try await joinPermute(masked, by: sigma, gather: true)

        let flag = BinaryShare.lowestBits(try back[flagSlot].arithmetic64("the match flag"))
        let rowsA = nB..<n, rowsB = 0..<nB
        var fromB: [SharedTensor] = [], fromA: [SharedTensor] = []
        for (j, slot) in received.enumerated() {
            let value = try masked.restored(back[slot], slot)
            if j < toA.count { fromB.append(value.rows(rowsA)) } else { fromA.append(value.rows(rowsB)) }
        }
        return (JoinDelivery(matched: flag.rows(rowsA), received: fromB), JoinDelivery(matched: flag.rows(rowsB), received: fromA))
    }

    /// The AND of equally shaped bit columns, as a tree of batched rounds. Collective.
    /// Communication: ``ABY3Cost/andAll(columns:count:)`` — ⌈log₂ c⌉ rounds for c columns.
    func andAll(_ columns: [BinaryShare]) async throws -> BinaryShare {
        guard !columns.isEmpty else { throw ConfideError(.invalidArgument, "andAll needs at least one column") }
        var level = columns
        while level.count > 1 {
            let pairs = stride(from: 0, to: level.count - 1, by: 2).map { (level[$0], level[$0 + 1]) }
            var next = try await andBBBatch(pairs)
            if level.count % 2 == 1 { next.append(level[level.count - 1]) }
            level = next
        }
        return level[0]
    }

    /// Checks the two sides of a join against each other.
    private func joinCheck(_ a: JoinSide, _ b: JoinSide) throws {
        guard !a.keys.isEmpty else { throw ConfideError(.invalidArgument, "joinMatch: a join needs at least one key column") }
        guard a.keys.count == b.keys.count else {
            throw ConfideError(.invalidArgument, "joinMatch: the tables have \(a.keys.count) and \(b.keys.count) key columns")
        }
        for side in [a, b] {
            guard side.valid.shape == [side.count] else {
                throw ConfideError(.shapeMismatch, "joinMatch: the validity column must be a bit vector, found \(side.valid.type)")
            }
            for column in side.keys + side.payload where column.shape.first != side.count {
                throw ConfideError(.shapeMismatch, "joinMatch: a column of type \(column.type) in a table of \(side.count) rows")
            }
        }
        for (x, y) in zip(a.keys, b.keys) {
            guard x.scalarType == y.scalarType, x.shape.dropFirst() == y.shape.dropFirst() else {
                throw ConfideError(.typeMismatch, "joinMatch: key columns of types \(x.type) and \(y.type)")
            }
            guard x.scalarType == .bit ? x.shape.count == 2 : x.shape.count == 1 else {
                throw ConfideError(.typeMismatch, "joinMatch: a key column must be an integer vector or a 2-dimensional bit array, found \(x.type)")
            }
        }
    }

    /// Bit columns as 0/1 in u8, of their own shapes, with one bit injection. Collective.
    private func joinInject(_ columns: [BinaryShare]) async throws -> [ArithmeticShare<UInt64>] {
        let all = try BinaryShare(
            shape: [columns.reduce(0) { $0 + $1.count }], first: PackedBitLayout.copy(columns.map { ($0.first, 0, $0.count) }),
            second: PackedBitLayout.copy(columns.map { ($0.second, 0, $0.count) }))
        let injected: ArithmeticShare<UInt64> = try await injectBit(all, as: .u8)
        var start = 0
        return columns.map { column in
            defer { start += column.count }
            let range = start..<(start + column.count)
            return ArithmeticShare(unchecked: .u8, shape: column.shape, first: Array(injected.first[range]), second: Array(injected.second[range]))
        }
    }

    /// Every bit of a word share as its own packed column, least significant first (local).
    private func joinBits<W: RingWord>(_ words: BitwiseShare<W>) throws -> [BinaryShare] {
        try (0..<words.scalarType.bits).map { try words.bit($0) }
    }

    /// The columns of an [n, w] bit array as w packed columns of n bits (local).
    private func joinColumns(_ x: BinaryShare) -> [BinaryShare] {
        let rows = x.shape[0], width = x.rowWidth
        let first = PackedBitLayout.transpose(x.first, rows: rows, columns: width)
        let second = PackedBitLayout.transpose(x.second, rows: rows, columns: width)
        return (0..<width).map { j in
            BinaryShare(
                unchecked: [rows], first: PackedBitLayout.copy([(first, j * rows, rows)]), second: PackedBitLayout.copy([(second, j * rows, rows)]))
        }
    }

    /// Moves the rows of every column by σ: a scatter (row i to row σ[i]) or a gather (row i from
    /// row σ[i]), one permutation application per word width. Collective.
    private func joinPermute(_ columns: JoinColumns, by sigma: ArithmeticShare<UInt64>, gather: Bool) async throws -> [SharedTensor] {
        let narrow = columns.narrow, wide = columns.wide
        let movedNarrow =
            narrow.isEmpty
            ? [] : gather ? try await applyPermutationA(narrow, permutation: sigma) : try await unapplyPermutationA(narrow, permutation: sigma)
        let movedWide =
            wide.isEmpty
            ? [] : gather ? try await applyPermutationA(wide, permutation: sigma) : try await unapplyPermutationA(wide, permutation: sigma)
        return columns.places.map { $0.wide ? .arithmetic128(movedWide[$0.index]) : .arithmetic64(movedNarrow[$0.index]) }
    }

    /// Every column times its row's bit of the matching mask (a mask [n] per column), with one
    /// ``mulAB(_:_:)`` per scalar type. Collective.
    private func joinTimes(_ columns: JoinColumns, _ masks: [BinaryShare]) async throws -> JoinColumns {
        var result = columns
        var order: [ScalarType] = []
        var groups: [ScalarType: [Int]] = [:]
        for (slot, place) in columns.places.enumerated() {
            let s = place.wide ? columns.wide[place.index].scalarType : columns.narrow[place.index].scalarType
            if groups[s] == nil { order.append(s) }
            groups[s, default: []].append(slot)
        }
        for s in order {
            let slots = groups[s] ?? []
            let bits = try BinaryShare.concatenatedRows(slots.map { masks[$0].repeatingEachBit(columns.rowWidth(of: $0)) })
            let indices = slots.map { columns.places[$0].index }
            if s.isWide {
                let products = try await joinTimes(indices.map { columns.wide[$0] }, bits)
                for (i, product) in zip(indices, products) { result.wide[i] = product }
            } else {
                let products = try await joinTimes(indices.map { columns.narrow[$0] }, bits)
                for (i, product) in zip(indices, products) { result.narrow[i] = product }
            }
        }
        return result
    }

    /// Columns of one scalar type times the concatenated masks, flattened into one ``mulAB(_:_:)``
    /// and split back into their shapes. Collective.
    private func joinTimes<W: RingWord>(_ parts: [ArithmeticShare<W>], _ bits: BinaryShare) async throws -> [ArithmeticShare<W>] {
        let product = try await mulAB(try ArithmeticShare.concatenatedRows(parts.map { try $0.reshaped([$0.count]) }), bits)
        var start = 0
        return try parts.map { part in
            defer { start += part.count }
            return try product.rows(start..<(start + part.count)).reshaped(part.shape)
        }
    }
}

/// Columns that move together through a permutation, kept apart by word width, with the bit
/// columns among them (carried as 0/1 in u8) remembered for their way back.
struct JoinColumns {
    var narrow: [ArithmeticShare<UInt64>] = []
    var wide: [ArithmeticShare<UInt128>] = []
    var places: [(wide: Bool, index: Int)] = []
    var bitShapes: [Int: [Int]] = [:]

    /// Adds a column (a bit column must come injected, with its shape as `bitShape`); returns its slot.
    /// - Throws: `.typeMismatch` for a bit column that was not injected.
    mutating func add(_ column: SharedTensor, bitShape: [Int]? = nil) throws -> Int {
        let slot = places.count
        switch column {
        case let .arithmetic128(x):
            places.append((true, wide.count))
            wide.append(x)
        case let .arithmetic64(x):
            places.append((false, narrow.count))
            narrow.append(x)
        case .binary:
            throw ConfideError(.typeMismatch, "joinMatch: bit columns move as 0/1 in u8")
        }
        if let bitShape { bitShapes[slot] = bitShape }
        return slot
    }

    func bitShape(_ slot: Int) -> [Int]? { bitShapes[slot] }

    func rowWidth(of slot: Int) -> Int {
        let place = places[slot]
        return place.wide ? wide[place.index].rowWidth : narrow[place.index].rowWidth
    }

    /// A moved bit column as bits again (local).
    func bits(_ moved: SharedTensor) throws -> BinaryShare {
        BinaryShare.lowestBits(try moved.arithmetic64("a bit column"))
    }

    /// A moved column in its own form: bit columns as bits, others as they are (local).
    func restored(_ moved: SharedTensor, _ slot: Int) throws -> SharedTensor {
        guard bitShapes[slot] != nil else { return moved }
        return .binary(try bits(moved))
    }
}
