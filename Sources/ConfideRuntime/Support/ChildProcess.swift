import ConfideCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process whose exit is awaited and whose output is collected without blocking the cooperative
/// thread pool: the exit arrives through the termination handler and each captured pipe is drained by a
/// thread of its own (so a child that fills one pipe while the other is read never stalls, and async code
/// elsewhere in the process keeps running however many children are waited for).
///
/// Every wait takes an optional deadline; a child still running at its deadline is killed (SIGKILL) and the
/// outcome says so.
public final class ChildProcess: @unchecked Sendable {
    /// Where a stream of the child goes.
    public enum Output: Sendable {
        /// Collected in memory (``Outcome/stdout``, ``Outcome/stderr``, ``waitForOutput(containing:timeout:)``).
        case capture
        /// `/dev/null`.
        case discard
        /// Appended to the file at this path (created with mode 0600 if missing).
        case file(String)
        /// This process's own stream.
        case inherit
    }

    /// How a child ended.
    public struct Outcome: Sendable {
        /// The exit status (or the signal number for a child ended by a signal).
        public let status: Int32
        /// Captured standard output (empty unless captured).
        public let stdout: String
        /// Captured standard error (empty unless captured).
        public let stderr: String
        /// True when the child was killed at its deadline.
        public let timedOut: Bool
    }

    private struct State {
        var exited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
        var captured: [Data] = [Data(), Data()]
        var open: [Bool] = [false, false]
        var outputWaiters: [(token: UInt64, needle: String?, continuation: CheckedContinuation<Bool, Never>)] = []
        var nextToken: UInt64 = 0
        var timedOut = false
    }

    private let process = Process()
    private let lock = NSLock()
    private var state = State()
    private var pipes: [Pipe?] = [nil, nil]
    /// The command line as shown in errors.
    public let commandLine: String

    /// Prepares (does not start) `executable` with `arguments`.
    public init(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil, stdout: Output = .capture, stderr: Output = .capture) throws {
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        commandLine = ([executable.lastPathComponent] + arguments.prefix(3)).joined(separator: " ") + (arguments.count > 3 ? " …" : "")
        process.standardOutput = try attach(stdout, index: 0)
        process.standardError = try attach(stderr, index: 1)
    }

