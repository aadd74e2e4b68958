#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Files only their owner may read (mode 0600), written whole or not at all.
public enum PrivateFile {
    /// Writes `bytes` to a new file at `path`: they go to a temporary 0600 file in the same folder,
    /// which is then hard-linked to `path`, so the file appears complete, and an existing file is
    /// never replaced.
    /// - Throws: `.invalidArgument` when `path` exists; `.io` naming the file when it cannot be written.
    public static func writeNew(_ bytes: [UInt8], to path: String) throws {
        let temporary = try writeTemporary(bytes, for: path)
        defer { unlink(temporary) }
        guard link(temporary, path) == 0 else {
            if errno == EEXIST { throw ConfideError(.invalidArgument, "\(path) exists already and is never replaced") }
            throw ConfideError(.io, "cannot write \(path)")
        }
    }

    /// Writes `bytes` to `path`, replacing a file that is there: a reader sees the old file or the
    /// whole new one, never a part (a temporary 0600 file in the same folder is renamed into place).
    /// - Throws: `.io` naming the file when it cannot be written.
    public static func replace(_ bytes: [UInt8], at path: String) throws {
        let temporary = try writeTemporary(bytes, for: path)
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw ConfideError(.io, "cannot write \(path)")
        }
    }

    /// A new 0600 file next to `path` holding `bytes`, flushed to disk.
    private static func writeTemporary(_ bytes: [UInt8], for path: String) throws -> String {
        let temporary = "\(path).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ConfideError(.io, "cannot create \(path)") }
        var written = 0
        let complete = bytes.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let n = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                written += n
            }
            return fsync(descriptor) == 0
        }
        close(descriptor)
        guard complete else {
            unlink(temporary)
            throw ConfideError(.io, "cannot write \(path)")
        }
        return temporary
    }
}
