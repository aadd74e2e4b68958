import ConfideCore

extension AESCTRGenerator {
    /// Shuffles `words` uniformly at random in place (Fisher–Yates from the last position down, each
    /// swap partner drawn with ``uniform(below:)``, as CipherCore's `shuffle_array`).
    mutating func shuffle(_ words: inout [UInt64]) {
        words.withUnsafeMutableBufferPointer { p in
            var i = p.count - 1
            while i > 0 {
                p.swapAt(i, Int(uniform(below: UInt64(i + 1))))
                i -= 1
            }
        }
    }
}
