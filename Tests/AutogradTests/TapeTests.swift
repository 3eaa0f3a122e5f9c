import Autograd
import Testing
import Tensors
import TestSupport

/// Tape behaviour: accumulation, no-gradient scopes, leaves, zeroing, extreme losses.
struct TapeTests {
    @Test func valueUsedTwiceAccumulates() throws {
        let x = Variable(Tensor(shape: [3], values: [1, -2, 3]), requiresGradient: true, name: "x")
        try ((x * x) + x).sum().backward()
        #expect(x.grad!.scalars == [3, -3, 7])  // 2x + 1
        // A second backward accumulates into the leaf until zeroed.
        try (x * 2).sum().backward()
        #expect(x.grad!.scalars == [5, -1, 9])
        x.zeroGradient()
        #expect(x.grad == nil)
    }

    @Test func sharedGradientBuffersAreNotAliased() throws {
        // add passes the same gradient tensor to both inputs; updating one leaf's gradient in
        // place must not change the other's.
        let a = Variable(Tensor.ones([2]), requiresGradient: true), b = Variable(Tensor.ones([2]), requiresGradient: true)
        try (a + b).sum().backward()
        a.grad!.scaleInPlace(10)
        #expect(b.grad!.scalars == [1, 1])
    }

    @Test func noGradientScopeRecordsNothing() throws {
        let w = Variable(randomTensor([4, 4], seed: 1), requiresGradient: true)
        Tape.current.reset()
        let output = try Tape.withoutGradient { try w.matmul(w).softmax().sum() }
        #expect(Tape.current.count == 0)
        #expect(!output.requiresGradient)
        #expect(Tape.current.isRecording)
        // Recording resumes afterwards.
        _ = try w.matmul(w)
        #expect(Tape.current.count == 1)
        Tape.current.reset()
    }

    @Test func constantsGetNoGradient() throws {
        let w = Variable(Tensor.ones([2, 2]), requiresGradient: true, name: "w")
        let x = Variable(Tensor.ones([2, 2]))
        try w.matmul(x).sum().backward()
        #expect(x.grad == nil)
        #expect(w.grad!.scalars == [2, 2, 2, 2])
        #expect(w.name == "w" && w.isLeaf)
    }

    @Test func tapesArePerThread() throws {
        // Synchronous on purpose: an async test may resume on another pool thread.
        Tape.current.reset()
        let w = Variable(Tensor.ones([2]), requiresGradient: true)
        _ = try w * w
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var countOnOtherThread = -1
        let thread = Thread {
            let other = Variable(Tensor.ones([2]), requiresGradient: true)
            _ = try? other * other
            _ = try? other * other
            countOnOtherThread = Tape.current.count
            Tape.current.reset()
            done.signal()
        }
        thread.start()
        done.wait()
        #expect(countOnOtherThread == 2)
        #expect(Tape.current.count == 1)
        Tape.current.reset()
    }

    @Test func crossEntropyWithExtremeLogitsIsFinite() throws {
        let logits = Variable(Tensor(shape: [3, 4], values: [1e4, -1e4, 0, 5, -1e4, -1e4, -1e4, 1e4, 0, 0, 1e4, -1e4]), requiresGradient: true)
        let loss = try logits.crossEntropy(targets: [1, 3, 2], labelSmoothing: 0.1)
        #expect(loss.value.scalar.isFinite)
        try loss.backward()
        #expect(logits.grad!.scalars.allSatisfy { $0.isFinite })
        // Row 0 targets a logit 2e4 below the maximum: its loss is about 2e4 / 3 of the mean.
        let plain = try Variable(logits.value).crossEntropy(targets: [1, 3, 2])
        #expect(abs(plain.value.scalar - 2e4 / 3) < 1)
    }

    @Test func crossEntropyMatchesHandComputedValue() throws {
        // logits [0, ln 3]: p = [1/4, 3/4]; target 0 -> -ln(1/4).
        let logits = Variable(Tensor(shape: [1, 2], values: [0, Float(log(3.0))]), requiresGradient: true)
        let loss = try logits.crossEntropy(targets: [0])
        #expect(abs(loss.value.scalar - Float(log(4.0))) < 1e-6)
        try loss.backward()
        expectClose(logits.grad!.scalars, [0.25 - 1, 0.75], rtol: 1e-5, atol: 1e-6)
        #expect(throws: TensorError.self) { try logits.crossEntropy(targets: [2]) }
    }

    @Test func backwardOfNonScalarNeedsSeed() {
        let x = Variable(Tensor.ones([3]), requiresGradient: true)
        #expect(throws: TensorError.self) { try (x * 2).backward() }
        Tape.current.reset()
    }
}

import Foundation
