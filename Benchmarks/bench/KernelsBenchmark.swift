import ArgumentParser
import Autograd
import Foundation
import Tensors

/// `bench kernels`: GFLOP/s of raw sgemm next to the Tensor API, and GB/s of the row and
/// activation kernels (forward and backward) next to a memory copy measured in the same run.
struct KernelsBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels", abstract: "Matmul GFLOP/s and kernel GB/s against raw sgemm and memcpy.")

    @Flag(help: "Print results as JSON on stdout.") var json = false
    @Option(help: "Timed runs per measurement; the median is reported.") var repetitions = 7
    @Option(help: "Threads for BLAS and kernels (default: NEXTTOKEN_THREADS or all cores).") var threads: Int?
    @Flag(help: "Measure only the Tensor API (no OpenBLAS-threaded reference calls).") var apiOnly = false

    struct MatmulResult: Codable {
        let shape: String, m: Int, k: Int, n: Int
        let rawSgemmGFLOPs: Double, tensorGFLOPs: Double, ratio: Double
    }

    struct KernelResult: Codable {
        let kernel: String, elements: Int, bytesMoved: Int
        let gigabytesPerSecond: Double, fractionOfCopy: Double
    }

    struct Results: Codable {
        let threads: Int
        let matmul: [MatmulResult]
        let singleThreadCopyGigabytesPerSecond: Double
        let parallelCopyGigabytesPerSecond: Double
        /// The faster of the two copies: the denominator of `fractionOfCopy`.
        let copyGigabytesPerSecond: Double
        let kernels: [KernelResult]
    }

    func run() throws {
        if let threads { Parallelism.setThreadCount(threads) }
        // OpenBLAS picks slow paths for later mid-size sgemms if the first is small and
        // single-threaded (Benchmarks/peers/README.md); one large product first avoids that.
        _ = try Tensor.ones([512, 512]).matmul(Tensor.ones([512, 512]))

        let shapes: [(Int, Int, Int)] = [(256, 256, 256), (512, 512, 512), (1024, 1024, 1024), (2048, 2048, 2048), (512, 256, 1024), (512, 1024, 256)]
        var matmuls: [MatmulResult] = []
        for (m, k, n) in shapes {
            var generator = SeededGenerator(seed: 1)
            let a = Tensor.normal([m, k], using: &generator), b = Tensor.normal([k, n], using: &generator)
            let c = Tensor(uninitializedShape: [m, n])
            let flops = 2.0 * Double(m) * Double(k) * Double(n)
            let reps = m >= 2048 ? 3 : repetitions
            // Alternate the two so that clock drift affects both alike.
            var raw: [Double] = [], api: [Double] = []
            for _ in 0..<3 {
                if apiOnly { raw.append(1) } else {
                raw.append(Measurement.medianSeconds(repetitions: reps) {
                    a.withUnsafePointer { ap in b.withUnsafePointer { bp in
                        Tensor.threadedSgemm(transposeA: false, transposeB: false, m: m, n: n, k: k, a: ap, lda: k, b: bp, ldb: n,
                                     c: c.storage.pointer, ldc: n)
                    } }
                })
                }
                // OpenBLAS's pool spins for a while after its last call; let it fall asleep so it
                // does not steal a core from the measurement that follows.
                usleep(300_000)
                api.append(try Measurement.medianSeconds(repetitions: reps) { _ = try a.matmul(b) })
            }
            let rawBest = raw.sorted()[1], apiBest = api.sorted()[1]
            matmuls.append(MatmulResult(shape: "\(m)x\(k)x\(n)", m: m, k: k, n: n,
                                        rawSgemmGFLOPs: flops / rawBest / 1e9, tensorGFLOPs: flops / apiBest / 1e9,
                                        ratio: rawBest / apiBest))
        }

        // Row kernels on [8192, 2048] activations (64 MiB: beyond the 32 MiB L3 seen here).
        let rows = 8192, width = 2048, count = rows * width
        var generator = SeededGenerator(seed: 2)
        let x = Tensor.normal([rows, width], using: &generator), dy = Tensor.normal([rows, width], using: &generator)
        let weight = Tensor.ones([width]), bias = Tensor.zeros([width])
        let destination = Tensor(uninitializedShape: [rows, width])
        let bytes = count * MemoryLayout<Float>.stride
        let copySeconds = Measurement.medianSeconds(repetitions: repetitions) {
            _ = x.withUnsafePointer { memcpy(destination.storage.pointer, $0, bytes) }
        }
        // The kernels use every thread, so compare them with a copy that does too.
        let threadCount = Parallelism.threadCount
        let parallelCopySeconds = Measurement.medianSeconds(repetitions: repetitions) {
            x.withUnsafePointer { source in
                let from = UInt(bitPattern: source), to = UInt(bitPattern: destination.storage.pointer)
                DispatchQueue.concurrentPerform(iterations: threadCount) { chunk in
                    let start = bytes * chunk / threadCount, end = bytes * (chunk + 1) / threadCount
                    _ = memcpy(UnsafeMutableRawPointer(bitPattern: to)! + start, UnsafeRawPointer(bitPattern: from)! + start, end - start)
                }
            }
        }
        let singleCopyRate = Double(2 * bytes) / copySeconds / 1e9
        let parallelCopyRate = Double(2 * bytes) / parallelCopySeconds / 1e9
        let copyRate = max(singleCopyRate, parallelCopyRate)

        let softmaxOutput = x.softmax()
        let norm = try x.layerNorm(weight: weight, bias: bias, epsilon: 1e-5)
        let cases: [(String, Int, () throws -> Void)] = [
            ("softmax forward", 2, { _ = x.softmax() }),
            ("softmax backward", 3, { _ = try Tensor.softmaxBackward(output: softmaxOutput, outputGradient: dy) }),
            ("layer norm forward", 2, { _ = try x.layerNorm(weight: weight, bias: bias, epsilon: 1e-5) }),
            ("layer norm backward", 3, { _ = try Tensor.layerNormBackward(input: x, weight: weight, hasBias: true, saved: norm, outputGradient: dy) }),
            ("RMS norm forward", 2, { _ = try x.rmsNorm(weight: weight, epsilon: 1e-5) }),
            ("GELU forward", 2, { _ = x.gelu() }),
            ("GELU backward", 3, { _ = try Tensor.geluBackward(input: x, outputGradient: dy) }),
            ("SiLU forward", 2, { _ = x.silu() }),
            ("add (same shape)", 3, { _ = try x + dy }),
        ]
        var kernels: [KernelResult] = []
        for (name, streams, body) in cases {
            let seconds = try Measurement.medianSeconds(repetitions: repetitions, body)
            let moved = streams * bytes
            let rate = Double(moved) / seconds / 1e9
            kernels.append(KernelResult(kernel: name, elements: count, bytesMoved: moved, gigabytesPerSecond: rate, fractionOfCopy: rate / copyRate))
        }

        let results = Results(threads: Parallelism.threadCount, matmul: matmuls, singleThreadCopyGigabytesPerSecond: singleCopyRate,
                              parallelCopyGigabytesPerSecond: parallelCopyRate, copyGigabytesPerSecond: copyRate, kernels: kernels)
        report("threads: \(results.threads)")
        report("shape (MxKxN)      raw sgemm GFLOP/s   Tensor.matmul GFLOP/s   ratio")
        for r in matmuls {
            report(String(format: "%-18@ %10.1f %22.1f %12.3f", r.shape as NSString, r.rawSgemmGFLOPs, r.tensorGFLOPs, r.ratio))
        }
        report(String(format: "memcpy: %.2f GB/s with 1 thread, %.2f GB/s with %d (read + write)", singleCopyRate, parallelCopyRate, threadCount))
        report("kernel                 GB/s   of copy")
        for k in kernels { report(String(format: "%-20@ %6.2f   %5.0f%%", k.kernel as NSString, k.gigabytesPerSecond, 100 * k.fractionOfCopy)) }
        if json { try Measurement.printJSON(results) }
    }
}
