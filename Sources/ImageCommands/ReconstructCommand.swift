import ArgumentParser
import Commands
import Foundation
import ImageGeneration
import Rendering
import Tensors

/// `images reconstruct`: originals and their tokenizer reconstructions side by side.
struct ReconstructCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reconstruct", abstract: "Tokenize and decode test images; writes originals (odd rows) above reconstructions.")
    @OptionGroup var data: DataOptions
    @Option(help: "Tokenizer file (default: the shipped one).") var tokenizer: String?
    @Option(help: "Number of test images (from the start of the split).") var count = 32
    @Option(help: "Images per row.") var columns = 16
    @Option(name: .shortAndLong, help: "Output PNG.") var output = "reconstruct.png"
    @Flag(help: "Print MSE/PSNR of these images as JSON.") var json = false

    struct Report: Codable { let images: Int, meanSquaredError: Double, peakSignalToNoise: Double }

    func validate() throws {
        guard count > 0, columns > 0 else { throw ValidationError("--count and --columns must be positive") }
        guard columns <= 1000 else { throw ValidationError("--columns must be in 1...1000, got \(columns)") }
    }

    func run() throws {
        let model = try ImageTokenizer.load(from: ShippedModels.imageTokenizer(tokenizer))
        let test = try data.load(.test)
        let n = min(count, test.count)
        let originals = test.batch(Array(0..<n))
        let decoded = try model.decode(model.encode(originals))
        let difference = try decoded - originals
        let mse = Double(try (difference * difference).sum()) / Double(n * test.imageSize)
        let a = try ImageGenerator.rasterImages(originals), b = try ImageGenerator.rasterImages(decoded)
        var tiles: [RasterImage] = []
        for start in stride(from: 0, to: n, by: columns) {
            let end = min(n, start + columns)
            tiles += a[start..<end] + Array(repeating: RasterImage(width: test.width, height: test.height, channels: a[0].channels, fill: [UInt8](repeating: 255, count: a[0].channels.rawValue)), count: columns - (end - start))
            tiles += b[start..<end] + Array(repeating: RasterImage(width: test.width, height: test.height, channels: a[0].channels, fill: [UInt8](repeating: 255, count: a[0].channels.rawValue)), count: columns - (end - start))
        }
        try RasterImage.contactSheet(tiles, columns: columns).writePNG(to: URL(fileURLWithPath: output))
        let report = Report(images: n, meanSquaredError: mse, peakSignalToNoise: 10 * log10(1 / max(mse, 1e-12)))
        if json { try printJSON(report) } else { print(String(format: "%d images: MSE %.5f, PSNR %.2f dB; wrote %@", n, mse, report.peakSignalToNoise, output)) }
    }
}
