import ConfideCore
import Crypto

/// The model a federation trains: logistic regression or a one-hidden-layer perceptron (tanh) with
/// a sigmoid output, on standardised tabular features.
///
/// A model is one flat `[Double]`: the feature means (d), the feature standard deviations (d),
/// then the weights. Means and deviations come from round 0, a (securely) aggregated statistics round.
public struct FLModelSpec: Sendable, Equatable {
    public enum Kind: String, Sendable { case logistic, mlp }
    public var kind = Kind.logistic
    public var hidden = 16
    public var epochs = 5
    public var learningRate = 0.1
    public var batchSize = 16
    public var seed = 7

    public init() {}

    /// Weights after the 2d normalisation entries.
    public func weightCount(features d: Int) -> Int {
        switch kind {
        case .logistic: return d + 1
        case .mlp: return d * hidden + hidden + hidden + 1
        }
    }

    public func parameterCount(features d: Int) -> Int { 2 * d + weightCount(features: d) }

    /// Initial weights (deterministic from `seed`, drawn from a keyed AES-CTR stream): zeros for
    /// logistic regression, scaled uniform for the perceptron's first layer.
    public func initialWeights(features d: Int) -> [Double] {
        var weights = [Double](repeating: 0, count: weightCount(features: d))
        guard kind == .mlp else { return weights }
        let key = SHA256.hash(data: Array("confide-fl init \(seed)".utf8))
        var generator = try! AESCTRGenerator(key: Array(key).prefix(16))
        let scale1 = 1 / Double(d).squareRoot(), scale2 = 1 / Double(hidden).squareRoot()
        for i in 0..<(d * hidden) { weights[i] = (unit(&generator) * 2 - 1) * scale1 }
        let w2 = d * hidden + hidden
        for i in 0..<hidden { weights[w2 + i] = (unit(&generator) * 2 - 1) * scale2 }
        return weights
    }

    private func unit(_ generator: inout AESCTRGenerator) -> Double {
        Double(generator.next(UInt64.self) >> 11) / Double(1 << 53)
    }
}
