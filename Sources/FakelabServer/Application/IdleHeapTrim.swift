import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Hands the heap's free pages back to the system once the server goes quiet after traffic.
///
/// glibc's malloc keeps the pages of freed blocks, and a burst of requests frees many between
/// the records the stores keep: after a million mixed requests ~4 MB of the resident heap was
/// free memory (docs/performance.md). glibc has no time-based release of its own (jemalloc and
/// tcmalloc do), so this service calls `malloc_trim(0)` once per burst, after `quiet` without a
/// request: never while requests are being served.
struct IdleHeapTrim: Service {
    /// Moves on every request (each gets an id).
    let activity: IDGenerator
    let quiet: Duration
    var trim: @Sendable () -> Void = Self.mallocTrim

    /// glibc's `malloc_trim(0)`, looked up at run time (`<malloc.h>` is not in Swift's Glibc
    /// module); a no-op where the C library has none.
    static let mallocTrim: @Sendable () -> Void = {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            let trim = unsafeBitCast(symbol, to: Trim.self)
            return { _ = trim(0) }
        }
        #endif
        return {}
    }()

    func run() async {
        // Shutting down cancels the sleep: the loop ends, the service returns without an error.
        await cancelWhenGracefulShutdown {
            var seen = activity.issued
            // From 0, not from `seen`: requests served before the service started count as a burst.
            var trimmed: UInt64 = 0
            while !Task.isCancelled {
                guard (try? await Task.sleep(for: quiet)) != nil else { return }
                let now = activity.issued
                if now == seen, now != trimmed {
                    trim()
                    trimmed = now
                }
                seen = now
            }
        }
    }
}
