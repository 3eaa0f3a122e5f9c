import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed pool of worker threads for the numeric kernels.
///
/// libdispatch's `concurrentPerform` wakes its workers too slowly for the 20-200 µs jobs of
/// a transformer step (measured here: two 20 µs chunks took 40 µs, i.e. ran serially). These
/// workers spin on an atomic for a short while after each job, so back-to-back kernels
/// start at once, then sleep on a condition variable: unlike OpenBLAS's pool, they do not
/// keep yielding the CPU in a loop while other work runs.
///
/// A job is published as a ticket `generation << 32 | next chunk`; workers claim chunks with
/// compare-and-swap on the whole ticket, so a worker that arrives late can never claim a
/// chunk of a newer job with an older view of it.
final class WorkerPool: @unchecked Sendable {
    private let ticket = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private var chunkCount = 0
    private var job: UnsafeRawPointer?
    private var mutex = pthread_mutex_t()
    /// Held by the thread whose job the pool is running; others run their jobs themselves.
    private var owner = pthread_mutex_t()
    private var condition = pthread_cond_t()
    let threadCount: Int

    /// Spins of a waiting worker before it sleeps (about 50-100 µs).
    private static let spinLimit = 1 << 15

    init(threadCount: Int) {
        self.threadCount = threadCount
        pthread_mutex_init(&mutex, nil)
        pthread_mutex_init(&owner, nil)
        pthread_cond_init(&condition, nil)
        for _ in 1..<Swift.max(threadCount, 1) {
            let unmanaged = Unmanaged.passRetained(self)
            var thread = pthread_t()
            pthread_create(&thread, nil, { argument in
                let pool = Unmanaged<WorkerPool>.fromOpaque(argument!).takeRetainedValue()
                pool.workerLoop()
                return nil
            }, unmanaged.toOpaque())
            pthread_detach(thread)
        }
    }

    private typealias Body = (Int) -> Void

    /// Runs `body(chunk)` for every chunk in `0..<chunks`, on the caller and the workers.
    ///
    /// The pool runs one job at a time: when another thread's job is running, the caller
    /// runs every chunk itself rather than wait.
    func run(chunks: Int, _ body: (Int) -> Void) {
        guard pthread_mutex_trylock(&owner) == 0 else {
            for chunk in 0..<chunks { body(chunk) }
            return
        }
        defer { pthread_mutex_unlock(&owner) }
        withoutActuallyEscaping(body) { escapable in
            var closure: Body = escapable
            withUnsafePointer(to: &closure) { pointer in
                job = UnsafeRawPointer(pointer)
                chunkCount = chunks
                finished.store(0, ordering: .relaxed)
                let generation = (ticket.load(ordering: .relaxed) >> 32) + 1
                ticket.store(generation << 32, ordering: .sequentiallyConsistent)
                if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                    pthread_mutex_lock(&mutex)
                    pthread_cond_broadcast(&condition)
                    pthread_mutex_unlock(&mutex)
                }
                work(generation: generation)
                while finished.load(ordering: .acquiring) < chunks {}
                job = nil
            }
        }
    }

    /// Claims and runs chunks of `generation` until none are left.
    private func work(generation: Int) {
        while true {
            let current = ticket.load(ordering: .acquiring)
            guard current >> 32 == generation else { return }
            let index = current & 0xFFFF_FFFF
            guard index < chunkCount else { return }
            let (exchanged, _) = ticket.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            guard exchanged else { continue }
            // Call through the pointer without keeping a copy: the caller's closure must not
            // outlive `run` (withoutActuallyEscaping checks), so nothing may retain it once
            // the last chunk is counted as finished.
            job!.assumingMemoryBound(to: Body.self).pointee(index)
            finished.wrappingAdd(1, ordering: .releasing)
        }
    }

    private func workerLoop() {
        Parallelism.markWorker()
        var seen = 0
        while true {
            var spins = 0
            var generation = ticket.load(ordering: .acquiring) >> 32
            while generation == seen {
                spins += 1
                if spins >= WorkerPool.spinLimit {
                    pthread_mutex_lock(&mutex)
                    sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
                    while ticket.load(ordering: .sequentiallyConsistent) >> 32 == seen {
                        pthread_cond_wait(&condition, &mutex)
                    }
                    sleepers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
                    pthread_mutex_unlock(&mutex)
                    spins = 0
                }
                generation = ticket.load(ordering: .acquiring) >> 32
            }
            seen = generation
            work(generation: generation)
        }
    }
}
