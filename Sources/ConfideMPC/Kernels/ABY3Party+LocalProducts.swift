import ConfideCore

extension ABY3Party {
    /// Elements per slice of ``localProductsPlusZeroShare(_:_:)`` between suspension points (the
    /// slice's keystream stays in L2).
    static var localProductSlice: Int { 8192 }

    /// This party's 3-out-of-3 share of x·y (ABY3 §3.1): z_i = x_i·y_i + x_i·y_{i+1} + x_{i+1}·y_i + α_i
    /// with α_i = F(k_i) − F(k_{i+1}) a zero sharing, masked to the ring. Local.
    ///
    /// One pass per slice: the two keystreams go straight into the output and a slice-sized
    /// scratch buffer, and the products are added while they are in cache; a suspension point
    /// (`Task.yield`) after each slice lets parties that share a thread pool interleave. Draws n
    /// words from each pairwise stream, as ``zeroShare(_:_:)``. Collective.
    func localProductsPlusZeroShare<W: RingWord>(_ x: ArithmeticShare<W>, _ y: ArithmeticShare<W>) async -> [W] {
        let n = x.count
        let mask = W.mask(x.scalarType)
        let slice = Self.localProductSlice
        var z = [W](unsafeUninitializedCapacity: n) { _, initialized in initialized = n }
        var scratch = [W](repeating: 0, count: min(n, slice))
        var start = 0
        while start < n {
            let length = min(slice, n - start)
            z.withUnsafeMutableBufferPointer { zp in
                scratch.withUnsafeMutableBufferPointer { sp in
                    let out = UnsafeMutableBufferPointer(rebasing: zp[start..<(start + length)])
                    let next = UnsafeMutableBufferPointer(rebasing: sp[0..<length])
                    sharedWithPrevious.fill(UnsafeMutableRawBufferPointer(out))
                    sharedWithNext.fill(UnsafeMutableRawBufferPointer(next))
                    x.first.withUnsafeBufferPointer { a0 in
                        x.second.withUnsafeBufferPointer { a1 in
                            y.first.withUnsafeBufferPointer { b0 in
                                y.second.withUnsafeBufferPointer { b1 in
                                    for j in 0..<length {
                                        let i = start + j
                                        out[j] = (out[j] &- next[j] &+ a0[i] &* (b0[i] &+ b1[i]) &+ a1[i] &* b0[i]) & mask
                                    }
                                }
                            }
                        }
                    }
                }
            }
            start += length
            await Task.yield()
        }
        return z
    }
}
