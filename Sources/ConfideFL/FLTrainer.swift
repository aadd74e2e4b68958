import ConfideCore
import Crypto
import Foundation

/// The built-in task runner: mini-batch gradient descent and evaluation of an ``FLModelSpec`` model
/// on an ``FLDataset``, on contiguous buffers.
public struct FLTrainer: Sendable {
    public let spec: FLModelSpec
    public let features: Int

    public init(spec: FLModelSpec, features: Int) {
        self.spec = spec
        self.features = features
    }

    /// A model from aggregated statistics (`[Σx, Σx²] / n`) and the initial weights.
    public func initialModel(statistics mean: [Double]) -> [Double] {
        let d = features
        var model = [Double](repeating: 0, count: spec.parameterCount(features: d))
        for j in 0..<d {
            let m = mean[j]
            let variance = max(mean[d + j] - m * m, 0)
            model[j] = m
            model[d + j] = max(variance.squareRoot(), 1e-9)
        }
        model.replaceSubrange((2 * d)..., with: spec.initialWeights(features: d))
        return model
    }

    /// The standardised features of `data` under `model`'s normalisation.
    func standardised(_ data: FLDataset, _ model: [Double]) -> [Double] {
        let d = features
        var x = data.features
        x.withUnsafeMutableBufferPointer { x in
            model.withUnsafeBufferPointer { m in
                for row in 0..<data.rows {
                    for j in 0..<d { x[row * d + j] = (x[row * d + j] - m[j]) / m[d + j] }
                }
            }
        }
        return x
    }

    /// Probabilities of class 1 for every row.
    public func predict(_ model: [Double], _ data: FLDataset) -> [Double] {
        let x = standardised(data, model)
        let weights = Array(model[(2 * features)...])
        var hidden = [Double](repeating: 0, count: spec.hidden)
        return (0..<data.rows).map { row in forward(weights, x, row, &hidden) }
    }

    /// Fraction of rows classified correctly (threshold 0.5).
    public func accuracy(_ model: [Double], _ data: FLDataset) -> Double {
        guard data.rows > 0 else { return 0 }
        let p = predict(model, data)
        var correct = 0
        for (probability, label) in zip(p, data.labels) where (probability >= 0.5 ? 1.0 : 0.0) == label { correct += 1 }
        return Double(correct) / Double(data.rows)
    }

    /// Mean binary cross-entropy.
    public func loss(_ model: [Double], _ data: FLDataset) -> Double {
        guard data.rows > 0 else { return 0 }
        let p = predict(model, data)
        var total = 0.0
        for (probability, label) in zip(p, data.labels) {
            let q = min(max(probability, 1e-12), 1 - 1e-12)
            total -= label * log(q) + (1 - label) * log(1 - q)
        }
        return total / Double(data.rows)
    }

    /// `spec.epochs` epochs of mini-batch SGD from `model`; the row order of each epoch is a
    /// permutation drawn from a keyed AES-CTR stream (`label` makes it differ between collaborators and rounds).
    public func train(_ model: [Double], _ data: FLDataset, label: String) -> [Double] {
        let d = features
        let x = standardised(data, model)
        var weights = Array(model[(2 * d)...])
        var gradient = [Double](repeating: 0, count: weights.count)
        var hidden = [Double](repeating: 0, count: spec.hidden)
        let key = SHA256.hash(data: Array("confide-fl order \(spec.seed) \(label)".utf8))
        var generator = try! AESCTRGenerator(key: Array(key).prefix(16))
        var order = Array(0..<data.rows)
        for _ in 0..<spec.epochs {
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, Int(generator.uniform(below: UInt64(i + 1))))
            }
            var start = 0
            while start < order.count {
                let end = min(start + spec.batchSize, order.count)
                for i in gradient.indices { gradient[i] = 0 }
                for row in order[start..<end] { accumulate(weights, x, row, data.labels[row], &gradient, &hidden) }
                let step = spec.learningRate / Double(end - start)
                weights.withUnsafeMutableBufferPointer { w in
                    gradient.withUnsafeBufferPointer { g in for i in 0..<w.count { w[i] -= step * g[i] } }
                }
                start = end
            }
        }
        var result = model
        result.replaceSubrange((2 * d)..., with: weights)
        return result
    }

    private func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    private func forward(_ w: [Double], _ x: [Double], _ row: Int, _ hidden: inout [Double]) -> Double {
        let d = features
        return w.withUnsafeBufferPointer { w in
            x.withUnsafeBufferPointer { x in
                let xr = x.baseAddress! + row * d
                switch spec.kind {
                case .logistic:
                    var z = w[d]
                    for j in 0..<d { z += w[j] * xr[j] }
                    return sigmoid(z)
                case .mlp:
                    let h = spec.hidden
                    var z = w[d * h + h + h]
                    for k in 0..<h {
                        var a = w[d * h + k]
                        let wk = w.baseAddress! + k * d
                        for j in 0..<d { a += wk[j] * xr[j] }
                        hidden[k] = tanh(a)
                        z += w[d * h + h + k] * hidden[k]
                    }
                    return sigmoid(z)
                }
            }
        }
    }

    private func accumulate(_ w: [Double], _ x: [Double], _ row: Int, _ label: Double, _ gradient: inout [Double], _ hidden: inout [Double]) {
        let d = features
        let p = forward(w, x, row, &hidden)
        let dz = p - label
        gradient.withUnsafeMutableBufferPointer { g in
            x.withUnsafeBufferPointer { x in
                let xr = x.baseAddress! + row * d
                switch spec.kind {
                case .logistic:
                    for j in 0..<d { g[j] += dz * xr[j] }
                    g[d] += dz
                case .mlp:
                    let h = spec.hidden
                    for k in 0..<h {
                        g[d * h + h + k] += dz * hidden[k]
                        let dh = dz * w[d * h + h + k] * (1 - hidden[k] * hidden[k])
                        g[d * h + k] += dh
                        let gk = g.baseAddress! + k * d
                        for j in 0..<d { gk[j] += dh * xr[j] }
                    }
                    g[d * h + h + h] += dz
                }
            }
        }
    }
}
