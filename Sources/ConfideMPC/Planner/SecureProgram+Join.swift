import ConfideCore
import ConfideGraph

/// Join and JoinWithColumnMasks on secret-shared tables (``SecureJoinLayout``).
extension SecureProgram {
    /// The join of tables `a` and `b` with CipherCore's semantics (as the plaintext evaluator's
    /// `ExtendedJoin`), as shares: a sort-based oblivious join (``ABY3Party/joinMatch(_:_:injectionBits:)``),
    /// then every row multiplied by its factor. Public columns are shared first.
    ///
    /// Collective: every party calls this with tables of the same types.
    /// Communication: ``SecureJoinLayout/cost(injectionBits:)``.
    /// Reveals: the table sizes (public already) and the join kernel's uniformly random shuffled
    /// permutations: neither which rows matched nor how many. Keys must be unique among the rows
    /// with content of each table; with duplicates a row matches at most one row (see `joinMatch`),
    /// which nobody can check without revealing the keys.
    func joined(_ a: SecureValue, _ b: SecureValue, arguments: JSONValue, withColumnMasks: Bool, outputType: ValueType, party: ABY3Party) async throws -> SecureValue {
        let layout = try SecureJoinLayout(a.type, b.type, arguments: arguments, withColumnMasks: withColumnMasks)
        let tableA = try columns(a, party: party), tableB = try columns(b, party: party)
        func side(_ table: SharedTable, keys: [String], delivered: [SecureJoinLayout.Column]) async throws -> JoinSide {
            var valid = table.null
            if withColumnMasks, table.rows > 0 { valid = try await party.andAll([table.null] + keys.map { table.masks[$0]! }) }
            let keyColumns = try keys.map { header -> SharedTensor in
                let data = table.data[header]!
                guard case let .binary(bits) = data, bits.shape.count != 2 else { return data }
                return .binary(try bits.reshaped([bits.shape[0], bits.count / max(bits.shape[0], 1)]))
            }
            let payload = delivered.flatMap { c in [table.data[c.header]!] + (c.hasMask ? [SharedTensor.binary(table.masks[c.header]!)] : []) }
            return JoinSide(keys: keyColumns, valid: valid, payload: payload)
        }
        let sideA = try await side(tableA, keys: layout.keysA, delivered: layout.deliveredToB)
        let sideB = try await side(tableB, keys: layout.keysB, delivered: layout.deliveredToA)
        let (toA, toB) = try await party.joinMatch(sideA, sideB)

        // Row factors, then every kept column (and mask) times its factor, in one batch.
        let factorA: BinaryShare
        switch layout.joinType {
        case "Inner": factorA = toA.matched
        case "Left": factorA = tableA.null
        default: factorA = layout.rowsA > 0 ? try await party.andBB(tableA.null, party.notB(toA.matched)) : tableA.null
        }
        let twoParts = layout.joinType == "Union" || layout.joinType == "Full"
        struct Kept {
            var fromA: Bool
            var header: String
            var mask: BinaryShare?
            var data: SharedTensor
            var factor: BinaryShare
        }
        var kept = layout.columnsA.map { Kept(fromA: true, header: $0.header, mask: tableA.masks[$0.header], data: tableA.data[$0.header]!, factor: factorA) }
        if twoParts {
            kept += layout.columnsB.map { Kept(fromA: false, header: $0.header, mask: tableB.masks[$0.header], data: tableB.data[$0.header]!, factor: tableB.null) }
        }
        let deliveredColumns = layout.joinType == "Full" ? layout.deliveredToB : layout.deliveredToA
        var received = (layout.joinType == "Full" ? toB.received : toA.received)[...]
        var deliveredParts: [(header: String, mask: BinaryShare?, data: SharedTensor)] = []
        for c in deliveredColumns {
            let data = received.removeFirst()
            deliveredParts.append((c.header, c.hasMask ? try received.removeFirst().binary("a delivered mask") : nil, data))
        }
        // Kept masks ANDed with their row factors, in one batch; then the data times the new mask
        // (an empty entry holds zero) or the factor, and delivered data times its delivered mask.
        let masked = kept.indices.filter { kept[$0].mask != nil && kept[$0].factor.count > 0 }
        for (i, mask) in zip(masked, try await party.andBBBatch(masked.map { (kept[$0].mask!, kept[$0].factor) })) { kept[i].mask = mask }
        var items = kept.map { ($0.data, $0.mask ?? $0.factor) }
        for part in deliveredParts where part.mask != nil { items.append((part.data, part.mask!)) }
        var factored = try await multiplied(items, party: party)[...]
        var partA: [String: (mask: SharedTensor?, data: SharedTensor)] = [:]
        var partB: [String: (mask: SharedTensor?, data: SharedTensor)] = [:]
        for item in kept {
            let entry = (item.mask.map { SharedTensor.binary($0) }, factored.removeFirst())
            if item.fromA { partA[item.header] = entry } else { partB[item.header] = entry }
        }
        // Delivered columns arrive as zero rows where nothing matched: no factor needed without masks.
        var delivered: [String: (mask: SharedTensor?, data: SharedTensor)] = [:]
        for part in deliveredParts {
            delivered[part.header] = (part.mask.map { .binary($0) }, part.mask == nil ? part.data : factored.removeFirst())
        }

        guard case let .namedTuple(fields) = outputType else { throw ConfideError(.typeMismatch, "a join's result must be a named tuple") }
        let keyOf = Dictionary(layout.keys, uniquingKeysWith: { first, _ in first })
        let nullA = layout.joinType == "Left" ? tableA.null : factorA
        var result: [(name: String, value: SecureValue)] = []
        for field in fields {
            let header = field.name
            if header == TypeInference.nullColumnHeader {
                let null: BinaryShare = twoParts ? try BinaryShare.concatenatedRows([nullA, tableB.null]) : nullA
                result.append((header, .shared(.binary(null))))
                continue
            }
            // a's rows: a's column, or b's delivered column, or empty entries.
            let first: (mask: SharedTensor?, data: SharedTensor)
            if let own = partA[header] {
                first = own
            } else if let got = delivered[header], !twoParts {
                first = got
            } else {
                let template = partB[header] ?? delivered[header]!
                first = (template.mask?.zeroRows(layout.rowsA), template.data.zeroRows(layout.rowsA))
            }
            var column = first
            if twoParts {
                // b's rows: b's key under a's key header, b's own column, a's delivered column (Full) or empty entries.
                let second: (mask: SharedTensor?, data: SharedTensor)
                if let header1 = keyOf[header] {
                    second = partB[header1]!
                } else if let own = partB[header] {
                    second = own
                } else if let got = delivered[header] {
                    second = got
                } else {
                    second = (first.mask?.zeroRows(layout.rowsB), first.data.zeroRows(layout.rowsB))
                }
                column = (
                    try first.mask.map { try SharedTensor.concatenatedRows([$0, second.mask!]) },
                    try SharedTensor.concatenatedRows([first.data, second.data])
                )
            }
            let data = SecureValue.shared(try column.data.reshapedRows(like: field.type, masked: withColumnMasks))
            result.append((header, column.mask.map { .tuple([.shared($0), data]) } ?? data))
        }
        return .namedTuple(result)
    }

