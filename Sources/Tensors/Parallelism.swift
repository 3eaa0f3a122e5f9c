import Dispatch
import Foundation

/// How many cores the numeric kernels use, and the rule that keeps them from oversubscribing.
///
/// The thread count comes from the environment variable `NEXTTOKEN_THREADS` (default: all
/// cores). OpenBLAS is set to one thread explicitly at start-up (whatever
/// `OPENBLAS_NUM_THREADS` says): large products are split into blocks that these same
/// workers hand to it, so BLAS and the project's kernels share one pool and never
/// oversubscribe the cores.
///
/// Nesting rule: a kernel that runs in parallel marks its worker threads; anything called on
/// a worker (a kernel, a BLAS product) runs serially.
public enum Parallelism {
    nonisolated(unsafe) private static var configuredThreads: Int = {
        let fromEnvironment = ProcessInfo.processInfo.environment["NEXTTOKEN_THREADS"].flatMap(Int.init)
        let count = Swift.max(1, fromEnvironment ?? ProcessInfo.processInfo.activeProcessorCount)
        BLAS.setThreadCount(1)
        return count
    }()

    /// The number of threads kernels and BLAS use (1 inside ``withSingleThread(_:)``).
    public static var threadCount: Int { singleThreaded ? 1 : configuredThreads }

    /// Set by ``withSingleThread(_:)`` for the work it runs (a task-local value).
    @TaskLocal private static var singleThreaded = false

    /// Runs `body` with every kernel and BLAS product it starts on the calling thread alone,
    /// without touching the process-wide count, so work running at the same time elsewhere
    /// (other tests, other requests) keeps its thread count and its results.
    ///
    /// ```swift
    /// let serial = Parallelism.withSingleThread { x.softmax() }
    /// ```
    public static func withSingleThread<Result>(_ body: () throws -> Result) rethrows -> Result {
        try $singleThreaded.withValue(true) { try body() }
    }

    /// Sets the number of threads for the project's kernels and for OpenBLAS.
    ///
    /// Call it before starting work, not from inside a kernel.
    public static func setThreadCount(_ count: Int) {
        _ = configuredThreads  // run the lazy initialiser first so it cannot overwrite us
        configuredThreads = Swift.max(1, count)
        BLAS.setThreadCount(1)
        if pools[configuredThreads] == nil { pools[configuredThreads] = WorkerPool(threadCount: configuredThreads) }
    }

    /// One pool per thread count ever requested (tests switch counts; pools are never torn down).
    nonisolated(unsafe) private static var pools: [Int: WorkerPool] = [:]

    private static var pool: WorkerPool {
        let count = threadCount
        if let pool = pools[count] { return pool }
        let pool = WorkerPool(threadCount: count)
        pools[count] = pool
        return pool
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

    /// Marks the current thread as a pool worker for good.
    static func markWorker() { pthread_setspecific(workerKey, UnsafeMutableRawPointer(bitPattern: 1)) }

    /// Splits `0..<count` into contiguous chunks and runs `body` on each, in parallel when
    /// `count * costPerItem` is large enough and we are not already inside a parallel kernel.
    ///
    /// ```swift
    /// Parallelism.forEachChunk(count: rows, costPerItem: width) { range in
    ///     for row in range { process(row) }   // chunks touch disjoint rows
    /// }
    /// ```
    @inline(__always)
    public static func forEachChunk(
        count: Int, costPerItem: Int = 1, _ body: (Range<Int>) -> Void
    ) {
        let threads = threadCount
        if threads == 1 || count < 2 || count * costPerItem < minimumParallelWork || isWorker {
            body(0..<count)
            return
        }
        let chunks = Swift.min(threads, count)
        let marker = UnsafeMutableRawPointer(bitPattern: 1)
        pool.run(chunks: chunks) { chunk in
            let start = count * chunk / chunks
            let end = count * (chunk + 1) / chunks
            // The caller runs chunks too: mark it for nested calls, then unmark.
            let wasWorker = isWorker
            if !wasWorker { pthread_setspecific(workerKey, marker) }
            body(start..<end)
            if !wasWorker { pthread_setspecific(workerKey, nil) }
        }
    }
}
