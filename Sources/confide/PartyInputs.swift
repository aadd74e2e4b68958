import ConfideCore
import ConfideData
import Foundation

/// A party's inputs in `confide simulate`'s folder layout: `DIR/partyP/input.txt` (CipherCore's
/// typed JSON) or, when that is absent, the manifest `DIR/partyP/inputs.yaml` (CSV, NumPy, JSON and
/// zeros entries; see ``InputManifest``).
enum PartyInputs {
    static let manifestNames = ["inputs.yaml", "inputs.yml"]

    /// - Parameter types: the types this party provides, in input order (``GraphPlan/inputTypes``).
    /// - Throws: `.io` naming the files looked for when none exists; the files' errors.
    static func load(folder: String, party: Int, types: [ValueType], labels: [String]) throws -> [Value] {
        let partyFolder = URL(fileURLWithPath: folder).appendingPathComponent("party\(party)")
        let candidates = ["input.txt"] + manifestNames
        for name in candidates {
            let path = partyFolder.appendingPathComponent(name).path
            if FileManager.default.fileExists(atPath: path) { return try InputSources.load([path], types: types, labels: labels) }
        }
        throw ConfideError(.io, "party \(party): none of \(candidates.map { partyFolder.appendingPathComponent($0).path }.joined(separator: ", ")) exists")
    }

    /// Writes each party's output to `DIR/partyP/output.FORMAT` (parties without an output write nothing).
    /// - Throws: the format's errors (naming the file); `.io`.
    static func writeOutputs(_ outputs: [Value?], folder: String, format: OutputFile.Format, fractionalBits: Int?) throws {
        for (party, value) in outputs.enumerated() {
            guard let value else { continue }
            let partyFolder = URL(fileURLWithPath: folder).appendingPathComponent("party\(party)")
            do {
                try FileManager.default.createDirectory(at: partyFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw ConfideError(.io, "cannot create the output folder \(partyFolder.path)")
            }
            try OutputFile.write(value, to: partyFolder.appendingPathComponent("output.\(format.rawValue)").path, fractionalBits: fractionalBits, replacing: true)
        }
    }
}