    private func attach(_ output: Output, index: Int) throws -> Any? {
        switch output {
        case .capture:
            let pipe = Pipe()
            pipes[index] = pipe
            state.open[index] = true
            return pipe
        case .discard:
            return FileHandle.nullDevice
        case .file(let path):
            // Appending: both streams may share the file without overwriting each other.
            let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw ConfideError(.io, "cannot open \(path) for the output of \(commandLine)") }
            return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        case .inherit:
            return nil
        }
    }

    /// The child's process id (valid once started).
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Whether the child has started and not exited.
    public var isRunning: Bool { lock.withLock { !state.exited } && process.processIdentifier != 0 }

    /// Starts the child.
    /// - Throws: `.io` when the executable cannot be started.
    public func start() throws {
        process.terminationHandler = { [self] _ in
            let waiters = lock.withLock {
                state.exited = true
                defer { state.exitWaiters.removeAll() }
                return state.exitWaiters
            }
            for waiter in waiters { waiter.resume() }
        }
        do { try process.run() } catch {
            throw ConfideError(.io, "cannot start \(commandLine)", cause: "\(error)")
        }
        for index in 0..<2 {
            guard let pipe = pipes[index] else { continue }
            let thread = Thread { [self] in drain(pipe.fileHandleForReading, index) }
            thread.start()
        }
    }

    /// Reads one captured pipe to its end (on a thread of its own).
    private func drain(_ handle: FileHandle, _ index: Int) {
        while true {
            let chunk = handle.availableData
            let resolved: [(CheckedContinuation<Bool, Never>, Bool)] = lock.withLock {
                if chunk.isEmpty {
                    state.open[index] = false
                } else {
                    state.captured[index].append(chunk)
                }
                return takeOutputWaiters()
            }
            for (waiter, found) in resolved { waiter.resume(returning: found) }
            if chunk.isEmpty { return }
        }
    }

    /// All captured output, standard error first. Must be called with the lock held.
    private var capturedText: String {
        String(decoding: state.captured[1], as: UTF8.self) + String(decoding: state.captured[0], as: UTF8.self)
    }

    /// Removes the output waiters that are answered: their text appeared, or no more output can come.
    /// Must be called with the lock held.
    private func takeOutputWaiters() -> [(CheckedContinuation<Bool, Never>, Bool)] {
        // Without waiters nothing is decoded: a child that prints megabytes costs one append per chunk.
        guard !state.outputWaiters.isEmpty else { return [] }
        let text = capturedText
        let ended = !state.open.contains(true)
        var taken: [(CheckedContinuation<Bool, Never>, Bool)] = []
        state.outputWaiters.removeAll { waiter in
            let found = waiter.needle.map { text.contains($0) } ?? ended
            guard found || ended else { return false }
            taken.append((waiter.continuation, found))
            return true
        }
        return taken
    }

    /// Waits until the captured output (stdout or stderr) contains `needle`, or (for `nil`) until it has ended.
    /// - Returns: true when that happened; false when the output ended without it or `timeout` passed first.
    public func waitForOutput(containing needle: String?, timeout: Duration) async -> Bool {
        let token = lock.withLock {
            state.nextToken += 1
            return state.nextToken
        }
        let timer = Self.after(timeout) { [self] in
            let expired: CheckedContinuation<Bool, Never>? = lock.withLock {
                guard let index = state.outputWaiters.firstIndex(where: { $0.token == token }) else { return nil }
                return state.outputWaiters.remove(at: index).continuation
            }
            expired?.resume(returning: false)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let ready: Bool? = lock.withLock {
                let ended = !state.open.contains(true)
                if let needle, capturedText.contains(needle) { return true }
                if ended { return needle == nil }
                state.outputWaiters.append((token, needle, continuation))
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// The output captured so far (standard error, then standard output).
    public var capturedOutput: String {
        lock.withLock { capturedText }
    }

    /// Asks the child to stop (SIGTERM).
    public func terminate() {
        if isRunning { process.terminate() }
    }

    /// Kills the child (SIGKILL).
    public func kill() {
        #if canImport(Glibc)
        if isRunning { _ = Glibc.kill(process.processIdentifier, SIGKILL) }
        #else
        if isRunning { _ = Darwin.kill(process.processIdentifier, SIGKILL) }
        #endif
    }

    /// Waits for the child to exit; kills it when `timeout` passes first.
    /// - Returns: the exit status, the captured output and whether the deadline killed it.
    public func wait(timeout: Duration? = nil) async -> Outcome {
        let timer = timeout.map { limit in
            Self.after(limit) { [self] in
                guard isRunning else { return }
                lock.withLock { state.timedOut = true }
                kill()
            }
        }
        defer { timer?.cancel() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = lock.withLock {
                if state.exited { return true }
                state.exitWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
        // The pipes reach their end once every holder of their write ends (the child, its own children) is gone.
        _ = await waitForOutput(containing: nil, timeout: .seconds(5))
        return lock.withLock {
            Outcome(
                status: process.terminationStatus, stdout: String(decoding: state.captured[0], as: UTF8.self),
                stderr: String(decoding: state.captured[1], as: UTF8.self), timedOut: state.timedOut)
        }
    }

    /// Runs `body` after `delay` on a Dispatch queue, not on the cooperative pool: a deadline fires on time even
    /// while CPU-bound tasks occupy every pool thread. Cancel the returned item to disarm it.
    private static func after(_ delay: Duration, _ body: @escaping @Sendable () -> Void) -> DispatchWorkItem {
        let item = DispatchWorkItem(block: body)
        let nanoseconds = Int(clamping: max(0, delay.wholeNanoseconds))
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds), execute: item)
        return item
    }

    /// Stops the child: SIGTERM, then SIGKILL if it is still running after `grace`.
    public func stop(grace: Duration = .seconds(5)) async {
        terminate()
        _ = await wait(timeout: grace)
    }

    /// Runs `executable` to its end, capturing both streams.
    /// - Throws: `.io` when it cannot start.
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil, timeout: Duration? = nil) async throws -> Outcome {
        let child = try ChildProcess(executable, arguments, environment: environment)
        try child.start()
        return await child.wait(timeout: timeout)
    }
}