    /// A table's columns as shares: the null column, each data column and (with masks) each mask.
    private struct SharedTable {
        var null: BinaryShare
        var data: [String: SharedTensor] = [:]
        var masks: [String: BinaryShare] = [:]
        var rows: Int { null.count }
    }

    private func columns(_ table: SecureValue, party: ABY3Party) throws -> SharedTable {
        guard case let .namedTuple(fields) = table.type, let children = table.children else {
            throw ConfideError(.typeMismatch, "a join's table must be a named tuple, found \(table.type)")
        }
        var null: BinaryShare?
        var data: [String: SharedTensor] = [:]
        var masks: [String: BinaryShare] = [:]
        for (field, child) in zip(fields, children) {
            if field.name == TypeInference.nullColumnHeader {
                null = try tensor(child, party: party).binary("the null column")
            } else if case .tuple = field.type, let parts = child.children, parts.count == 2 {
                masks[field.name] = try tensor(parts[0], party: party).binary("the mask of column '\(field.name)'")
                data[field.name] = try tensor(parts[1], party: party)
            } else {
                data[field.name] = try tensor(child, party: party)
            }
        }
        guard let null else { throw ConfideError(.typeMismatch, "a join's table has no null column") }
        return SharedTable(null: null, data: data, masks: masks)
    }

