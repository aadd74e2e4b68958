import ConfideCore
import Testing

@testable import ConfideGraph

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An independent reference of CipherCore's piecewise-linear approximation: the segment table
/// from CipherCore's single-precision formulas, and the segment chosen arithmetically from
/// `(x − left·2^p) / width` (instead of the expansion's bit tree).
struct PiecewiseReference: Sendable {
    let name: String
    let left: Float, right: Float
    let flattenLeft: Bool, flattenRight: Bool
    let function: @Sendable (Float) -> Float
    let real: @Sendable (Double) -> Double

    static let all: [PiecewiseReference] = [
        .init(name: "ApproxExponent", left: -16, right: 16, flattenLeft: true, flattenRight: false, function: { expf($0) }, real: { exp($0) }),
        .init(name: "ApproxSigmoid", left: -8, right: 8, flattenLeft: true, flattenRight: true, function: { 1 / (1 + expf(-$0)) }, real: { 1 / (1 + exp(-$0)) }),
        .init(
            name: "ApproxGelu", left: -4, right: 4, flattenLeft: true, flattenRight: false,
            function: { x in
                let t = (2 / Float.pi).squareRoot() * (x + 0.044715 * x * x * x)
                return 0.5 * x * (1 + (expf(t) - expf(-t)) / (expf(t) + expf(-t)))
            },
            real: { x in 0.5 * x * (1 + erf(x / 2.0.squareRoot())) }),
        .init(
            name: "ApproxGeluDerivative", left: -4, right: 4, flattenLeft: true, flattenRight: true,
            function: { x in
                let x3 = x * x * x
                let c = coshf(0.0356774 * x3 + 0.797885 * x)
                return 0.5 * tanhf(0.0356774 * x3 + 0.797885 * x) + 0.5 + (0.0535161 * x3 + 0.398942 * x) * (1 / (c * c))
            },
            real: { x in
                0.5 * (1 + erf(x / 2.0.squareRoot())) + x * exp(-x * x / 2) / (2 * Double.pi).squareRoot()
            }),
    ]

    func operation(precision: Int, logBuckets: Int) -> CustomOperation {
        var parameters: [(String, JSONValue)] = [("precision", .int(UInt64(precision)))]
        if name != "ApproxExponent" { parameters.append(("approximation_log_buckets", .int(UInt64(logBuckets)))) }
        return CustomOperation(name, parameters: parameters)
    }

    /// (alphas, betas): segment i is alphas[i]·x + betas[i] at 2·p fractional bits.
    func table(precision p: Int, logBuckets b: Int) -> ([Int64], [Int64]) {
        let unit = Float(1 << p)
        let points = (-1...((1 << b) + 1)).map { i -> (Int64, Int64) in
            let x = left + (right - left) * Float(i) / Float(1 << b)
            return (Int64(x * unit), Int64(function(x) * unit))
        }
        var alphas: [Int64] = [], betas: [Int64] = []
        for i in 1..<points.count {
            let ((x0, y0), (x1, y1)) = (points[i - 1], points[i])
            let c = ((y1 - y0) << Int64(p)) / (x1 - x0)
            alphas.append(c)
            betas.append((y0 << Int64(p)) - c * x0)
        }
        if flattenLeft { (alphas[0], betas[0]) = (0, points[0].1 << Int64(p)) }
        if flattenRight { (alphas[alphas.count - 1], betas[betas.count - 1]) = (0, points[points.count - 2].1 << Int64(p)) }
        return (alphas, betas)
    }

    func evaluate(_ x: Int64, precision p: Int, logBuckets b: Int) -> Int64 {
        let (alphas, betas) = table(precision: p, logBuckets: b)
        let width = b <= p ? Int64((right - left) * Float(1 << (p - b))) : Int64(right - left) >> Int64(b - p)
        let position = (x &- Int64(left * Float(1 << p))) / width
        let segment = position < 0 ? 0 : position >= (1 << b) ? alphas.count - 1 : Int(position) + 1
        return expansionTruncate(alphas[segment] &* x &+ betas[segment], p)
    }
}

@Suite("ApproxExponent, ApproxSigmoid, ApproxGelu and ApproxGeluDerivative expansions")
struct PiecewiseLinearExpansionTests {
    @Test(arguments: [(15, 5), (10, 3), (2, 4), (20, 1), (12, 6)])
    func matchesIntegerReference(precision: Int, logBuckets: Int) throws {
        for reference in PiecewiseReference.all {
            if reference.name == "ApproxExponent", precision > 15 { continue }
            let buckets = reference.name == "ApproxExponent" ? 6 : logBuckets
            if buckets > precision, Int(reference.right - reference.left) >> (buckets - precision) == 0 { continue }
            var rng = ExpansionRandom(seed: UInt64(precision * 10 + logBuckets))
            let unit = Int64(1) << Int64(precision)
            let l = Int64(reference.left) * unit, r = Int64(reference.right) * unit
            var xs: [Int64] = [0, 1, -1, unit, -unit, l, l - 1, l + 1, r, r - 1, r + 1, 3 * l, 3 * r, .max, .min]
            for _ in 0..<60 { xs.append(Int64.random(in: (2 * l)...(2 * r), using: &rng)) }
            let op = reference.operation(precision: precision, logBuckets: logBuckets)
            let out = expansionValues(try expansionEval(op, [expansionTensor(.i64, xs.map { Int128($0) })]))
            let expected = xs.map { Int128(reference.evaluate($0, precision: precision, logBuckets: buckets)) }
            #expect(out == expected, "\(reference.name) precision \(precision) buckets \(buckets)")
        }
    }

