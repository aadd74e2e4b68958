import ConfideCore
import Testing

@testable import ConfideGraph

/// Mutated copies of the shipped `two_millionaires_v0` graph: every parse must either succeed or
/// throw a ``ConfideError`` — never trap, hang or throw anything else.
@Suite("Context JSON fuzz")
struct ContextFuzzTests {
    /// A tiny deterministic generator (SplitMix64), for this test only.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    enum Outcome: Equatable { case parsed, failed(ConfideError.Code), foreign(String) }

    static func parse(_ bytes: [UInt8]) -> Outcome {
        do {
            _ = try Context(serialized: String(decoding: bytes, as: UTF8.self))
            return .parsed
        } catch let error as ConfideError {
            return .failed(error.code)
        } catch {
            return .foreign(String(describing: error))
        }
    }

    /// Applies one random mutation: a bit flip, a truncation, a changed or swapped digit, a deleted
    /// bracket, an inserted structural character, or a duplicated chunk.
    static func mutate(_ original: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = original
        let position = rng.below(bytes.count)
        switch rng.below(7) {
        case 0:
            bytes[position] ^= UInt8(1) << UInt8(rng.below(8))
        case 1:
            bytes.removeSubrange(position...)
        case 2:
            if let i = (position..<bytes.count).first(where: { (0x30...0x39).contains(bytes[$0]) }) {
                bytes[i] = 0x30 + UInt8(rng.below(10))
            }
        case 3:
            if let i = (position..<bytes.count - 1).first(where: {
                (0x30...0x39).contains(bytes[$0]) && (0x30...0x39).contains(bytes[$0 + 1]) && bytes[$0] != bytes[$0 + 1]
            }) {
                bytes.swapAt(i, i + 1)
            }
        case 4:
            let brackets: Set<UInt8> = [0x5B, 0x5D, 0x7B, 0x7D]
            if let i = (position..<bytes.count).first(where: { brackets.contains(bytes[$0]) }) {
                bytes.remove(at: i)
            }
        case 5:
            let inserts: [UInt8] = Array(#"[]{},:"\-0e9"#.utf8)
            bytes.insert(inserts[rng.below(inserts.count)], at: position)
        default:
            let length = min(1 + rng.below(64), bytes.count - position)
            bytes.insert(contentsOf: bytes[position..<(position + length)], at: rng.below(bytes.count))
        }
        return bytes
    }

    @Test func mutatedGraphsNeverCrash() throws {
        let original = try SerializationFixtures.readBytes(SerializationFixtures.examplePath("two_millionaires_v0/graph.json"))
        try #require(original.count > 100_000)
        #expect(Self.parse(original) == .parsed)
        var rng = SplitMix64(state: 0x5EED_C0DE)
        var parsed = 0
        var failed = 0
        for _ in 0..<Self.iterations {
            var bytes = Self.mutate(original, &rng)
            if rng.below(4) == 0 { bytes = Self.mutate(bytes, &rng) }
            switch Self.parse(bytes) {
            case .parsed: parsed += 1
            case .failed: failed += 1
            case let .foreign(description): Issue.record("non-Confide error: \(description)")
            }
        }
        #expect(parsed + failed == Self.iterations)
        #expect(failed > Self.iterations / 2)
        #expect(parsed > 0)
    }

    static let iterations = 600
}
