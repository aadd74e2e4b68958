import ConfideCore

/// The starting points of CipherCore's Newton and Goldschmidt iterations, built from the bits of
/// the divisor (`inverse_initial_approximation`, `inverse_sqrt_initial_approximation` and their
/// `cumulative_or` helper in CipherCore's `ops/utils.rs`).
///
/// Both find the highest set bit of the divisor among its low bits with a suffix OR over the bit
/// axis, and return a power of two from it. Bits above the considered range are not masked: a
/// divisor outside the documented range gives a meaningless approximation (as in CipherCore).
enum InitialApproximationExpansion {
    /// For `0 < d < 2^cap`: `2^(cap - 1 - h)` where `h` is the index of the highest set bit of `d`,
    /// so `2^(cap-1) <= d · result < 2^cap`: `2^cap / d` within a factor of two.
    /// - Parameters:
    ///   - divisor: a u64/i64 (or 128-bit) scalar or array node.
    ///   - cap: `denominator_cap_2k` (at least 1).
    /// - Returns: a node of the divisor's type.
    static func inverse(_ e: inout ExpansionEmitter, divisor: Int, cap: Int) throws -> Int {
        let scalar = e.scalar(divisor)
        let bits = try e.pullOutBits(try e.a2b(divisor))
        let highest = try highestOneBit(&e, bits, significantBits: cap)
        var digits: [Int] = []
        for i in 0..<cap {
            digits.append(try e.get(highest, [cap - i - 1]))
        }
        return try assemble(&e, digits, scalar)
    }

    /// For `0 < d < 4^cap`: `2^(cap - 1 - k)` where `k` is the index of the highest non-zero
    /// base-4 digit of `d`, so `result < 2^cap / sqrt(d) <= 2 · result`: within a factor of two.
    /// - Parameters:
    ///   - divisor: a u64/i64 scalar or array node.
    ///   - cap: `denominator_cap_2k` (at least 1; 2·cap bits of `d` are examined).
    /// - Returns: a node of the divisor's type.
    static func inverseSqrt(_ e: inout ExpansionEmitter, divisor: Int, cap: Int) throws -> Int {
        let scalar = e.scalar(divisor)
        let bits = try e.pullOutBits(try e.a2b(divisor))
        let highest = try highestOneBit(&e, bits, significantBits: 2 * cap)
        var digits: [Int] = []
        for i in 0..<cap {
            let upper = try e.get(highest, [2 * cap - 2 * i - 1])
            let lower = try e.get(highest, [2 * cap - 2 * i - 2])
            digits.append(try e.add(upper, lower))
        }
        return try assemble(&e, digits, scalar)
    }

    /// One-hot (along the first axis) of the highest set bit among the first `significantBits`
    /// rows of `bits` (bits on the first axis, least significant first); `significantBits` rows.
    private static func highestOneBit(_ e: inout ExpansionEmitter, _ bits: Int, significantBits n: Int) throws -> Int {
        let suffixOr = try cumulativeOr(&e, bits, n)
        let low = try e.rows(suffixOr, nil, n)
        let high = try e.rows(suffixOr, 1, n + 1)
        return try e.add(low, high)
    }

    /// Row `j` of the result is the OR of rows `j ..< j + 2^⌈log2 n⌉` of `data` (zero-padded at the
    /// end so that at least `n + 1` rows remain), computed as a NOT-AND-NOT doubling scan.
    private static func cumulativeOr(_ e: inout ExpansionEmitter, _ data: Int, _ n: Int) throws -> Int {
        var dims = e.shape(data)
        let length = dims[0]
        let width = nextPowerOfTwo(n)
        let padding: Int
        if n > length {
            padding = n - length + width
        } else {
            let extra = length - n
            padding = width > extra ? width - extra : 0
        }
        var padded = data
        if padding != 0 {
            dims[0] = padding
            let zeros = try e.zeros(.array(dims, e.scalar(data)))
            padded = try e.concatenate([data, zeros], axis: 0)
        }
        let one = try e.ones(.scalar(.bit))
        var suffix = try e.add(padded, one)
        var shift = 1
        while shift < width {
            let head = try e.rows(suffix, nil, -shift)
            let tail = try e.rows(suffix, shift, nil)
            suffix = try e.multiply(head, tail)
            shift *= 2
        }
        return try e.add(suffix, one)
    }

    /// The number whose low bits are `digits` (least significant first) and whose other bits are 0.
    private static func assemble(_ e: inout ExpansionEmitter, _ digits: [Int], _ scalar: ScalarType) throws -> Int {
        var all = digits
        let zero = try e.zeros(e.type(digits[0]))
        while all.count < scalar.bits { all.append(zero) }
        let stacked = try e.stack(all)
        return try e.b2a(try e.putInBits(stacked), scalar)
    }

    /// The smallest power of two >= n (1 for n <= 1), as Rust's `next_power_of_two`.
    static func nextPowerOfTwo(_ n: Int) -> Int {
        var p = 1
        while p < n { p *= 2 }
        return p
    }
}
