import Foundation
import Testing
import Tokenizers

@Suite struct BytePairTrainerTests {
    /// Deterministic pseudo-random words (a linear congruential generator, seed fixed), so the
    /// corpus has many distinct frequent pairs without shipping a data file.
    static func syntheticCorpus(wordCount: Int, seed: UInt64 = 42) -> String {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        let syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "é", "ß", "日本", "語", "😀", "ing", "the"]
        var words: [String] = []
        for _ in 0..<wordCount {
            let length = 1 + Int(next() % 4)
            words.append((0..<length).map { _ in syllables[Int(next() % UInt64(syllables.count))] }.joined())
        }
        return words.joined(separator: " ")
    }

    static let roundTripTexts = [
        "", "hello world", "Hello, World!  Tabs\tand\nnewlines\r\n",
        "naïve café — “quotes” ‘single’", "cafe\u{301} (decomposed)", "日本語のテキスト",
        "Привет, мир", "😀👍🏽👨‍👩‍👧 🇩🇪", "\u{0}\u{1}\u{7F} control", "unseen: ŋ ɣ ʃ Ω ∑ ∫",
        "<|endoftext|>inside<|endoftext|>", "    leading and trailing    ",
    ]

    @Test func firstMergesOfHandCheckableCorpus() throws {
        // Words: "ab"×1, " ab"×2, " abc"×2. Pair counts: a b = 5, Ġ a = 4, b c = 2, so the merges
        // are "a b" (5), then "Ġ ab" (4), then "Ġab c" (2), then nothing is left to merge.
        let trainer = try BytePairTrainer(vocabularySize: 300, minimumPairFrequency: 2)
        let tokenizer = try trainer.train(on: ["ab ab ab abc abc"])
        #expect(tokenizer.merges.map { "\($0.0) \($0.1)" } == ["a b", "Ġ ab", "Ġab c"])
        #expect(tokenizer.vocabularySize == 259)
        #expect(tokenizer.encode(" abc ab").map { tokenizer.token(for: $0) } == ["Ġabc", "Ġab"])
    }

    @Test func minimumFrequencyStopsMerging() throws {
        let trainer = try BytePairTrainer(vocabularySize: 300, minimumPairFrequency: 3)
        let tokenizer = try trainer.train(on: ["ab ab ab abc abc"])
        #expect(tokenizer.merges.map { "\($0.0) \($0.1)" } == ["a b", "Ġ ab"])
    }

    @Test(arguments: [300, 600, 1000])
    func vocabularySizeIsRespected(target: Int) throws {
        let trainer = try BytePairTrainer(vocabularySize: target, specialTokens: ["<|endoftext|>", "<pad>"])
        let tokenizer = try trainer.train(on: [Self.syntheticCorpus(wordCount: 20_000)])
        #expect(tokenizer.vocabularySize == target)
        #expect(tokenizer.mergeCount == target - 256 - 2)
        #expect(tokenizer.specialTokenID("<|endoftext|>") == 0)
        #expect(tokenizer.specialTokenID("<pad>") == 1)
        #expect(tokenizer.token(for: 2) == "!")
    }

    @Test func roundTripsAnyText() throws {
        let trainer = try BytePairTrainer(vocabularySize: 500, specialTokens: ["<|endoftext|>"])
        let corpus = [Self.syntheticCorpus(wordCount: 5_000)] + Self.roundTripTexts
        let tokenizer = try trainer.train(on: corpus)
        for text in Self.roundTripTexts + [Self.syntheticCorpus(wordCount: 300, seed: 7)] {
            let ids = tokenizer.encode(text)
            #expect(try tokenizer.decode(ids).unicodeScalars.elementsEqual(text.unicodeScalars), "\(text.debugDescription)")
        }
        // Merges learned from the corpus compress it: fewer tokens than bytes.
        let sample = Self.syntheticCorpus(wordCount: 300, seed: 7)
        #expect(tokenizer.encode(sample).count * 2 < sample.utf8.count)
        #expect(tokenizer.encode("a<|endoftext|>b") == [tokenizer.id(for: "a")!, 0, tokenizer.id(for: "b")!])
    }

    @Test func saveAndLoadGiveTheSameIDs() throws {
        let trainer = try BytePairTrainer(vocabularySize: 700, specialTokens: ["<|endoftext|>"])
        let tokenizer = try trainer.train(on: [Self.syntheticCorpus(wordCount: 10_000)])
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try tokenizer.save(to: folder)
        let contents = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(contents == ["merges.txt", "vocab.json"], "no temporary files may be left behind")
        let loaded = try BytePairTokenizer(directory: folder, specialTokens: ["<|endoftext|>"])
        #expect(loaded.vocabularySize == tokenizer.vocabularySize)
        #expect(loaded.merges.elementsEqual(tokenizer.merges, by: { $0 == $1 }))
        for text in Self.roundTripTexts + [Self.syntheticCorpus(wordCount: 500, seed: 9)] {
            #expect(loaded.encode(text) == tokenizer.encode(text))
        }
        let merges = try String(contentsOf: folder.appendingPathComponent("merges.txt"), encoding: .utf8)
        #expect(merges.hasPrefix("#version: 0.2\n"))
    }

    @Test func rejectsImpossibleSettings() {
        #expect(throws: TokenizerError.self) { try BytePairTrainer(vocabularySize: 256, specialTokens: ["<s>"]) }
        #expect(throws: TokenizerError.self) { try BytePairTrainer(vocabularySize: 300, minimumPairFrequency: 0) }
        #expect(throws: TokenizerError.self) { try BytePairTrainer(vocabularySize: 300, specialTokens: ["a"]) }
    }
}
