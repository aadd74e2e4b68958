import ConfideCore
import Yams

/// Strict reading of a YAML mapping: every key must be known, every value of the expected kind,
/// and errors name the file, the key path and the line.
package struct YAMLReader {
    package let file: String

    package init(file: String) {
        self.file = file
    }

    /// The root mapping of a document.
    /// - Throws: `.malformedJSON`-like `.invalidArgument` for YAML that does not parse or whose root is not a mapping.
    package func root(_ text: String) throws -> Node.Mapping {
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
    package func checkKeys(_ mapping: Node.Mapping, at path: String, known: Set<String>) throws {
        for (key, _) in mapping {
            guard let name = key.string, known.contains(name) else {
                let list = known.sorted().joined(separator: ", ")
                throw ConfideError(
                    .invalidArgument, "\(file)\(line(key)): unknown key '\(key.string ?? "?")' in \(path.isEmpty ? "the document" : path) (known: \(list))")
            }
        }
    }

    package func mapping(_ node: Node?, at path: String) throws -> Node.Mapping? {
        guard let node else { return nil }
        guard let mapping = node.mapping else { throw ConfideError(.invalidArgument, "\(file)\(line(node)): \(path) must be a mapping") }
        return mapping
    }

    package func sequence(_ node: Node?, at path: String) throws -> [Node]? {
        guard let node else { return nil }
        guard let sequence = node.sequence else { throw ConfideError(.invalidArgument, "\(file)\(line(node)): \(path) must be a list") }
        return Array(sequence)
    }

    package func string(_ node: Node?, at path: String) throws -> String? {
        guard let node else { return nil }
        guard let text = node.scalar?.string else { throw ConfideError(.invalidArgument, "\(file)\(line(node)): \(path) must be a text value") }
        return text
    }

    package func int(_ node: Node?, at path: String, range: ClosedRange<Int>) throws -> Int? {
        guard let node else { return nil }
        guard let value = node.int, range.contains(value) else {
            throw ConfideError(.invalidArgument, "\(file)\(line(node)): \(path) must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    package func bool(_ node: Node?, at path: String) throws -> Bool? {
        guard let node else { return nil }
        guard let value = node.bool else { throw ConfideError(.invalidArgument, "\(file)\(line(node)): \(path) must be true or false") }
        return value
    }

    /// A list of text values.
    package func strings(_ node: Node?, at path: String) throws -> [String]? {
        guard let node else { return nil }
        guard let sequence = node.sequence else { throw ConfideError(.invalidArgument, "\(file)\(line(node)): \(path) must be a list") }
        return try sequence.map { item in
            guard let text = item.scalar?.string else { throw ConfideError(.invalidArgument, "\(file)\(line(item)): \(path) must list text values") }
            return text
        }
    }

    /// A finite number in `range` (integers accepted).
    package func double(_ node: Node?, at path: String, range: ClosedRange<Double>) throws -> Double? {
        guard let node else { return nil }
        guard let value = node.float ?? node.int.map(Double.init), value.isFinite, range.contains(value) else {
            throw ConfideError(.invalidArgument, "\(file)\(line(node)): \(path) must be a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    package func line(_ node: Node) -> String {
        node.mark.map { ":\($0.line)" } ?? ""
    }
}
