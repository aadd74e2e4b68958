import ConfideCore

/// A benchmark row that runs in plaintext in this process (no parties): each rep returns the
/// seconds of its named phases, in order.
public struct LocalBenchRow: Sendable {
    public let name: String
    public let description: String
    /// Makes the row's input once, before any rep.
    public let prepare: @Sendable () -> String
    /// One rep on the prepared input: the phases' names and seconds.
    /// - Throws: when a phase fails or the row's own check does not hold.
    public let run: @Sendable (String) throws -> [(phase: String, seconds: Double)]

    public init(
        _ name: String, _ description: String, prepare: @escaping @Sendable () -> String,
        run: @escaping @Sendable (String) throws -> [(phase: String, seconds: Double)]
    ) {
        self.name = name
        self.description = description
        self.prepare = prepare
        self.run = run
    }
}

/// The failure of a row's own correctness check.
public struct BenchCheckFailure: Error, CustomStringConvertible {
    public let description: String
}

/// Plaintext rows: the typed-value JSON reader and writer of `input.txt` files.
public enum JSONBenchRows {
    public static let all: [LocalBenchRow] = [
        row("json_u64_1e6", count: 1_000_000),
        row("json_u64_4e4", count: 40_000),
    ]

    /// The row named `name`.
    public static func row(_ name: String) -> LocalBenchRow? { all.first { $0.name == name } }

    /// Parse, conversion to a ``Value``, printing back and an exact round-trip check of a typed
    /// `u64` array of `count` elements.
    static func row(_ name: String, count: Int) -> LocalBenchRow {
        LocalBenchRow(
            name, "typed-value JSON array of \(count) u64: parse, to Value, print (typedJSON + serialized), exact round trip",
            prepare: { document(count: count) }
        ) { text in
            let clock = ContinuousClock()
            var start = clock.now
            let json = try JSONParser().parse(text)
            let parse = seconds(clock.now - start)
            start = clock.now
            let value = try Value(typedJSON: json)
            let toValue = seconds(clock.now - start)
            start = clock.now
            let printed = value.typedJSON().serialized()
            let print = seconds(clock.now - start)
            guard printed == text else { throw BenchCheckFailure(description: "\(name): printed text differs from the input") }
            guard try Value(typedJSON: try JSONParser().parse(printed)) == value else {
                throw BenchCheckFailure(description: "\(name): the printed text reads back as a different value")
            }
            return [("parse", parse), ("to_value", toValue), ("print", print)]
        }
    }

    /// The compact typed-value text of `count` pseudo-random u64 words, the first three being
    /// 0, 1 and `UInt64.max`.
    static func document(count: Int) -> String {
        var generator = try! AESCTRGenerator(key: [UInt8](repeating: 21, count: 16))
        var words = [UInt64](repeating: 0, count: count)
        generator.fill(&words)
        for (i, w) in [0, 1, UInt64.max].enumerated() where i < count { words[i] = w }
        var text = #"{"kind":"array","type":"u64","value":["#
        text.reserveCapacity(count * 21 + 64)
        for (i, w) in words.enumerated() {
            if i > 0 { text += "," }
            text += String(w)
        }
        text += "]}"
        return text
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
