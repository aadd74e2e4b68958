#if canImport(Glibc)
import Glibc
#endif

/// Memory advice for the large buffers of a link's messages.
public enum NetMemory {
    /// Buffers from this size on are worth backing with huge pages.
    static let hugePageThreshold = 4 << 20

    /// Asks the kernel to back the 2 MiB-aligned interior of `bytes` with transparent huge pages,
    /// before its pages are first touched: a fresh multi-megabyte buffer then costs a few page
    /// faults instead of one per 4 KiB page (the largest cost of moving a large message on
    /// loopback, measured in BENCHMARKS.md). Advice only: nothing changes where the kernel ignores it.
    static func adviseHugePages(_ bytes: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard bytes.count >= hugePageThreshold, let base = bytes.baseAddress else { return }
        let huge = 2 << 20
        let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: base) + bytes.count) & ~(huge - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)
        #endif
    }

    /// An array of `count` bytes, not zeroed first and backed by huge pages when large
    /// (``adviseHugePages(_:)``); `fill` may write them at once.
    /// - Requires: every byte is written (by `fill`, or by the caller before it reads any) before it is read.
    public static func bytes(count: Int, filling fill: (UnsafeMutableRawBufferPointer) -> Void) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            adviseHugePages(raw)
            fill(raw)
            initialized = count
        }
    }
}
