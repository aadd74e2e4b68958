import ConfideMPC
import Foundation
import Synchronization

/// A session's progress on a terminal: one line on standard error, rewritten in place, that
/// appears once a session has run for a while (about 2 s) and shows the rounds done of those
/// planned and the bytes moved, as the node (or the in-process party 0) counts them. Silent when
/// standard error is not a terminal, or when the command prints JSON.
final class ProgressLine: Sendable {
    let enabled: Bool
    private let shown = Mutex(false)
    private let started = ContinuousClock.now

    /// - Parameter enabled: false leaves the terminal alone (use ``onTerminal(unless:)``).
    init(enabled: Bool) {
        self.enabled = enabled
    }

    /// A line that shows only when standard error is a terminal and `quiet` is false.
    static func onTerminal(unless quiet: Bool) -> ProgressLine {
        ProgressLine(enabled: !quiet && isatty(STDERR_FILENO) == 1)
    }

    /// Redraws the line from `read` every quarter second, starting after `delay`, until cancelled.
    /// - Parameter read: the rounds and bytes so far and the planned rounds; nil when unknown yet.
    func follow(after delay: Duration, _ read: @escaping @Sendable () async -> (reading: TrafficMeter.Reading, planned: Int?)?) -> Task<Void, Never> {
        Task {
            guard enabled else { return }
            try? await Task.sleep(for: delay)
            while !Task.isCancelled {
                if let (reading, planned) = await read() { draw(Self.text(reading, planned: planned, elapsed: ContinuousClock.now - started)) }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    /// Prints a permanent line (the line is redrawn below it at the next update).
    func print(_ line: String) {
        shown.withLock { shown in
            FileHandle.standardError.write(Data(((shown ? "\r\u{1B}[K" : "") + line + "\n").utf8))
            shown = false
        }
    }

    /// Removes the line, if it shows.
    func clear() {
        shown.withLock { shown in
            if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            shown = false
        }
    }

    private func draw(_ text: String) {
        shown.withLock { shown in
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
            shown = true
        }
    }

    /// `round 120 of 456 (26%): sent 1.2 MiB, received 1.1 MiB, 3.4 s` (ASCII, for any terminal).
    static func text(_ reading: TrafficMeter.Reading, planned: Int?, elapsed: Duration) -> String {
        var round = "round \(reading.rounds)"
        if let planned, planned > 0 {
            round += " of \(planned) (\(min(100, reading.rounds * 100 / planned))%)"
        }
        return "\(round): sent \(bytes(reading.bytesSent)), received \(bytes(reading.bytesReceived)), \(String(format: "%.1f", elapsed.seconds)) s"
    }

    static func bytes(_ count: Int) -> String {
        if count < 1024 { return "\(count) B" }
        if count < 1 << 20 { return String(format: "%.1f KiB", Double(count) / 1024) }
        if count < 1 << 30 { return String(format: "%.1f MiB", Double(count) / 1_048_576) }
        return String(format: "%.2f GiB", Double(count) / 1_073_741_824)
    }
}
