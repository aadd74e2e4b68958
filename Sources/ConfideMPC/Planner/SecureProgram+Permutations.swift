import ConfideCore
import ConfideGraph

/// ApplyPermutation and InversePermutation on secrets, with a public or a secret-shared permutation.
extension SecureProgram {
    /// `ApplyPermutation(inverse)(x, p)`: `out[i] = x[p[i]]` (or `out[p[i]] = x[i]` with `inverse`).
    ///
    /// A public p permutes each share component's rows locally (no communication, reveals nothing).
    /// A secret p runs ``ABY3Party/applyPermutationA(_:permutation:)`` or
    /// ``ABY3Party/unapplyPermutationA(_:permutation:)`` (eprint 2019/695). Collective.
    /// Reveals: with a secret p, p composed with a uniformly random secret permutation (nothing
    /// about p), and whether p is a permutation at all.
    /// - Throws: `.unsupportedOperation` for bits permuted by a secret permutation; the kernels' errors.
    func permuted(_ x: SecureValue, by p: SecureValue, inverse: Bool, party: ABY3Party) async throws -> SharedTensor {
        let values = try tensor(x, party: party)
        if let plain = p.publicValue {
            return try linear(.applyPermutation(inverse: inverse), [values], publicArguments: [plain])
        }
        let permutation = try tensor(p, party: party).arithmetic64("ApplyPermutation (the permutation)")
        switch values {
        case let .arithmetic64(a):
            return .arithmetic64(try await (inverse ? party.unapplyPermutationA([a], permutation: permutation) : party.applyPermutationA([a], permutation: permutation))[0])
        case let .arithmetic128(a):
            return .arithmetic128(try await (inverse ? party.unapplyPermutationA([a], permutation: permutation) : party.applyPermutationA([a], permutation: permutation))[0])
        case .binary:
            throw ConfideError(.unsupportedOperation, "ApplyPermutation of bits by a secret permutation is not supported; convert the bits with B2A first")
        }
    }

    /// `InversePermutation(p)` of a secret p: q with `q[p[i]] = i`, the public identity scattered
    /// by p (``ABY3Party/unapplyPermutationA(_:permutation:)``). Collective. Reveals: as
    /// ``permuted(_:by:inverse:party:)`` with a secret p.
    func inverted(_ p: SecureValue, party: ABY3Party) async throws -> SharedTensor {
        let permutation = try tensor(p, party: party).arithmetic64("InversePermutation")
        let n = permutation.shape.first ?? 0
        let identity = Tensor(permutation.scalarType, shape: [n], wrapping: (0..<n).map { Int128($0) })
        let shared = try party.sharePublic(identity).arithmetic64("InversePermutation")
        return .arithmetic64(try await party.unapplyPermutationA([shared], permutation: permutation)[0])
    }
}
