#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tensors

/// The record of differentiable operations on one thread, in execution order.
///
/// Each thread has its own tape, so independent work on different threads never mixes.
/// Inside ``withoutGradient(_:)`` nothing is recorded, and results do not require gradients:
/// inference pays for no bookkeeping and keeps no intermediate values alive.
public final class Tape {
    struct Entry {
        let inputs: [Variable]
        let output: Variable
        /// Maps the output's gradient to one gradient (or nil) per input.
        let backward: (Tensor) throws -> [Tensor?]
    }

    private(set) var entries: [Entry] = []
    fileprivate var recording = true

    /// Number of recorded operations.
    public var count: Int { entries.count }

    /// Whether operations on this thread are being recorded.
    public var isRecording: Bool { recording }

    /// Drops every recorded operation.
    public func reset() { entries.removeAll(keepingCapacity: true) }

    func append(_ entry: Entry) { entries.append(entry) }

    nonisolated(unsafe) private static var key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            if let pointer { Unmanaged<Tape>.fromOpaque(pointer).release() }
        }
        return key
    }()

    /// The current thread's tape.
    public static var current: Tape {
        if let pointer = pthread_getspecific(key) {
            return Unmanaged<Tape>.fromOpaque(pointer).takeUnretainedValue()
        }
        let tape = Tape()
        pthread_setspecific(key, Unmanaged.passRetained(tape).toOpaque())
        return tape
    }

    /// Runs `body` without recording operations (inference, evaluation, optimiser steps).
    public static func withoutGradient<Result>(_ body: () throws -> Result) rethrows -> Result {
        let tape = current
        let previous = tape.recording
        tape.recording = false
        defer { tape.recording = previous }
        return try body()
    }

    /// Wraps a freshly computed `value` as the output of an operation on `inputs`, recording
    /// `backward` when any input requires a gradient and the tape is recording.
    @inline(__always)
    static func record(
        _ value: Tensor, inputs: [Variable], backward: @escaping (Tensor) throws -> [Tensor?]
    ) -> Variable {
        let tape = current
        let needsGradient = tape.recording && inputs.contains { $0.requiresGradient }
        let output = Variable(result: value, requiresGradient: needsGradient)
        if needsGradient { tape.append(Entry(inputs: inputs, output: output, backward: backward)) }
        return output
    }
}
