#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The segment table of CipherCore's piecewise-linear approximations (`pwl/approx_pointwise.rs`
/// `create_approximation`), computed with CipherCore's single-precision arithmetic so that the
/// constants are bit-identical.
///
/// `2^logBuckets` equal segments cover `[left, right]`, plus one segment on each side; segment `i`
/// is `alphas[i] · x + betas[i]` with both scaled by `2^precision` (so the product carries
/// `2·precision` fractional bits). Integer arithmetic wraps as in CipherCore's release builds;
/// ``overflowed`` records whether any step wrapped (the constants are then meaningless).
struct PiecewiseLinearTable: Sendable, Equatable {
    var alphas: [Int64]
    var betas: [Int64]
    var overflowed: Bool

    /// The functions CipherCore approximates, with its interval and flattening choices.
    enum Function: String, Sendable, CaseIterable {
        case exponent = "ApproxExponent"
        case sigmoid = "ApproxSigmoid"
        case gelu = "ApproxGelu"
        case geluDerivative = "ApproxGeluDerivative"

        /// `[left, right]`: chosen by CipherCore so that `right − left` is a power of two.
        var interval: (left: Float, right: Float) {
            switch self {
            case .exponent: return (-16, 16)
            case .sigmoid: return (-8, 8)
            case .gelu, .geluDerivative: return (-4, 4)
            }
        }

        /// Whether the outer segments are constant (the function's value at the interval's end).
        var flatten: (left: Bool, right: Bool) {
            switch self {
            case .exponent, .gelu: return (true, false)
            case .sigmoid, .geluDerivative: return (true, true)
            }
        }

        /// The function in single precision, with CipherCore's formulas (GELU through tanh, its
        /// derivative after arXiv:2104.02523).
        func callAsFunction(_ x: Float) -> Float {
            switch self {
            case .exponent:
                return expf(x)
            case .sigmoid:
                return 1 / (1 + expf(-x))
            case .gelu:
                let t = (Float(2) / Float.pi).squareRoot() * (x + 0.044715 * x * x * x)
                let ex = expf(t)
                let emx = expf(-t)
                return 0.5 * x * (1 + (ex - emx) / (ex + emx))
            case .geluDerivative:
                let x3 = x * (x * x)
                let u = 0.0356774 * x3 + 0.797885 * x
                let c = coshf(u)
                return 0.5 * tanhf(u) + 0.5 + (0.0535161 * x3 + 0.398942 * x) * (1 / (c * c))
            }
        }
    }

    /// The table of `function` with `2^logBuckets` inner segments at `precision` fractional bits.
    init(_ function: Function, precision: Int, logBuckets: Int) {
        let (left, right) = function.interval
        let scale = 1 << logBuckets
        let unit = Float(Int32(truncatingIfNeeded: 1 << precision))
        var xs: [Int64] = []
        var ys: [Int64] = []
        for i in -1...(scale + 1) {
            let x = left + (right - left) * Float(i) / Float(scale)
            xs.append(Self.rustInt64(x * unit))
            ys.append(Self.rustInt64(function(x) * unit))
        }
        var overflowed = false
        func shifted(_ v: Int64) -> Int64 {
            let r = v &<< Int64(precision)
            if r >> Int64(precision) != v { overflowed = true }
            return r
        }
        var alphas: [Int64] = []
        var betas: [Int64] = []
        for i in 1..<xs.count {
            let (x0, x1, y0, y1) = (xs[i - 1], xs[i], ys[i - 1], ys[i])
            let (rise, o1) = y1.subtractingReportingOverflow(y0)
            let run = x1 &- x0
            let slope: Int64
            if run == 0 {
                overflowed = true
                slope = 0
            } else {
                let (q, o2) = shifted(rise).dividedReportingOverflow(by: run)
                slope = q
                overflowed = overflowed || o2
            }
            let (product, o3) = slope.multipliedReportingOverflow(by: x0)
            let (beta, o4) = shifted(y0).subtractingReportingOverflow(product)
            overflowed = overflowed || o1 || o3 || o4
            alphas.append(slope)
            betas.append(beta)
        }
        if function.flatten.left {
            alphas[0] = 0
            betas[0] = shifted(ys[0])
        }
        if function.flatten.right {
            alphas[alphas.count - 1] = 0
            betas[betas.count - 1] = shifted(ys[ys.count - 2])
        }
        self.alphas = alphas
        self.betas = betas
        self.overflowed = overflowed
    }

    /// Rust's saturating `f32 as i64` (NaN → 0).
    static func rustInt64(_ x: Float) -> Int64 {
        if x.isNaN { return 0 }
        if x >= 9.223372e18 { return .max }
        if x <= -9.223372e18 { return .min }
        return Int64(x)
    }

    /// Rust's saturating `f32 as u128` (NaN and negatives → 0).
    static func rustUInt128(_ x: Float) -> UInt128 {
        if x.isNaN || x <= 0 { return 0 }
        if x >= 3.4e38 { return .max }
        return UInt128(x)
    }
}
