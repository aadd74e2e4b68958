import ConfideCore

/// Shamir secret sharing of byte strings over GF(2^8) (each byte its own polynomial of degree
/// threshold − 1), with share points x = 1...255. Coefficients come from a keyed AES-CTR stream
/// keyed from the operating system's entropy.
public enum FLShamir {
    private static let tables: (exp: [UInt8], log: [UInt8]) = {
        var exp = [UInt8](repeating: 0, count: 512)
        var log = [UInt8](repeating: 0, count: 256)
        var x: UInt8 = 1
        for i in 0..<255 {
            exp[i] = x
            log[Int(x)] = UInt8(i)
            // Multiply by the generator 3 modulo x^8 + x^4 + x^3 + x + 1.
            let doubled = (x << 1) ^ ((x & 0x80) != 0 ? 0x1b : 0)
            x = doubled ^ x
        }
        for i in 255..<512 { exp[i] = exp[i - 255] }
        return (exp, log)
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return tables.exp[Int(tables.log[Int(a)]) + Int(tables.log[Int(b)])]
    }

    static func divide(_ a: UInt8, _ b: UInt8) -> UInt8 {
        precondition(b != 0)
        if a == 0 { return 0 }
        return tables.exp[Int(tables.log[Int(a)]) + 255 - Int(tables.log[Int(b)])]
    }

    /// Shares of `secret` at x = 1...count.
    /// - Throws: `.invalidArgument` unless 1 ≤ threshold ≤ count ≤ 255.
    public static func split(_ secret: [UInt8], threshold: Int, count: Int) throws -> [(x: UInt8, share: [UInt8])] {
        guard threshold >= 1, threshold <= count, count <= 255 else {
            throw ConfideError(.invalidArgument, "Shamir sharing needs 1 ≤ threshold (\(threshold)) ≤ shares (\(count)) ≤ 255")
        }
        var generator = AESCTRGenerator.fromSystemEntropy()
        var coefficients = [UInt8](repeating: 0, count: secret.count * (threshold - 1))
        generator.fill(&coefficients)
        return (1...count).map { point in
            let x = UInt8(point)
            var share = [UInt8](repeating: 0, count: secret.count)
            for byte in secret.indices {
                // Horner: a_{t-1} x^{t-1} + ... + a_1 x + secret.
                var y: UInt8 = 0
                for k in stride(from: threshold - 2, through: 0, by: -1) {
                    y = multiply(y, x) ^ coefficients[byte * (threshold - 1) + k]
                }
                share[byte] = multiply(y, x) ^ secret[byte]
            }
            return (x, share)
        }
    }

    /// The secret from at least `threshold` shares with distinct points (Lagrange interpolation at 0;
    /// only the first `threshold` shares are used).
    /// - Throws: `.invalidArgument` for fewer shares than the threshold, repeated or zero points, or shares of different lengths.
    public static func combine(_ shares: [(x: UInt8, share: [UInt8])], threshold: Int) throws -> [UInt8] {
        guard shares.count >= threshold, threshold >= 1 else {
            throw ConfideError(.invalidArgument, "\(shares.count) shares cannot reconstruct a secret with threshold \(threshold)")
        }
        return try interpolate(Array(shares.prefix(threshold)), at: 0)
    }

    /// The value at `x` of the polynomials through `shares` (their degree is below `shares.count`):
    /// the secret at x = 0, the share another point should hold elsewhere.
    /// - Throws: `.invalidArgument` for no shares, repeated or zero points, or shares of different lengths.
    public static func interpolate(_ shares: [(x: UInt8, share: [UInt8])], at x: UInt8) throws -> [UInt8] {
        guard Set(shares.map(\.x)).count == shares.count, !shares.contains(where: { $0.x == 0 }),
            let length = shares.first?.share.count, shares.allSatisfy({ $0.share.count == length })
        else { throw ConfideError(.invalidArgument, "Shamir shares have repeated points or different lengths") }
        var value = [UInt8](repeating: 0, count: length)
        for (i, a) in shares.enumerated() {
            // Lagrange basis at x: Π (x − x_j) / (x_i − x_j); subtraction is xor in GF(2^8).
            var basis: UInt8 = 1
            for (j, b) in shares.enumerated() where j != i { basis = multiply(basis, divide(x ^ b.x, b.x ^ a.x)) }
            for byte in 0..<length { value[byte] ^= multiply(basis, a.share[byte]) }
        }
        return value
    }
}
