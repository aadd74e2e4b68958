import ConfideCore
import Yams

/// Strict reading of a YAML mapping: every key must be known, every value of the expected kind,
/// and errors name the file, the key path and the line.
struct YAMLReader {
    let file: String

    /// The root mapping of a document.
    /// - Throws: `.malformedJSON`-like `.invalidArgument` for YAML that does not parse or whose root is not a mapping.
    func root(_ text: String) throws -> Node.Mapping {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ConfideError(.invalidArgument, "\(file): not valid YAML", cause: "\(error)")
        }
        guard let mapping = node?.mapping else { throw ConfideError(.invalidArgument, "\(file): the document must be a mapping of keys") }
        return mapping
    }

    /// Checks that `mapping` only has keys from `known`.
    func checkKeys(_ mapping: Node.Mapping, at path: String, known: Set<String>) throws {
        for (key, _) in mapping {
            guard let name = key.string, known.contains(name) else {
                let list = known.sorted().joined(separator: ", ")
                throw ConfideError(
                    .invalidArgument, "\(file)\(line(key)): unknown key '\(key.string ?? "?")' in \(path.isEmpty ? "the document" : path) (known: \(list))")
            }
        }
    }

    func mapping(_ node: Node?, at path: String) throws -> Node.Mapping? {
        guard let node else { return nil }
        guard let mapping = node.mapping else { throw ConfideError(.invalidArgument, "\(file)\(line(node)): \(path) must be a mapping") }
        return mapping
    }

    func sequence(_ node: Node?, at path: String) throws -> [Node]? {
        guard let node else { return nil }
        guard let sequence = node.sequence else { throw ConfideError(.invalidArgument, "\(file)\(line(node)): \(path) must be a list") }
        return Array(sequence)
    }

    func string(_ node: Node?, at path: String) throws -> String? {
        guard let node else { return nil }
        guard let text = node.scalar?.string else { throw ConfideError(.invalidArgument, "\(file)\(line(node)): \(path) must be a text value") }
        return text
    }

    func int(_ node: Node?, at path: String, range: ClosedRange<Int>) throws -> Int? {
        guard let node else { return nil }
        guard let value = node.int, range.contains(value) else {
            throw ConfideError(.invalidArgument, "\(file)\(line(node)): \(path) must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    func bool(_ node: Node?, at path: String) throws -> Bool? {
        guard let node else { return nil }
        guard let value = node.bool else { throw ConfideError(.invalidArgument, "\(file)\(line(node)): \(path) must be true or false") }
        return value
    }

    func line(_ node: Node) -> String {
        node.mark.map { ":\($0.line)" } ?? ""
    }
}
