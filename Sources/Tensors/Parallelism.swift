import Dispatch
import Foundation

/// How many cores the numeric kernels use, and the rule that keeps them from oversubscribing.
///
/// The thread count comes from the environment variable `NEXTTOKEN_THREADS` (default: all
/// cores). It applies to both the project's own kernels and OpenBLAS, which is configured
/// explicitly at start-up so that `OPENBLAS_NUM_THREADS` in the environment cannot make the
/// two fight over the same cores.
///
/// Nesting rule: a kernel that runs in parallel marks its worker threads; a kernel called on
/// a worker runs serially. Kernels never call BLAS from a worker, so BLAS threads and kernel
/// threads are never active at the same time.
public enum Parallelism {
    nonisolated(unsafe) private static var configuredThreads: Int = {
        let fromEnvironment = ProcessInfo.processInfo.environment["NEXTTOKEN_THREADS"].flatMap(Int.init)
        let count = Swift.max(1, fromEnvironment ?? ProcessInfo.processInfo.activeProcessorCount)
        BLAS.setThreadCount(count)
        return count
    }()

    /// The number of threads kernels and BLAS use.
    public static var threadCount: Int { configuredThreads }

    /// Sets the number of threads for the project's kernels and for OpenBLAS.
    ///
    /// Call it before starting work, not from inside a kernel.
    public static func setThreadCount(_ count: Int) {
        _ = configuredThreads  // run the lazy initialiser first so it cannot overwrite us
        configuredThreads = Swift.max(1, count)
        BLAS.setThreadCount(configuredThreads)
    }

    /// The number of threads OpenBLAS reports (for benchmarks and diagnostics).
    public static var blasThreadCount: Int {
        _ = configuredThreads
        return BLAS.threadCount
    }

    /// Elements below which a kernel stays on one thread: dispatching costs more than it saves.
    public static let minimumParallelWork = 1 << 15

    nonisolated(unsafe) private static var workerKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// True on a thread that is already running one chunk of a parallel kernel.
    static var isWorker: Bool { pthread_getspecific(workerKey) != nil }

    /// Splits `0..<count` into contiguous chunks and runs `body` on each, in parallel when
    /// `count * costPerItem` is large enough and we are not already inside a parallel kernel.
    @inline(__always)
    static func forEachChunk(
        count: Int, costPerItem: Int = 1, _ body: (Range<Int>) -> Void
    ) {
        let threads = threadCount
        if threads == 1 || count < 2 || count * costPerItem < minimumParallelWork || isWorker {
            body(0..<count)
            return
        }
        let chunks = Swift.min(threads, count)
        withoutActuallyEscaping(body) { escapable in
            // The chunks touch disjoint ranges; the closure itself is only read.
            nonisolated(unsafe) let body = escapable
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = count * chunk / chunks
                let end = count * (chunk + 1) / chunks
                let marker = UnsafeMutableRawPointer(bitPattern: 1)
                pthread_setspecific(workerKey, marker)
                body(start..<end)
                pthread_setspecific(workerKey, nil)
            }
        }
    }
}
