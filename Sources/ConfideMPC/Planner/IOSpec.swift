import ConfideCore

/// Who provides each input of an uncompiled graph and who receives its output, in the words of
/// CipherCore's compiler (`--input-parties`, `--output-parties`).
public struct IOSpec: Sendable, Equatable {
    /// How one input is provided.
    public enum Input: Sendable, Equatable, CustomStringConvertible {
        /// Owned by one party; the others' values are ignored.
        case party(Int)
        /// Known to every party (the same value everywhere); it stays public.
        case `public`
        /// Given as a CipherCore 3-tuple of shares, party p holding components p and p+1.
        case secretShared

        public var description: String {
            switch self {
            case let .party(p): return "\(p)"
            case .public: return "public"
            case .secretShared: return "secret-shared"
            }
        }
    }

    /// Who receives the output.
    public enum Output: Sendable, Equatable, CustomStringConvertible {
        /// Revealed to these parties only.
        case parties(Set<Int>)
        /// Revealed to every party.
        case `public`
        /// Kept shared: each party outputs its shares as a CipherCore 3-tuple (zero at the component it lacks).
        case secretShared

        public var description: String {
            switch self {
            case let .parties(set): return set.sorted().map(String.init).joined(separator: ",")
            case .public: return "public"
            case .secretShared: return "secret-shared"
            }
        }
    }

    public var inputs: [Input]
    public var output: Output

    public init(inputs: [Input], output: Output) {
        self.inputs = inputs
        self.output = output
    }

    /// Parses the compiler's words: inputs `0,1`, `public,secret-shared`, …; outputs `0,1`, `public`
    /// or `secret-shared`.
    /// - Throws: `.invalidArgument` naming the entry that is not a party 0–2, `public` or `secret-shared`.
    public init(inputParties: String, outputParties: String) throws {
        let inputWords = inputParties.split(separator: ",", omittingEmptySubsequences: false).map(IOSpec.trimmed)
        inputs = try inputWords.enumerated().map { i, word in
            switch word {
            case "public": return .public
            case "secret-shared": return .secretShared
            case "0", "1", "2": return .party(Int(word)!)
            default:
                throw ConfideError(.invalidArgument, "input \(i) of the input parties is '\(word)', expected 0, 1, 2, public or secret-shared")
            }
        }
        let outputWords = outputParties.split(separator: ",", omittingEmptySubsequences: false).map(IOSpec.trimmed)
        switch outputWords {
        case ["public"]: output = .public
        case ["secret-shared"]: output = .secretShared
        default:
            var set = Set<Int>()
            for word in outputWords {
                guard let p = Int(word), (0..<3).contains(p) else {
                    throw ConfideError(.invalidArgument, "output party '\(word)' does not exist: expected parties 0, 1, 2, public or secret-shared")
                }
                set.insert(p)
            }
            output = .parties(set)
        }
    }

    private static func trimmed(_ word: Substring) -> String {
        String(word.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
