import ArgumentParser
import Commands
import Foundation
import IconSynthesis
import Rendering

/// `--model`: the icon model folder (default: the shipped `assets/icons`).
struct IconsModelOptions: ParsableArguments {
    @Option(help: "Icon model folder (written by `icons train`); default: the shipped model.")
    var model: String?

    func load() throws -> IconSynthesizer {
        IconSynthesizer(model: try IconModel.load(from: folder()))
    }

    /// `--model`, else the shipped icon model (see ``ShippedModels``).
    func folder() throws -> URL {
        try ShippedModels.folder("icons", marker: IconModel.tokenizerFileName, explicit: model)
    }
}

extension InferenceOptions {
    /// Applies `--quantize`, `--draft-model`/`--lookahead` and `--skip` to an icon synthesizer.
    func configure(_ synthesizer: inout IconSynthesizer) throws {
        try prepare(synthesizer.model.transformer)
        if let draft = try loadDraft() {
            guard draft.configuration.vocabularySize == synthesizer.model.tokenizer.vocabularySize else {
                throw ValidationError("--draft-model: its vocabulary (\(draft.configuration.vocabularySize)) differs from the icon model's (\(synthesizer.model.tokenizer.vocabularySize)); train the draft on the same dataset")
            }
            synthesizer.decoding = .speculative(draft: draft, lookahead: lookahead)
        } else if let method = try skipMethod(layerCount: synthesizer.model.transformer.configuration.layerCount) {
            synthesizer.decoding = .skipping(method)
        }
    }
}

extension IconsModelOptions {
    /// The synthesizer with `--quantize`, `--draft-model`, `--skip` and the keyword guidance applied.
    func load(inference: InferenceOptions, guidance: Float = 1) throws -> IconSynthesizer {
        var synthesizer = try load()
        try inference.configure(&synthesizer)
        synthesizer.textGuidance = guidance
        return synthesizer
    }
}

/// Sampling options shared by the generating commands.
struct IconsSamplingOptions: ParsableArguments {
    @Option(help: "Icons to generate (at most 1000).") var count = 8
    @Option(help: "Random seed (sequence i uses seed + i).") var seed: UInt64 = 0
    @Option(help: "Softmax temperature (> 0).") var temperature: Float = 0.6
    @Option(help: "Nucleus sampling mass in (0, 1]; 1 disables.") var topP: Float = 0.95
    @Option(help: "Keep only the k most likely tokens (0 disables).") var topK = 0
    @Option(help: "Classifier-free guidance of the keywords (>= 1; 1 is off): larger values follow the keywords more closely at some cost in variety. Costs a second model run per token. Default: 1.5 for generate (1 with --draft-model), 1 elsewhere.")
    var guidance: Float?
    @OptionGroup var threads: ThreadsOption
    @OptionGroup var quiet: QuietOption

    func validate() throws {
        guard (1...1000).contains(count) else { throw ValidationError("--count must be in 1...1000, got \(count)") }
        guard temperature > 0, temperature.isFinite else { throw ValidationError("--temperature must be > 0, got \(temperature)") }
        guard topP > 0, topP <= 1 else { throw ValidationError("--top-p must be in (0, 1], got \(topP)") }
        guard topK >= 0 else { throw ValidationError("--top-k must be >= 0, got \(topK)") }
        if let guidance, !(guidance >= 1 && guidance <= 20) { throw ValidationError("--guidance must be in 1...20, got \(guidance)") }
    }

    var options: IconSamplingOptions {
        var options = IconSamplingOptions()
        options.temperature = temperature
        options.topP = topP < 1 ? topP : nil
        options.topK = topK > 0 ? topK : nil
        options.seed = seed
        return options
    }
}

/// Where generated icons go and how they are rendered.
struct IconsOutputOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Output folder for the SVGs, PNGs and contact sheet.", valueName: "dir"))
    var out = "icons-out"
    @Option(help: "PNG size in pixels.") var size = 128
    @Flag(help: "Print the written files as JSON on stdout.") var json = false
    /// The older spelling `--out` (see ``OptionAlias``).
    @Option(name: .customLong("out"), help: .hidden) var outAlias: String?

    mutating func validate() throws {
        OptionAlias.merge(&self, \.out, alias: \.outAlias)
        guard (8...4096).contains(size) else { throw ValidationError("--size must be in 8...4096, got \(size)") }
    }

    /// Writes `name-i.svg` and `name-i.png` per icon and `name-sheet.png`, then prints a summary.
    func write(_ icons: [GeneratedIcon], name: String, labels: [String]? = nil, columns: Int? = nil) throws {
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let stem = name.isEmpty ? "icon" : String(name.map { $0.isLetter || $0.isNumber ? $0 : "-" })
        var files: [[String: Any]] = []
        var images: [RasterImage] = []
        for (i, icon) in icons.enumerated() {
            let fileStem = labels.map { String($0[i].map { $0.isLetter || $0.isNumber ? $0 : "-" }) } ?? stem
            let svgURL = folder.appendingPathComponent("\(fileStem)-\(i).svg")
            let pngURL = folder.appendingPathComponent("\(fileStem)-\(i).png")
            try AtomicWrite.data(icon.icon.svgData(), to: svgURL)
            let image = try SVGRenderer.render(icon.icon.svgData(), size: size)
            try image.writePNG(to: pngURL)
            images.append(image)
            files.append(["svg": svgURL.path, "png": pngURL.path, "paths": icon.icon.paths.count, "tokens": icon.tokens.count,
                          "label": labels?[i] ?? name])
        }
        let sheetURL = folder.appendingPathComponent("\(stem)-sheet.png")
        try RasterImage.contactSheet(images, columns: columns ?? min(8, images.count), spacing: 4).writePNG(to: sheetURL)
        if json {
            let data = try JSONSerialization.data(withJSONObject: ["icons": files, "contactSheet": sheetURL.path], options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for file in files { print(file["svg"]!) }
            print(sheetURL.path)
        }
    }
}
