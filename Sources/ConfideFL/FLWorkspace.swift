import ConfideCore
import Foundation

/// A federation workspace: `plan.yaml`, `cols.yaml`, `data.yaml`, `cert/` (the federation CA and the
/// aggregator's certificate) and, from a CSV data set, a non-IID split into `data/NAME.csv` plus a
/// held-out `data/test.csv`.
public enum FLWorkspace {
    /// Creates the workspace in `directory`.
    /// - Parameters:
    ///   - dataset: a CSV file to split over `collaborators` (nil: no data files are written).
    ///   - register: whether to list the collaborators in cols.yaml now (otherwise `confide credentials sign` does).
    /// - Throws: `.io` when `plan.yaml` exists and `force` is false, or a file cannot be written.
    /// Where `fl init` keeps the federation CA's key: the folder `WORKSPACE-ca` next to the
    /// workspace, so that the aggregator's workspace never holds it.
    public static func caKeyFolder(of workspace: String) -> String {
        URL(fileURLWithPath: workspace).standardized.path + "-ca"
    }

    public static func create(
        at directory: String, plan: FLPlan = FLPlan(), dataset: String?, collaborators: [String], register: Bool, force: Bool
    ) throws {
        let base = URL(fileURLWithPath: directory)
        let planFile = base.appendingPathComponent("plan.yaml").path
        if FileManager.default.fileExists(atPath: planFile) && !force {
            throw ConfideError(.io, "\(planFile) exists; pass --force to replace the workspace")
        }
        for name in collaborators where !FLRegistry.isValidName(name) {
            throw ConfideError(.invalidArgument, "'\(name)' is not a valid collaborator name (letters, digits, - and _)")
        }
        do {
            try FileManager.default.createDirectory(at: base.appendingPathComponent("data"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: base.appendingPathComponent("cert"), withIntermediateDirectories: true)
            try plan.yaml.write(toFile: planFile, atomically: true, encoding: .utf8)
        } catch { throw ConfideError(.io, "cannot write the workspace in \(directory)") }
        try FLRegistry.writeCollaborators(register ? collaborators : [], to: base.appendingPathComponent(plan.collaboratorsFile).path)
        var dataYAML = "# Each collaborator's local data (only that collaborator reads its file).\n"
        for name in collaborators { dataYAML += "\(name): data/\(name).csv\n" }
        do { try dataYAML.write(to: base.appendingPathComponent(plan.dataFile), atomically: true, encoding: .utf8) } catch {
            throw ConfideError(.io, "cannot write \(plan.dataFile) in \(directory)")
        }
        try FLCertificates.createAuthority(
            in: base.appendingPathComponent("cert").path, keyFolder: FLWorkspace.caKeyFolder(of: directory), hosts: [plan.host, "localhost", "127.0.0.1", "::1"])
        if let dataset {
            let data = try FLDataset.loadCSV(dataset, label: plan.labelColumn)
            let split = nonIIDSplit(data, parts: collaborators.count)
            for (name, part) in zip(collaborators, split.parts) {
                try write(part.csv(label: plan.labelColumn), base.appendingPathComponent("data/\(name).csv").path)
            }
            try write(split.test.csv(label: plan.labelColumn), base.appendingPathComponent("data/test.csv").path)
        }
    }

    /// Holds out every fifth row as a test set, then deals the rest so that the first collaborator
    /// holds most of class 0 and the others mostly class 1, with unequal sizes (label skew).
    public static func nonIIDSplit(_ data: FLDataset, parts: Int) -> (parts: [FLDataset], test: FLDataset) {
        let test = stride(from: 4, to: data.rows, by: 5)
        let testSet = Set(test)
        let rest = (0..<data.rows).filter { !testSet.contains($0) }
        var buckets = [[Int]](repeating: [], count: max(parts, 1))
        let zeros = rest.filter { data.labels[$0] == 0 }, ones = rest.filter { data.labels[$0] == 1 }
        // Class 0: 70% to the first, the rest spread; class 1: 10% to the first, the rest spread with growing shares.
        func deal(_ rows: [Int], firstShare: Double) {
            let first = parts > 1 ? Int(Double(rows.count) * firstShare) : rows.count
            buckets[0] += rows.prefix(first)
            let remaining = Array(rows.dropFirst(first))
            guard parts > 1 else { return }
            let weights = (1..<parts).map(Double.init)
            let total = weights.reduce(0, +)
            var start = 0
            for (k, w) in weights.enumerated() {
                let end = k == weights.count - 1 ? remaining.count : start + Int(Double(remaining.count) * w / total)
                buckets[k + 1] += remaining[start..<end]
                start = end
            }
        }
        deal(zeros, firstShare: 0.7)
        deal(ones, firstShare: 0.1)
        return (buckets.map { data.subset($0.sorted()) }, data.subset(test))
    }

    private static func write(_ text: String, _ path: String) throws {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch { throw ConfideError(.io, "cannot write \(path)") }
    }
}
