import BigInt
import ConfideCore

/// Avalon's sample `fib` workload: input a decimal `n`, output `Fibonacci number at position n = F(n)`,
/// exact for any `n` up to ``maxN`` (big integers, fast doubling).
public struct FibonacciWorkload: Workload {
    /// Largest accepted position; bounds the work one request can cause.
    public var maxN: Int

    public init(maxN: Int = 1_000_000) { self.maxN = maxN }

    public func run(_ inputs: [[UInt8]]) async throws -> [[UInt8]] {
        guard inputs.count == 1 else {
            throw ConfideError(.wrongInputCount, "fib takes 1 input, found \(inputs.count)")
        }
        let text = String(decoding: inputs[0], as: UTF8.self).trimmingWhitespace()
        guard !text.isEmpty, text.utf8.count <= 20, text.utf8.allSatisfy({ (48...57).contains($0) }), let n = Int(text) else {
            throw ConfideError(.invalidValue, "fib: the input is not a non-negative decimal integer")
        }
        guard n <= maxN else { throw ConfideError(.outOfRange, "fib: the position is over the limit of \(maxN)") }
        let value = try Self.fibonacci(n)
        return [Array("Fibonacci number at position \(n) = \(value)".utf8)]
    }

    /// F(n) by fast doubling: F(2k) = F(k)(2F(k+1) − F(k)), F(2k+1) = F(k)² + F(k+1)².
    /// - Throws: `CancellationError` when the task is cancelled between doubling steps.
    public static func fibonacci(_ n: Int) throws -> BigUInt {
        precondition(n >= 0)
        var a = BigUInt(0)  // F(k)
        var b = BigUInt(1)  // F(k+1)
        var bit = Int.bitWidth - n.leadingZeroBitCount
        while bit > 0 {
            try Task.checkCancellation()
            bit -= 1
            let c = a * (b * 2 - a)
            let d = a * a + b * b
            if (n >> bit) & 1 == 0 {
                a = c
                b = d
            } else {
                a = d
                b = c + d
            }
        }
        return a
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
