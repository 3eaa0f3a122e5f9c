import Foundation
import Generation
import IconCommands
import IconSynthesis
import NeuralNetworks
import Rendering
import Testing

/// The efficient-inference options of the icon tasks: speculative decoding, layer skipping
/// and keywords read as a set all keep every icon valid; the set makes keyword order irrelevant.
@Suite struct IconDecodingTests {
    func checkValid(_ icons: [GeneratedIcon], _ synthesizer: IconSynthesizer) throws {
        for icon in icons {
            #expect(icon.tokens.last == IconTokenizer.endOfIcon)
            #expect(try synthesizer.model.tokenizer.decode(icon.tokens) == icon.icon)
            _ = try SVGRenderer.render(icon.icon.svgData(), size: 32)
        }
    }

    @Test func keywordOrderDoesNotMatterAsASet() throws {
        var synthesizer = IconSynthesizer(model: try randomIconModel(words: ["camera", "heart", "star", "photo"]))
        synthesizer.keywordsAsSet = true
        var options = IconSamplingOptions()
        options.seed = 5
        let orders = ["camera heart star", "star camera heart", "heart star camera"]
        let icons = try orders.map { try synthesizer.generate(text: $0, count: 3, options: options).map(\.tokens) }
        #expect(icons[0] == icons[1] && icons[1] == icons[2])
        try checkValid(try synthesizer.generate(text: "photo camera", count: 4, options: options), synthesizer)
    }

    @Test func speculativeAndSkippingDecodingGiveValidIcons() throws {
        let model = try randomIconModel()
        var synthesizer = IconSynthesizer(model: model)
        var options = IconSamplingOptions()
        options.temperature = 1.2
        // The model as its own draft: every drafted token is accepted.
        synthesizer.decoding = .speculative(draft: model.transformer, lookahead: 4)
        let speculative = try synthesizer.generate(text: "camera", count: 4, options: options)
        try checkValid(speculative, synthesizer)
        #expect(synthesizer.report.proposed > 0 && synthesizer.report.accepted == synthesizer.report.proposed)
        #expect(synthesizer.report.targetCalls < synthesizer.report.tokens)
        // A different (untrained) draft: some rejections, still valid icons.
        synthesizer.decoding = .speculative(draft: try randomIconModel(seed: 99).transformer, lookahead: 3)
        try checkValid(try synthesizer.edit(speculative[0].icon, pathIndex: 0, text: "camera", count: 2, options: options), synthesizer)
        try checkValid(try synthesizer.generate(text: "star", count: 3, options: options), synthesizer)
        #expect(synthesizer.report.accepted < synthesizer.report.proposed)
        synthesizer.decoding = .skipping(.feedForward(cosineThreshold: 0.5, warmupTokens: 2))
        try checkValid(try synthesizer.generate(text: "heart", count: 3, options: options), synthesizer)
    }

    @Test func generateCommandTakesTheInferenceOptions() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("icon-decoding-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try randomIconModel()
        try model.save(to: folder.appendingPathComponent("model"), halfPrecision: false)
        let modelPath = folder.appendingPathComponent("model").path
        for extra in [["--draft-model", modelPath, "--lookahead", "3"], ["--quantize", "int8"], ["--skip", "skipdecode:1"], ["--keywords-as-set", "--guidance", "3"]] {
            let out = folder.appendingPathComponent("out-\(extra[0])").path
            var command = try IconsCommand.parseAsRoot(["generate", "camera star", "--model", modelPath, "--count", "2", "--size", "16", "--out", out] + extra)
            try command.run()
            #expect(FileManager.default.fileExists(atPath: out + "/camera-star-sheet.png"))
        }
        #expect(throws: (any Error).self) {
            _ = try IconsCommand.parseAsRoot(["generate", "camera", "--keywords-as-set", "--skip", "ffn:0.9"])
        }
    }
}
