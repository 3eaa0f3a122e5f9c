import Foundation
import Testing
import Tensors

/// Expects `actual` and `expected` to agree elementwise: `|a - e| <= atol + rtol * |e|`.
/// Reports the first few offending positions.
public func expectClose(
    _ actual: [Float], _ expected: [Float], rtol: Float = 1e-5, atol: Float = 1e-6,
    _ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.count == expected.count else {
        Issue.record("\(comment) count \(actual.count) != expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    var failures: [String] = []
    var worst: Float = 0
    for (i, (a, e)) in zip(actual, expected).enumerated() {
        let error = abs(a - e)
        let bad = a.isNaN != e.isNaN || (!e.isNaN && error > atol + rtol * abs(e)) || (a.isInfinite || e.isInfinite) && a != e
        if bad {
            worst = max(worst, error)
            if failures.count < 5 { failures.append("[\(i)] \(a) vs \(e)") }
        }
    }
    if !failures.isEmpty {
        Issue.record("\(comment) not close (rtol \(rtol), atol \(atol)); worst |error| \(worst): \(failures.joined(separator: ", "))",
                     sourceLocation: sourceLocation)
    }
}

/// Expects two tensors to have the same shape and close elements.
public func expectClose(
    _ actual: Tensor, _ expected: Tensor, rtol: Float = 1e-5, atol: Float = 1e-6,
    _ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.shape == expected.shape else {
        Issue.record("\(comment) shape \(actual.shape) != expected \(expected.shape)", sourceLocation: sourceLocation)
        return
    }
    expectClose(actual.scalars, expected.scalars, rtol: rtol, atol: atol, comment, sourceLocation: sourceLocation)
}

/// The test fixtures committed in `Tests/Fixtures` (tiny Hugging Face models, the GPT-2
/// tokenizer; `Tests/Fixtures/README.md` says how `make_fixtures.py` made them).
public enum TestFixtures {
    /// The repository root, found from this file's location.
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The fixtures folder, `Tests/Fixtures`.
    public static var folder: URL { repositoryRoot.appendingPathComponent("Tests/Fixtures") }

    /// `Tests/Fixtures/<relativePath>`, or an error that names what is missing.
    public static func url(_ relativePath: String) throws -> URL {
        let url = folder.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MissingFixture(path: url.path)
        }
        return url
    }

    /// Thrown when a fixture is not in `Tests/Fixtures`.
    public struct MissingFixture: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "missing fixture \(path) (Tests/Fixtures/make_fixtures.py regenerates the fixtures)" }
    }
}

/// A seeded random tensor with values in [lower, upper).
public func randomTensor(_ shape: [Int], seed: UInt64, lower: Float = -1, upper: Float = 1) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, lower: lower, upper: upper, using: &generator)
}