    /// Float64 accuracy at CipherCore's default (precision 15, 5 log buckets) over [−6, 6] (sigmoid
    /// [−12, 12]): absolute error ≤ 0.005 for the sigmoid, ≤ 0.007 for GELU and its derivative
    /// (CipherCore states 0.0045, 0.0059 and 0.006 inside the interval); ApproxExponent over
    /// [−8, 12]: error ≤ 5 % of exp(x) plus 8·2^−15.
    @Test func matchesFloatFunctions() throws {
        let p = 15
        let unit = Double(1 << p)
        for reference in PiecewiseReference.all {
            let range: ClosedRange<Double>
            switch reference.name {
            case "ApproxSigmoid": range = -12...12
            case "ApproxExponent": range = -8...12
            default: range = -6...6
            }
            var rng = ExpansionRandom(seed: 77)
            let reals = [range.lowerBound, range.upperBound, 0] + (0..<200).map { _ in Double.random(in: range, using: &rng) }
            let xs = reals.map { Int128(($0 * unit).rounded()) }
            let matrix = Value.tensor(Tensor(.i64, shape: [xs.count / 3, 3], wrapping: Array(xs.prefix(xs.count / 3 * 3))))
            let out = expansionValues(try expansionEval(reference.operation(precision: p, logBuckets: 5), [matrix]))
            for (x, r) in zip(xs, out) {
                let real = Double(x) / unit
                let exact = reference.real(real)
                let bound = reference.name == "ApproxExponent" ? 0.05 * exact + 8 / unit : reference.name == "ApproxSigmoid" ? 0.005 : 0.007
                #expect(abs(Double(r) / unit - exact) <= bound, "\(reference.name)(\(real)) = \(Double(r) / unit), expected \(exact)")
            }
        }
    }

    /// The expectations of CipherCore's own tests at precision 10 (5 log buckets): sigmoid within
    /// 0.01 of ⌊2^10·sigmoid(x/2^10)⌋/2^10 on [−5000, 5000) in steps of 100.
    @Test func meetsCipherCoreTestExpectations() throws {
        let sigmoid = PiecewiseReference.all[1]
        let xs = stride(from: -5000, to: 5000, by: 100).map { Int128($0) }
        let out = expansionValues(try expansionEval(sigmoid.operation(precision: 10, logBuckets: 5), [expansionTensor(.i64, xs)]))
        for (x, r) in zip(xs, out) {
            let expected = Int64(sigmoid.function(Float(x) / 1024) * 1024)
            #expect(abs(Double(expected) - Double(r)) / 1024 <= 0.01, "x = \(x)")
        }
    }

    @Test func scalarsWork() throws {
        let sigmoid = PiecewiseReference.all[1]
        let out = try expansionEval(sigmoid.operation(precision: 15, logBuckets: 5), [.scalar(.i64, 0)])
        #expect(out == .tensor(Tensor(.i64, shape: [], wrapping: [Int128(sigmoid.evaluate(0, precision: 15, logBuckets: 5))])))
        #expect(abs(Double(expansionValues(out)[0]) / 32768 - 0.5) < 0.001)
    }

    @Test func overflowingConstantsAreErrors() {
        let exponent = PiecewiseReference.all[0]
        let error = expansionError(exponent.operation(precision: 20, logBuckets: 6), [.scalar(.i64, 0)])
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("ApproxExponent") == true)
        #expect(expansionError(exponent.operation(precision: 16, logBuckets: 6), [.scalar(.i64, 0)]) == nil)
        // The expansion itself (for a secure planner) still builds, with CipherCore's wrapped constants.
        #expect(throws: Never.self) { _ = try CustomExpansion.expansion(of: exponent.operation(precision: 20, logBuckets: 6), argumentTypes: [.scalar(.i64)]) }
    }

    @Test func wrongArgumentsAreRefusedByTypeInference() {
        let sigmoid = PiecewiseReference.all[1]
        #expect(expansionError(sigmoid.operation(precision: 15, logBuckets: 5), [.scalar(.i32, 0)])?.code == .typeMismatch)
        #expect(expansionError(sigmoid.operation(precision: 0, logBuckets: 5), [.scalar(.i64, 0)])?.code == .invalidArgument)
        #expect(expansionError(sigmoid.operation(precision: 2, logBuckets: 7), [.scalar(.i64, 0)])?.code == .invalidArgument)
        #expect(expansionError(CustomOperation("ApproxGelu", parameters: [("precision", .int(10))]), [.scalar(.i64, 0)])?.code == .invalidArgument)
    }
}
