#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// This process's memory use, as the kernel counts it.
public enum ProcessMemory {
    /// The peak resident set size of this process so far, in bytes (`getrusage`'s `ru_maxrss`).
    public static var peakResidentBytes: Int {
        var usage = rusage()
        #if canImport(Darwin)
            guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
            return Int(usage.ru_maxrss)
        #else
            guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
            return Int(usage.ru_maxrss) * 1024
        #endif
    }
}
