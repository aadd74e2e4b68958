import ConfideCore
import ConfideGraph

/// Randomness inside a secure program: `Random` and `RandomPermutation` are generated jointly by
/// the three parties, so that no party learns them.
///
/// Reveals: nothing. Each value is secret from the start, whatever the visibility of the rest of
/// the graph; it leaves its shares only through the declared output, like any other secret.
extension SecureProgram {
    /// Whether `operation` is randomness the parties generate jointly (always a secret).
    static func isJointRandomness(_ operation: Operation) -> Bool {
        switch operation {
        case .random, .randomPermutation: return true
        default: return false
        }
    }

    /// `Random(type)`: a uniformly random value of `type` that no party knows.
    ///
    /// Share algebra: component r_i = F(k_i) of every tensor comes from the pairwise PRG stream
    /// that parties i and i − 1 hold (``ABY3Party/randomShare(_:shape:)``, ``ABY3Party/randomBits(shape:)``);
    /// each party holds two of the three components and the third is uniform and independent of
    /// its view, so the sum (XOR for bits) is uniform given what any one party sees.
    ///
    /// Collective: the parties draw in step. Communication: none.
    func randomValue(_ type: ValueType, party: ABY3Party) throws -> SecureValue {
        switch type {
        case let .scalar(s), let .array(_, s):
            let shape = type.shape!
            if s == .bit { return .shared(.binary(try party.randomBits(shape: shape))) }
            if s.isWide { return .shared(.arithmetic128(try party.randomShare(s, shape: shape))) }
            return .shared(.arithmetic64(try party.randomShare(s, shape: shape)))
        case let .tuple(items):
            return .tuple(try items.map { try randomValue($0, party: party) })
        case let .namedTuple(fields):
            return .namedTuple(try fields.map { (name: $0.name, value: try randomValue($0.type, party: party)) })
        case let .vector(count, element):
            return .vector(elementType: element, try (0..<count).map { _ in try randomValue(element, party: party) })
        }
    }

    /// `RandomPermutation(n)`: a uniformly random permutation of 0..<n as a secret u64[n] that no
    /// party knows.
    ///
    /// Share algebra: the public identity (0, 1, …, n − 1) shuffled by ``ABY3Party/shuffleA(_:)``,
    /// which composes one permutation per pair of parties; every party misses one of them, and each is
    /// uniform, so the composition is uniform given any one party's view.
    ///
    /// Collective. Communication: ``ABY3Cost/randomPermutation(count:)`` (one shuffle of a u64 column).
    func randomPermutation(_ n: Int, party: ABY3Party) async throws -> SharedTensor {
        let identity = Tensor(.u64, shape: [n], wrapping: (0..<n).map { Int128($0) })
        let shared = try party.sharePublic(identity).arithmetic64("RandomPermutation")
        return .arithmetic64(try await party.shuffleA([shared]).columns[0])
    }
}
