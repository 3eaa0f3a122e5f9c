// The IconShop tasks (Wu et al. 2023, section 4): text-guided generation, unconditional
// generation, icon editing by fill-in-the-middle (section 4.4), auto-suggestion (completing
// a partial icon), interpolation between text conditions and combination of keywords.

import Foundation
import Generation
import NeuralNetworks

/// One generated icon.
public struct GeneratedIcon: Sendable {
    /// The SVG tokens (ending with end-of-icon).
    public var tokens: [Int]
    /// The decoded icon.
    public var icon: QuantizedIcon
}

/// Sampling controls shared by every task.
public struct IconSamplingOptions: Sendable {
    /// Sampling temperature. Default 0.6.
    public var temperature: Float = 0.6
    /// Nucleus (top-p) threshold; nil disables it. Default 0.95.
    public var topP: Float? = 0.95
    /// Top-k cut-off; nil disables it. Default nil.
    public var topK: Int? = nil
    /// Seed of the sampling. Default 0.
    public var seed: UInt64 = 0
    /// The defaults: temperature 0.6, top-p 0.95, no top-k, seed 0.
    public init() {}
}

/// The facade the `icons` commands call.
///
/// ```swift
/// let synthesizer = IconSynthesizer(model: try IconModel.load(from: url))
/// let icons = try synthesizer.generate(text: "camera", count: 4, options: IconSamplingOptions())
/// try icons[0].icon.svgData().write(to: URL(fileURLWithPath: "camera.svg"))
/// ```
public struct IconSynthesizer {
    /// The icon model that samples.
    public let model: IconModel
    /// Plain, layer-skipping or speculative decoding (see ``IconDecoding``).
    public var decoding: IconDecoding = .standard
    /// Read the keywords of ``generate(text:count:options:)`` as a set: every order of the
    /// same keywords gives the same icons (set-based prompting).
    public var keywordsAsSet = false
    /// Classifier-free guidance of the keywords in ``generate(text:count:options:)``: 1 is
    /// off; larger values follow the keywords more closely (the model saw 10% of its training
    /// icons without keywords, so it knows the unconditional prompt).
    public var textGuidance: Float = 1
    /// Tokens, time and speculative acceptance of the last call.
    public let report = IconDecodingReport()

    /// A synthesizer with standard decoding, ordered keywords and no guidance.
    public init(model: IconModel) { self.model = model }

    var tokenizer: IconTokenizer { model.tokenizer }

    func settings(_ options: IconSamplingOptions, promptLength: Int, stop: Int) throws -> GenerationSettings {
        var settings = GenerationSettings()
        settings.temperature = options.temperature
        settings.topP = options.topP
        settings.topK = options.topK
        settings.seed = options.seed
        settings.stopTokens = [stop]
        settings.maxNewTokens = model.contextLength - promptLength + 1
        guard settings.maxNewTokens >= 8 else {
            throw IconError.invalidArgument(name: "prompt", detail: "\(promptLength) tokens leave no room in the context of \(model.contextLength)")
        }
        try settings.validate()
        return settings
    }

    /// Samples `count` continuations of `prompts` through the grammar processor.
    func sample(prompts: [[Int]], stop: Int, options: IconSamplingOptions) throws -> [[Int]] {
        try decode(prompts: prompts, keywords: nil, stop: stop, options: options)
    }

    /// New icons for `text` (empty or nil: unconditional).
    public func generate(text: String?, count: Int, options: IconSamplingOptions) throws -> [GeneratedIcon] {
        try checkCount(count)
        let prompt = tokenizer.prompt(text: text ?? "")
        let keywords = keywordsAsSet ? keywordSet(text ?? "") : nil
        let guided = !tokenizer.encodeText(text ?? "").isEmpty
        return try decode(prompts: Array(repeating: prompt, count: count), keywords: keywords, guided: guided,
                          stop: IconTokenizer.endOfIcon, options: options)
            .map { GeneratedIcon(tokens: $0, icon: try tokenizer.decode($0)) }
    }

