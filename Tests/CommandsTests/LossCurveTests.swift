import Commands
import Foundation
import Rendering
import Testing
import Training

/// `--plot` and `nexttoken lm plot`: `metrics.jsonl` becomes a loss-curve PNG of the asked
/// size, with the training line (blue) and the validation points (orange) drawn.
struct LossCurveTests {
    /// A loss falling from 4 to about 1 over 200 steps, validated every 20 steps.
    static func rows() -> [TrainingMetrics.Row] {
        (1...200).map { step in
            let loss = Float(1 + 3 * exp(-Double(step) / 50) + 0.05 * sin(Double(step)))
            return TrainingMetrics.Row(step: step, loss: loss, learningRate: 1e-3, tokensPerSecond: 1000,
                                       validationLoss: step % 20 == 0 ? loss + 0.1 : nil)
        }
    }

    /// Pixels close to `color`.
    static func count(_ image: RasterImage, near color: Canvas.Color) -> Int {
        var count = 0
        for y in 0..<image.height {
            for x in 0..<image.width {
                let pixel = image[x, y]
                let target = [color.red, color.green, color.blue].map { Int($0 * 255) }
                if zip(pixel.prefix(3), target).allSatisfy({ abs(Int($0) - $1) < 40 }) { count += 1 }
            }
        }
        return count
    }

    @Test func metricsBecomeALossCurvePNG() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loss-curve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let metrics = folder.appendingPathComponent("metrics.jsonl")
        try Self.rows().map { $0.line + "\n" }.joined().write(to: metrics, atomically: true, encoding: .utf8)
        #expect(try TrainingMetrics.read(from: metrics) == Self.rows())

        let output = folder.appendingPathComponent("loss.png")
        try LossCurve.write(metrics: metrics, to: output, width: 640, height: 360)
        let image = try RasterImage.readPNG(from: output)
        #expect(image.width == 640 && image.height == 360)
        let white = Self.count(image, near: .white)
        #expect(white < image.width * image.height * 97 / 100, "the chart is blank")
        #expect(Self.count(image, near: .blue) > 300, "no training line")
        #expect(Self.count(image, near: .orange) > 50, "no validation points")
    }

    @Test func plotCommandDrawsARunFolderAndRejectsAnEmptyOne() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loss-plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.rows().map { $0.line + "\n" }.joined().write(to: folder.appendingPathComponent("metrics.jsonl"), atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("curve.png")
        _ = try ToolRunner.succeed(["lm", "plot", folder.path, "-o", output.path, "--width", "400", "--height", "300"])
        let image = try RasterImage.readPNG(from: output)
        #expect(image.width == 400 && image.height == 300)

        try Data().write(to: folder.appendingPathComponent("metrics.jsonl"))
        let empty = try ToolRunner.run(["lm", "plot", folder.path, "-o", output.path])
        #expect(empty.status != 0)
        #expect(empty.errorLines.count == 1 && empty.errorLines.first?.contains("metrics.jsonl") == true, "\(empty.standardError)")
    }
}
