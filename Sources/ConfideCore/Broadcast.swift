/// NumPy broadcasting of shapes: align trailing dimensions; each pair must be equal or contain a 1.
public enum Broadcast {
    /// The broadcast shape of two shapes.
    /// - Throws: `.shapeMismatch` naming both shapes.
    public static func shape(_ a: [Int], _ b: [Int]) throws -> [Int] {
        let n = max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else {
                throw ConfideError(.shapeMismatch, "shapes \(a) and \(b) cannot be broadcast together")
            }
        }
        return out
    }

    /// The broadcast shape of several shapes (`[]` for none).
    /// - Throws: `.shapeMismatch` naming the first pair that does not broadcast.
    public static func shape(_ shapes: [[Int]]) throws -> [Int] {
        try shapes.reduce([Int]()) { try shape($0, $1) }
    }

    /// For every element of `target` (row-major), the flat index of the element of `source` that
    /// broadcasting maps to it. Returns nil when the shapes are equal (identity).
    ///
    /// `source` must broadcast to `target` (for example `target == shape(source, other)`);
    /// this is checked and a violation traps, as it is a programming error.
    public static func sourceIndices(from source: [Int], to target: [Int]) -> [Int]? {
        if source == target { return nil }
        precondition(source.count <= target.count, "shape \(source) has more axes than \(target)")
        let total = Tensor.elementCount(target)
        let n = target.count
        let offset = n - source.count
        let srcStrides = Tensor.strides(source)
        // Effective stride per target axis (0 where broadcast).
        var eff = [Int](repeating: 0, count: n)
        for i in 0..<n where i >= offset {
            let d = source[i - offset]
            precondition(d == 1 || d == target[i], "shape \(source) does not broadcast to \(target)")
            eff[i] = d == 1 ? 0 : srcStrides[i - offset]
        }
        var out = [Int](repeating: 0, count: total)
        if total == 0 { return out }
        var counter = [Int](repeating: 0, count: n)
        var idx = 0
        out.withUnsafeMutableBufferPointer { o in
            for k in 0..<total {
                o[k] = idx
                var axis = n - 1
                while axis >= 0 {
                    counter[axis] += 1
                    idx += eff[axis]
                    if counter[axis] < target[axis] { break }
                    idx -= eff[axis] * counter[axis]
                    counter[axis] = 0
                    axis -= 1
                }
            }
        }
        return out
    }
}
