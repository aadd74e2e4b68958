import ConfideCore
import ConfideNet
import ConfideRuntime
import Foundation
import Yams

/// The federation's registered collaborators (`cols.yaml`: `collaborators: [name, ...]`) and
/// each collaborator's local data file (`data.yaml`: `name: path`).
public enum FLRegistry {
    public static func loadCollaborators(_ file: String) throws -> [String] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ConfideError(.io, "cannot read collaborator list \(file)") }
        let y = YAMLReader(file: file)
        let root = try y.root(text)
        try y.checkKeys(root, at: "", known: ["collaborators"])
        let names = try y.strings(root["collaborators"], at: "collaborators") ?? []
        for name in names where !isValidName(name) { throw ConfideError(.invalidArgument, "\(file): '\(name)' is not a valid collaborator name (letters, digits, - and _)") }
        return names
    }

    public static func writeCollaborators(_ names: [String], to file: String) throws {
        let text = "# Registered collaborators: the aggregator accepts only these certificate names.\ncollaborators: [\(names.joined(separator: ", "))]\n"
        do { try text.write(toFile: file, atomically: true, encoding: .utf8) } catch { throw ConfideError(.io, "cannot write \(file)") }
    }

    /// Adds `name` to the list in `file` (created when missing).
    public static func register(_ name: String, in file: String) throws {
        guard isValidName(name) else { throw ConfideError(.invalidArgument, "'\(name)' is not a valid collaborator name (letters, digits, - and _)") }
        var names = FileManager.default.fileExists(atPath: file) ? try loadCollaborators(file) : []
        if !names.contains(name) { names.append(name) }
        try writeCollaborators(names, to: file)
    }

    public static func loadDataPaths(_ file: String) throws -> [String: String] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ConfideError(.io, "cannot read data paths \(file)") }
        let y = YAMLReader(file: file)
        let root = try y.root(text)
        var paths: [String: String] = [:]
        for (key, value) in root {
            guard let name = key.string, let path = try y.string(value, at: name) else { throw ConfideError(.invalidArgument, "\(file): entries must be NAME: PATH") }
            paths[name] = path
        }
        return paths
    }

    /// A collaborator name: letters, digits, `-` and `_`, at most 64, never spelled like a role
    /// (`aggregator`, `orchestrator`, `party…`), so no collaborator certificate can pose as one.
    public static func isValidName(_ name: String) -> Bool {
        !NetRole.looksLikeRole(name) && !name.isEmpty && name.count <= 64 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}
