import Foundation

/// The demo's outputs: a plain-text table and an SVG line chart of test accuracy per round.
public struct FLReport: Sendable {
    public struct Row: Sendable {
        public var round: UInt64
        public var testAccuracy: Double
        public var validationAccuracy: Double?
        public var collaborators: Int
    }

    public var rows: [Row]
    public var pooledAccuracy: Double
    public var title: String

    public init(rows: [Row], pooledAccuracy: Double, title: String) {
        self.rows = rows
        self.pooledAccuracy = pooledAccuracy
        self.title = title
    }

    public var table: String {
        var text = "\(title)\nround  collaborators  test accuracy  local validation accuracy (global model, weighted)\n"
        for row in rows {
            let validation = row.validationAccuracy.map { String(format: "%.4f", $0) } ?? "-"
            text += String(format: "%5llu  %13d  %13.4f  %@\n", row.round, row.collaborators, row.testAccuracy, validation)
        }
        text += String(format: "pooled training (same model, all training rows in one place): test accuracy %.4f\n", pooledAccuracy)
        if let last = rows.last {
            text += String(format: "federated (final round): test accuracy %.4f, difference %+.2f percentage points\n", last.testAccuracy, (last.testAccuracy - pooledAccuracy) * 100)
        }
        return text
    }

    public var svg: String {
        let width = 640.0, height = 400.0, left = 60.0, right = 20.0, top = 40.0, bottom = 50.0
        let maxRound = Double(max(rows.map(\.round).max() ?? 1, 1))
        let low = max(0, ((rows.map(\.testAccuracy) + [pooledAccuracy]).min() ?? 0) - 0.05)
        func x(_ r: Double) -> Double { left + (width - left - right) * r / maxRound }
        func y(_ a: Double) -> Double { top + (height - top - bottom) * (1 - (a - low) / (1 - low)) }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="24" font-size="14">\(title)</text>
            <line x1="\(left)" y1="\(y(low))" x2="\(width - right)" y2="\(y(low))" stroke="black"/>
            <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(y(low))" stroke="black"/>
            <text x="\(width / 2)" y="\(height - 12)" text-anchor="middle">round</text>
            <text x="14" y="\(height / 2)" transform="rotate(-90 14 \(height / 2))" text-anchor="middle">test accuracy</text>

            """
        for step in 0...5 {
            let a = low + (1 - low) * Double(step) / 5
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>\n", left - 6, y(a) + 4, a)
        }
        for row in rows { svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%llu</text>\n", x(Double(row.round)), y(low) + 16, row.round) }
        svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"gray\" stroke-dasharray=\"6 4\"/>\n", left, y(pooledAccuracy), width - right, y(pooledAccuracy))
        svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"gray\">pooled %.4f</text>\n", width - right, y(pooledAccuracy) - 6, pooledAccuracy)
        let points = rows.map { String(format: "%.1f,%.1f", x(Double($0.round)), y($0.testAccuracy)) }.joined(separator: " ")
        svg += "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"\(points)\"/>\n"
        for row in rows { svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#1f77b4\"/>\n", x(Double(row.round)), y(row.testAccuracy)) }
        return svg + "</svg>\n"
    }
}
