import ArgumentParser
import Commands
import Foundation
import IconSynthesis
import Rendering

/// `icons edit ICON.svg --path K`: regenerate one path in context (fill-in-the-middle).
struct IconsEditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Regenerate one path of an icon in the context of the others.")

    @Argument(help: "The SVG icon to edit.") var icon: String
    @Option(help: "Index of the path to regenerate (0-based, in canonical order).") var path: Int
    @Option(help: "Keywords to condition on.") var text: String?
    @OptionGroup var model: IconsModelOptions
    @OptionGroup var prompt: IconsPromptOptions
    @OptionGroup var sampling: IconsSamplingOptions
    @OptionGroup var inference: InferenceOptions
    @OptionGroup var output: IconsOutputOptions

    func run() throws {
        let synthesizer = try model.load(inference: inference)
        let source = try synthesizer.readIcon(URL(fileURLWithPath: icon))
        let keywords = try text.map { try prompt.keywords(for: $0, model: model, synthesizer: synthesizer) }
        let icons = try synthesizer.edit(source, pathIndex: path, text: keywords, count: sampling.count, options: sampling.options)
        try output.write(icons, name: URL(fileURLWithPath: icon).deletingPathExtension().lastPathComponent + "-edit")
    }
}

/// `icons complete PARTIAL.svg`: finish a partial icon (auto-suggestion).
struct IconsCompleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "complete", abstract: "Finish a partial icon.")

    @Argument(help: "The partial SVG icon.") var partial: String
    @Option(help: "Keywords to condition on.") var text: String?
    @OptionGroup var model: IconsModelOptions
    @OptionGroup var prompt: IconsPromptOptions
    @OptionGroup var sampling: IconsSamplingOptions
    @OptionGroup var inference: InferenceOptions
    @OptionGroup var output: IconsOutputOptions

    func run() throws {
        let synthesizer = try model.load(inference: inference)
        let source = try synthesizer.readIcon(URL(fileURLWithPath: partial))
        let keywords = try text.map { try prompt.keywords(for: $0, model: model, synthesizer: synthesizer) }
        let icons = try synthesizer.complete(source, text: keywords, count: sampling.count, options: sampling.options)
        try output.write(icons, name: URL(fileURLWithPath: partial).deletingPathExtension().lastPathComponent + "-complete")
    }
}

/// `icons render ICON.svg --size 256 -o OUT.png`.
struct IconsRenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render", abstract: "Render an SVG file to PNG (librsvg).")

    @Argument(help: "The SVG file.") var icon: String
    @Option(help: "Width and height in pixels.") var size = 256
    @Option(name: [.customShort("o"), .long], help: "The PNG to write.") var output: String

    func validate() throws {
        guard (1...8192).contains(size) else { throw ValidationError("--size must be in 1...8192, got \(size)") }
    }

    func run() throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: icon)) } catch {
            throw IconError.invalidFile(path: icon, detail: "cannot read (\(error.localizedDescription))")
        }
        let image: RasterImage
        do { image = try SVGRenderer.render(data, size: size) } catch {
            throw IconError.malformedSVG(file: icon, detail: "\(error)")
        }
        // A render that is background everywhere means the file draws nothing: say so rather
        // than write a blank PNG.
        let stride = image.channels.rawValue
        let background = Array(image.pixels.prefix(stride))
        if stride > 0, (0..<(image.width * image.height)).allSatisfy({ Array(image.pixels[($0 * stride)..<(($0 + 1) * stride)]) == background }) {
            throw IconError.noDrawableContent(file: icon)
        }
        try image.writePNG(to: URL(fileURLWithPath: output))
        print(output)
    }
}