    /// Each column times its row factor (a bit per row): one `mulAB` per scalar type over all of
    /// that type's columns and one batched AND for the bit columns (``SecureJoinLayout/factorCost(_:)``). Collective.
    private func multiplied(_ items: [(SharedTensor, BinaryShare)], party: ABY3Party) async throws -> [SharedTensor] {
        var results = [SharedTensor?](repeating: nil, count: items.count)
        // Each factor, repeated over its column's row elements.
        let factors = try items.map { column, factor -> BinaryShare in
            let width = column.shape.dropFirst().reduce(1, *)
            return try factor.reshaped([factor.count, 1]).repeatingEachBit(width)
        }
        for scalar in ScalarType.allCases where scalar != .bit {
            let group = items.indices.filter { items[$0].0.scalarType == scalar && items[$0].0.shape.reduce(1, *) > 0 }
            guard !group.isEmpty else { continue }
            let flat = try SharedTensor.concatenatedRows(group.map { try items[$0].0.flattened() })
            let bits = try BinaryShare.concatenatedRows(group.map { try factors[$0].reshaped([factors[$0].count]) })
            let product: SharedTensor
            switch flat {
            case let .arithmetic64(x): product = .arithmetic64(try await party.mulAB(x, bits))
            case let .arithmetic128(x): product = .arithmetic128(try await party.mulAB(x, bits))
            case .binary: throw ConfideError(.typeMismatch, "a bit column among \(scalar) columns")
            }
            var offset = 0
            for i in group {
                let count = items[i].0.shape.reduce(1, *)
                results[i] = try product.rows(offset..<(offset + count)).reshapedRows(to: items[i].0.shape)
                offset += count
            }
        }
        let bitGroup = items.indices.filter { items[$0].0.scalarType == .bit && items[$0].0.shape.reduce(1, *) > 0 }
        let anded = try await party.andBBBatch(
            try bitGroup.map { i in (try items[i].0.binary("a bit column").reshaped([items[i].0.shape.reduce(1, *)]), try factors[i].reshaped([factors[i].count])) })
        for (i, bits) in zip(bitGroup, anded) { results[i] = .binary(try bits.reshaped(items[i].0.shape)) }
        return items.indices.map { results[$0] ?? items[$0].0 }
    }
}

extension SharedTensor {
    /// The same elements as a vector (local).
    fileprivate func flattened() throws -> SharedTensor { try reshapedRows(to: [shape.reduce(1, *)]) }

    /// The same elements in `shape` (local).
    fileprivate func reshapedRows(to shape: [Int]) throws -> SharedTensor {
        switch self {
        case let .arithmetic64(s): return .arithmetic64(try s.reshaped(shape))
        case let .arithmetic128(s): return .arithmetic128(try s.reshaped(shape))
        case let .binary(s): return .binary(try s.reshaped(shape))
        }
    }

    /// The column in the data shape of `type` (a column type, with or without its mask).
    fileprivate func reshapedRows(like type: ValueType, masked: Bool) throws -> SharedTensor {
        var data = type
        if masked, case let .tuple(parts) = type { data = parts[1] }
        guard let shape = data.shape, shape != self.shape else { return self }
        return try reshapedRows(to: shape)
    }
}
