import ArgumentParser
import Commands
import Foundation
import ImageGeneration
import Rendering

/// `images generate --class 7 --count 64 --seed S -o grid.png`.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "Generate images of a class as a contact sheet (and optionally single PNGs).")
    @OptionGroup var models: ModelOptions
    @OptionGroup var sampling: SamplingOptions
    @OptionGroup var quantization: QuantizeOption
    @Option(name: .customLong("class"), help: "Class to generate; omit for every class in turn.") var classIndex: Int?
    @Option(help: "Number of images (at most 10000).") var count = 64
    @Option(help: "Random seed.") var seed: UInt64 = 0
    @Option(help: "Columns of the contact sheet (default: square-ish).") var columns: Int?
    @Option(name: .shortAndLong, help: "Contact sheet PNG.") var output = "grid.png"
    @Option(help: "Also write each image as DIR/NNNN.png.") var each: String?
    @OptionGroup var threads: ThreadsOption
    @OptionGroup var quiet: QuietOption

    func validate() throws {
        guard (1...10_000).contains(count) else { throw ValidationError("--count must be in 1...10000, got \(count)") }
        if let columns, !(1...count).contains(columns) { throw ValidationError("--columns must be in 1...\(count) (--count), got \(columns)") }
    }

    func run() throws {
        var isFolder: ObjCBool = false
        if let each, FileManager.default.fileExists(atPath: each, isDirectory: &isFolder), !isFolder.boolValue {
            throw ValidationError("--each \(each): exists and is not a folder")
        }
        let generator = try models.load()
        try quantization.prepare(generator.model.transformer)
        if let classIndex, classIndex < 0 || classIndex >= generator.classCount {
            throw ValidationError("--class \(classIndex) is outside 0..<\(generator.classCount)")
        }
        let classes = (0..<count).map { classIndex ?? ($0 % generator.classCount) }
        let images = try generator.generate(classes: classes, settings: sampling.settings, seed: seed)
        let width = columns ?? (classIndex == nil ? generator.classCount : Int(Double(count).squareRoot().rounded(.up)))
        try RasterImage.contactSheet(images, columns: width).writePNG(to: URL(fileURLWithPath: output))
        if let each {
            let folder = URL(fileURLWithPath: each)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (index, image) in images.enumerated() {
                try image.writePNG(to: folder.appendingPathComponent(String(format: "%04d.png", index)))
            }
        }
        log("wrote \(output) (\(count) images\(each.map { ", and \($0)/" } ?? ""))")
    }
}
