import ConfideCore

/// Applying secret-shared permutations to shared columns (eprint 2019/695, "applying a shared
/// permutation"): shuffle the permutation with a secret random ρ, open the shuffled permutation —
/// a uniformly random permutation that says nothing about the secret one — and use it in clear.
///
/// A shared permutation of n rows is a vector p of shape [n] of an unsigned or signed integer ring
/// whose residues are a permutation of 0..<n.
extension ABY3Party {
    /// Gathers rows by a shared permutation: row i of each output column is row p[i] of the input
    /// column (CipherCore `ApplyPermutation` with `inverse = false`).
    ///
    /// Share algebra (2019/695): (p', ρ) = shuffle(p), so p'[r] = p[ρ(r)]; open p'; locally
    /// z[r] = x[p'[r]] = out[ρ(r)]; out = unshuffle_ρ(z).
    ///
    /// Collective: every party calls this in the same order with shares of the same types.
    /// Communication: ``ABY3Cost/applyPermutationA(count:permutationType:columnBytes:)``: 7 rounds
    /// (shuffle 3, opening 1, unshuffle 3).
    /// Reveals: p∘ρ to all parties, a uniformly random permutation independent of p (ρ is uniform
    /// and unknown to each party); nothing else. If p is not a permutation, that fact is revealed.
    /// - Parameters:
    ///   - columns: shares whose first dimension is n.
    ///   - permutation: the shared permutation, shape [n].
    /// - Throws: `.shapeMismatch` / `.typeMismatch` for a permutation that is not a vector of n
    ///   integers of a ring with room for n, or columns of another first dimension; `.invalidArgument`
    ///   for no columns or when the opened vector is not a permutation; the communicator's errors.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func applyPermutationA<W: RingWord>(
        _ columns: [ArithmeticShare<W>], permutation: ArithmeticShare<UInt64>
    ) async throws -> [ArithmeticShare<W>] {
        let n = try permutationCheck(permutation, columns.map(\.shape), "applyPermutationA")
        let (shuffled, _, secret) = try await shuffleColumns([permutation], [ArithmeticShare<W>](), undoing: nil, kernel: "applyPermutationA")
        let opened = try await permutationOpen(shuffled[0], "applyPermutationA")
        let gathered = columns.map { permutationRows($0, opened, rows: n, scatter: false) }
        return try await shuffleColumns([ArithmeticShare<UInt64>](), gathered, undoing: secret, kernel: "applyPermutationA").1
    }

    /// Scatters rows by a shared permutation of destinations: row i of each input column becomes
    /// row p[i] of the output column (CipherCore `ApplyPermutation` with `inverse = true`).
    ///
    /// Share algebra (2019/695): shuffle p and the columns together, so p'[r] = p[ρ(r)] and
    /// x'[r] = x[ρ(r)]; open p'; locally out[p'[r]] = x'[r], that is out[p[i]] = x[i].
    ///
    /// Collective. Communication: ``ABY3Cost/unapplyPermutationA(count:permutationType:columnBytes:)``:
    /// 4 rounds (joint shuffle 3, opening 1).
    /// Reveals: p∘ρ to all parties, uniformly random and independent of p; nothing else (as
    /// ``applyPermutationA(_:permutation:)``).
    /// - Parameters:
    ///   - columns: shares whose first dimension is n.
    ///   - permutation: the shared destinations, shape [n].
    /// - Throws: as ``applyPermutationA(_:permutation:)``.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func unapplyPermutationA<W: RingWord>(
        _ columns: [ArithmeticShare<W>], permutation: ArithmeticShare<UInt64>
    ) async throws -> [ArithmeticShare<W>] {
        let n = try permutationCheck(permutation, columns.map(\.shape), "unapplyPermutationA")
        let (shuffledP, shuffled, _) = try await shuffleColumns([permutation], columns, undoing: nil, kernel: "unapplyPermutationA")
        let opened = try await permutationOpen(shuffledP[0], "unapplyPermutationA")
        return shuffled.map { permutationRows($0, opened, rows: n, scatter: true) }
    }

    /// Checks a shared permutation against the columns; returns n.
    /// - Throws: `.invalidArgument`, `.shapeMismatch`, `.typeMismatch` as the kernels document.
    func permutationCheck(_ p: ArithmeticShare<UInt64>, _ shapes: [[Int]], _ kernel: String) throws -> Int {
        guard p.shape.count == 1 else {
            throw ConfideError(.shapeMismatch, "\(kernel): the permutation must be a vector, found \(p.type)")
        }
        let n = p.shape[0]
        guard p.scalarType != .bit, n <= 1 || n - 1 <= Int(clamping: p.scalarType.mask64) else {
            throw ConfideError(.typeMismatch, "\(kernel): a permutation of \(n) rows does not fit in \(p.scalarType)")
        }
        guard try shuffleRowCount(shapes, kernel) == n else {
            throw ConfideError(.shapeMismatch, "\(kernel): the permutation has type \(p.type), the columns have shapes \(shapes)")
        }
        return n
    }

    /// Opens a shuffled shared permutation to every party and checks it.
    /// Communication: 1 round, n·w bytes per party.
    /// - Throws: `.invalidArgument` when the opened vector is not a permutation of 0..<n.
    func permutationOpen(_ p: ArithmeticShare<UInt64>, _ kernel: String) async throws -> [Int] {
        // comm: 1 round, n·w bytes to the predecessor (inside revealA)
        guard let words = try await revealA(p, to: [0, 1, 2])?.narrowWords else {
            throw ConfideError(.protocolViolation, "\(kernel): the permutation did not open")
        }
        let n = words.count
        var seen = [Bool](repeating: false, count: n)
        var out = [Int](repeating: 0, count: n)
        for (i, w) in words.enumerated() {
            guard w < UInt64(n), !seen[Int(w)] else {
                throw ConfideError(.invalidArgument, "\(kernel): the shared vector is not a permutation of 0..<\(n)")
            }
            seen[Int(w)] = true
            out[i] = Int(w)
        }
        return out
    }

    /// A share with its rows permuted by a public permutation (local): `out[r] = in[p[r]]`, or
    /// with `scatter` `out[p[r]] = in[r]`.
    func permutationRows<W: RingWord>(_ x: ArithmeticShare<W>, _ p: [Int], rows: Int, scatter: Bool) -> ArithmeticShare<W> {
        ArithmeticShare(
            unchecked: x.scalarType, shape: x.shape, first: Self.shufflePermuteRows(x.first, p, rows: rows, scatter: scatter),
            second: Self.shufflePermuteRows(x.second, p, rows: rows, scatter: scatter))
    }
}
