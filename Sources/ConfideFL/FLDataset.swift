import ConfideCore
import Foundation

/// Tabular data: features row-major in one contiguous buffer and 0/1 labels.
public struct FLDataset: Sendable, Equatable {
    public var features: [Double]
    public var labels: [Double]
    public var columns: Int
    public var columnNames: [String]
    public var rows: Int { labels.count }

    public init(features: [Double], labels: [Double], columns: Int, columnNames: [String]) {
        self.features = features
        self.labels = labels
        self.columns = columns
        self.columnNames = columnNames
    }

    /// Reads a CSV file with a header row; `label` names the 0/1 class column, every other column is a feature.
    /// - Throws: `.io` for an unreadable file; `.invalidValue` naming the file, line and column of a bad cell.
    public static func loadCSV(_ file: String, label: String) throws -> FLDataset {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ConfideError(.io, "cannot read data file \(file)") }
        return try parseCSV(text, file: file, label: label)
    }

    public static func parseCSV(_ text: String, file: String, label: String) throws -> FLDataset {
        var lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard !lines.isEmpty else { throw ConfideError(.invalidValue, "\(file): empty CSV file") }
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let labelIndex = header.firstIndex(of: label) else {
            throw ConfideError(.invalidValue, "\(file): no label column '\(label)' in the header")
        }
        let names = header.enumerated().filter { $0.offset != labelIndex }.map(\.element)
        var features: [Double] = []
        features.reserveCapacity(lines.count * names.count)
        var labels: [Double] = []
        for (index, line) in lines.enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == header.count else {
                throw ConfideError(.invalidValue, "\(file):\(index + 2): \(cells.count) cells, the header has \(header.count)")
            }
            for (column, cell) in cells.enumerated() {
                guard let value = Double(cell.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                    throw ConfideError(.invalidValue, "\(file):\(index + 2): column '\(header[column])' is not a finite number")
                }
                if column == labelIndex {
                    guard value == 0 || value == 1 else { throw ConfideError(.invalidValue, "\(file):\(index + 2): label '\(label)' must be 0 or 1") }
                    labels.append(value)
                } else {
                    features.append(value)
                }
            }
        }
        return FLDataset(features: features, labels: labels, columns: names.count, columnNames: names)
    }

    /// The rows at `indices`, in that order.
    public func subset(_ indices: some Sequence<Int>) -> FLDataset {
        var result = FLDataset(features: [], labels: [], columns: columns, columnNames: columnNames)
        for row in indices {
            result.features.append(contentsOf: features[(row * columns)..<((row + 1) * columns)])
            result.labels.append(labels[row])
        }
        return result
    }

    /// Splits off the last `fraction` of the rows (a deterministic interleave: every k-th row) for validation.
    public func splitValidation(fraction: Double) -> (train: FLDataset, validation: FLDataset) {
        guard fraction > 0, rows >= 2 else { return (self, subset([])) }
        let step = max(2, Int((1 / fraction).rounded()))
        let validation = stride(from: step - 1, to: rows, by: step)
        let set = Set(validation)
        return (subset((0..<rows).filter { !set.contains($0) }), subset(validation))
    }

    /// The CSV text of this data set (header, features then the label column).
    public func csv(label: String) -> String {
        var text = (columnNames + [label]).joined(separator: ",") + "\n"
        for row in 0..<rows {
            let cells = features[(row * columns)..<((row + 1) * columns)].map { "\($0)" }
            text += (cells + [labels[row] == 1 ? "1" : "0"]).joined(separator: ",") + "\n"
        }
        return text
    }

    /// Per-feature sums and sums of squares (round 0's contribution; its weight is the row count).
    public func statistics() -> [Double] {
        var sums = [Double](repeating: 0, count: 2 * columns)
        for row in 0..<rows {
            for j in 0..<columns {
                let x = features[row * columns + j]
                sums[j] += x
                sums[columns + j] += x * x
            }
        }
        return sums
    }
}