    /// One icon meaning both texts: IconShop combines keywords into one prompt.
    public func combine(_ first: String, _ second: String, count: Int, options: IconSamplingOptions) throws -> [GeneratedIcon] {
        try generate(text: "\(first) \(second)", count: count, options: options)
    }

    /// Regenerates path `pathIndex` of `icon` in the context of the other paths (fill-in-the-middle).
    public func edit(_ icon: QuantizedIcon, pathIndex: Int, text: String?, count: Int, options: IconSamplingOptions) throws -> [GeneratedIcon] {
        try checkCount(count)
        try checkGrid(icon)
        guard icon.paths.indices.contains(pathIndex) else {
            throw IconError.invalidArgument(name: "--path", detail: "must be in 0..<\(icon.paths.count) (the icon has \(icon.paths.count) paths)")
        }
        let builder = IconSequenceBuilder(tokenizer: tokenizer)
        let svg = tokenizer.encode(icon)
        let full = builder.fillInTheMiddle(text: tokenizer.encodeText(text ?? ""), svgTokens: svg, path: pathIndex)
        // The prompt ends after the second mask; the model writes the path and end-of-mask.
        let cut = full.count - builder.pathRuns(svg)[pathIndex].count - 1
        let prompt = Array(full[..<cut])
        return try sample(prompts: Array(repeating: prompt, count: count), stop: IconTokenizer.endOfMask, options: options).map { span in
            var paths = icon.paths
            paths[pathIndex] = try tokenizer.decode(Array(span.dropLast()) + [IconTokenizer.endOfIcon]).paths[0]
            let edited = QuantizedIcon(gridSize: icon.gridSize, paths: paths)
            return GeneratedIcon(tokens: tokenizer.encode(edited), icon: edited)
        }
    }

    /// Finishes a partial icon: its paths are kept and the model adds paths until it ends the icon.
    public func complete(_ partial: QuantizedIcon, text: String?, count: Int, options: IconSamplingOptions) throws -> [GeneratedIcon] {
        try checkCount(count)
        try checkGrid(partial)
        let prefix = partial.paths.flatMap { tokenizer.encode(path: $0) }
        let prompt = tokenizer.prompt(text: text ?? "") + prefix
        return try sample(prompts: Array(repeating: prompt, count: count), stop: IconTokenizer.endOfIcon, options: options).map { rest in
            let tokens = prefix + rest
            return GeneratedIcon(tokens: tokens, icon: try tokenizer.decode(tokens))
        }
    }

    func checkCount(_ count: Int) throws {
        guard count >= 1 else { throw IconError.invalidArgument(name: "--count", detail: "must be >= 1, got \(count)") }
    }

    func checkGrid(_ icon: QuantizedIcon) throws {
        guard icon.gridSize == tokenizer.gridSize else {
            throw IconError.invalidArgument(name: "icon", detail: "grid \(icon.gridSize) differs from the model's \(tokenizer.gridSize)")
        }
    }

    /// Reads one icon file and quantises it onto the model's grid.
    ///
    /// - Throws: ``IconError`` naming the file (malformed, unsupported, no drawable content).
    public func readIcon(_ url: URL) throws -> QuantizedIcon {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw IconError.invalidFile(path: url.path, detail: "cannot read (\(error.localizedDescription))")
        }
        let parsed = try SVGParser.parse(data, file: url.path)
        guard parsed.count == 1 else {
            throw IconError.invalidArgument(name: url.path, detail: "holds \(parsed.count) glyphs; pass a single-icon SVG")
        }
        let icon = try IconQuantizer(gridSize: tokenizer.gridSize).quantize(parsed[0].paths)
        guard !icon.paths.isEmpty else { throw IconError.noDrawableContent(file: url.path) }
        return icon
    }
}
