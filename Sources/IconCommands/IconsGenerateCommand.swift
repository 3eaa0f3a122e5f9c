import ArgumentParser
import Commands
import Foundation
import IconSynthesis

/// `icons generate [TEXT]`: new icons from keywords (no text: unconditional).
struct IconsGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Generate icons for keywords (SVGs, PNGs and a contact sheet).")

    @Argument(help: "Keywords, e.g. \"camera\"; omit for unconditional generation.") var text: String?
    @Option(help: "Comma-separated prompts: --count icons each, one contact-sheet row per prompt (instead of TEXT).")
    var prompts: String?
    @Flag(help: "Read the keywords as an unordered set (set-based prompting): every order of the same keywords gives the same icons. The shipped model was trained on ordered keywords, so this changes what it draws a little.")
    var keywordsAsSet = false
    @Option(help: "Sample this many candidates per icon and keep the best by --rerank-by; 1 keeps every sample (as does generation without text).")
    var rerank = 32
    @Option(help: "What reranking ranks by: both (the sum of the rank positions under the keyword classifier and under the model's log-likelihood per token), classifier, or likelihood.")
    var rerankBy: IconRerankCriterion = .both
    @Option(help: "Keyword classifier folder for --rerank (default <model>/classifier).") var classifier: String?
    @OptionGroup var model: IconsModelOptions
    @OptionGroup var prompt: IconsPromptOptions
    @OptionGroup var sampling: IconsSamplingOptions
    @OptionGroup var inference: InferenceOptions
    @OptionGroup var output: IconsOutputOptions

    func validate() throws {
        if text != nil && prompts != nil { throw ValidationError("give either TEXT or --prompts, not both") }
        guard (1...64).contains(rerank) else { throw ValidationError("--rerank must be in 1...64, got \(rerank)") }
        if keywordsAsSet && (inference.draftModel != nil || inference.skip != nil) {
            throw ValidationError("--keywords-as-set works with plain decoding only, not with --draft-model or --skip")
        }
    }

    func run() throws {
        let guidance = sampling.guidance ?? (inference.draftModel == nil ? Self.defaultGuidance : 1)
        var synthesizer = try model.load(inference: inference, guidance: guidance)
        synthesizer.keywordsAsSet = keywordsAsSet
        let conditional = prompts != nil || !(text ?? "").isEmpty
        let reranker = conditional && rerank > 1 && rerankBy != .likelihood ? try loadClassifier() : nil
        let promptList = prompts.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? [text ?? ""]
        let matcher = conditional ? try prompt.matcher(for: promptList, modelFolder: model.folder(), vocabulary: synthesizer.model.tokenizer.words) : nil
        func icons(for prompt: String?) throws -> [GeneratedIcon] {
            let text = try prompt.flatMap { text in try matcher.map { try self.prompt.keywords(for: text, matcher: $0) } ?? text }
            guard rerank > 1, let text, !text.isEmpty else {
                return try synthesizer.generate(text: text, count: sampling.count, options: sampling.options)
            }
            let total = sampling.count * rerank
            Console.progress("\(text): sampling \(total) candidates (\(rerank) per icon, guidance \(guidance))")
            var rankingStart = Date()
            let kept = try synthesizer.generate(text: text, count: sampling.count, candidatesPerIcon: rerank, by: rerankBy,
                                                classifier: reranker, options: sampling.options) {
                Console.progress("\(text): \($0)")
                rankingStart = Date()
            }
            Console.progress("\(text): kept \(kept.count) of \(total) in \(String(format: "%.1f", Date().timeIntervalSince(rankingStart))) s")
            return kept
        }
        guard let prompts else {
            let icons = try icons(for: text)
            if rerank == 1 || text?.isEmpty ?? true { Console.progress("decoded " + synthesizer.report.summary) }
            try output.write(icons, name: text ?? "unconditional")
            return
        }
        let list = promptList
        var all: [GeneratedIcon] = [], labels: [String] = []
        for (number, prompt) in list.enumerated() {
            if list.count > 1 { Console.progress("prompt \(number + 1) of \(list.count): \(prompt)") }
            all += try icons(for: prompt)
            labels += Array(repeating: prompt, count: sampling.count)
        }
        try output.write(all, name: "prompts", labels: labels, columns: sampling.count)
    }

    /// Classifier-free guidance when `--guidance` is not given (and no draft model, which
    /// cannot be guided): with reranking it gave the clearest icons on eight common prompts
    /// (docs/experiments/icons.md).
    static let defaultGuidance: Float = 1.5

    /// The reranking classifier, nil when the model folder has none and `--classifier` is not
    /// given (a note on stderr says what reranking uses instead).
    func loadClassifier() throws -> IconClassifier? {
        if let classifier { return try IconClassifier.load(from: URL(fileURLWithPath: classifier)) }
        let folder = try model.folder().appendingPathComponent("classifier")
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("classifier.json").path) else {
            Console.progress("note: \(folder.path) has no keyword classifier, so --rerank \(rerankBy == .classifier ? "keeps the sampling order" : "ranks by likelihood alone") (give --classifier DIR)")
            return nil
        }
        return try IconClassifier.load(from: folder)
    }
}

/// `icons combine A B`: one icon meaning both keywords.
struct IconsCombineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "combine", abstract: "Generate icons meaning both texts.")

    @Argument(help: "First keywords.") var first: String
    @Argument(help: "Second keywords.") var second: String
    @OptionGroup var model: IconsModelOptions
    @OptionGroup var prompt: IconsPromptOptions
    @OptionGroup var sampling: IconsSamplingOptions
    @OptionGroup var inference: InferenceOptions
    @OptionGroup var output: IconsOutputOptions

    func run() throws {
        let synthesizer = try model.load(inference: inference, guidance: sampling.guidance ?? 1)
        let matcher = try prompt.matcher(for: [first, second], modelFolder: model.folder(), vocabulary: synthesizer.model.tokenizer.words)
        let icons = try synthesizer.combine(try prompt.keywords(for: first, matcher: matcher), try prompt.keywords(for: second, matcher: matcher),
                                            count: sampling.count, options: sampling.options)
        try output.write(icons, name: "\(first)+\(second)")
    }
}

/// `icons interpolate A B --steps N`: icons along a blend of the two text conditions.
struct IconsInterpolateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interpolate", abstract: "Icons between two text conditions (blended text embeddings).")

    @Argument(help: "Text at the start.") var first: String
    @Argument(help: "Text at the end.") var second: String
    @Option(help: "Number of icons from the first to the second text (2...1000).") var steps = 5
    @OptionGroup var model: IconsModelOptions
    @OptionGroup var prompt: IconsPromptOptions
    @OptionGroup var sampling: IconsSamplingOptions
    @OptionGroup var output: IconsOutputOptions

    func validate() throws {
        guard (2...1000).contains(steps) else { throw ValidationError("--steps must be in 2...1000, got \(steps)") }
    }

    func run() throws {
        let synthesizer = try model.load()
        let matcher = try prompt.matcher(for: [first, second], modelFolder: model.folder(), vocabulary: synthesizer.model.tokenizer.words)
        let icons = try synthesizer.interpolate(try prompt.keywords(for: first, matcher: matcher), try prompt.keywords(for: second, matcher: matcher),
                                                steps: steps, options: sampling.options)
        try output.write(icons, name: "\(first)-to-\(second)")
    }
}

extension IconRerankCriterion: ExpressibleByArgument {}
