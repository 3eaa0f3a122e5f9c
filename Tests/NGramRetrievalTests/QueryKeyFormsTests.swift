import FMIndex
import Foundation
import NGramRetrieval
import NeuralNetworks
import Tensors
import Testing
import Tokenizers

/// Pooled query keys (case forms and stems), BM25's saturation in SEAL's scoring, and the
/// generator weight: the extensions `search.json` ships for the SQuAD generator.
@Suite struct QueryKeyFormsTests {
    @Test func groupsHoldTheCaseFormsOfEachNGram() {
        let groups = QueryKeys.groups("Who discovered oxygen?", maximumLength: 2)
        #expect(groups.contains([" oxygen", " Oxygen"]))
        #expect(groups.contains([" Who", " who"]))
        #expect(groups.contains([" discovered oxygen", " discovered Oxygen", " Discovered oxygen", " Discovered Oxygen"]))
        // Every form belongs to one group: "us" and "Us" give one key.
        let twice = QueryKeys.groups("us and Us", maximumLength: 1)
        #expect(twice.filter { $0.contains(" us") || $0.contains(" Us") }.count == 1)
        // The n-grams are SEAL's, every form of `strings` is in a group.
        let flat = Set(groups.flatMap { $0 })
        #expect(Set(QueryKeys.strings("Who discovered oxygen?", maximumLength: 2)).isSubset(of: flat))
        // Extra word forms join one-word groups only.
        let stemmed = QueryKeys.groups("oxygen levels", maximumLength: 2, wordForms: { $0 == "levels" ? [" level", " Level"] : [] })
        #expect(stemmed.contains([" levels", " Levels", " level", " Level"]))
        #expect(stemmed.contains { $0.first == " oxygen levels" && !$0.contains(" oxygen level") })
    }

    @Test func wordFormsGroupCorpusWordsByStem() {
        let forms = WordForms(texts: ["The Normans defeated them.", "A defeat, then Defeating the Danes", "defeatist"])
        #expect(forms.forms(of: "defeats") == [" Defeating", " defeat", " defeated"])
        #expect(forms.forms(of: "DEFEAT") == [" Defeating", " defeat", " defeated"])
        #expect(forms.forms(of: "victory").isEmpty)
    }

    /// A word after punctuation is a pre-token without a space: its form carries the
    /// punctuation pre-token before it, so its tokens are the indexed ones.
    @Test func wordsAfterPunctuationKeepTheirContext() {
        let forms = WordForms(texts: ["Public-Private Partnering (PPPs) and \"Kennedy\" in 1980s", "The end.\nKennedy's"])
        #expect(forms.forms(of: "ppps") == [" (PPPs"])
        #expect(forms.forms(of: "private") == ["-Private"])
        #expect(forms.forms(of: "public-private") == [" Public-Private"], "the compound is a word of its own after a space")
        #expect(forms.forms(of: "kennedy") == ["\nKennedy", " \"Kennedy"], "not ' Kennedy', which never follows a space here")
        #expect(forms.forms(of: "s").isEmpty, "a letter run after digits stays with them")
        // The digits after a number's separator belong to that number.
        let numbers = WordForms(texts: ["Some 1,500 of 3.5 million at 10:30, and 500 (500) rooms"])
        #expect(numbers.forms(of: "500") == [" (500", " 500"])
        #expect(numbers.forms(of: "5").isEmpty && numbers.forms(of: "30").isEmpty)
    }

    /// Every form WordForms records, encoded alone, occurs in an index of the same texts: its
    /// tokens are the indexed ones.
    @Test func everyRecordedFormOccursInTheIndex() throws {
        let texts = ["Public-Private Partnering (PPPs) and \"Kennedy\" in 1980s.", "The end.\nKennedy's U.S.-based (co-)teaching",
                     "Paris-based banks, 1,500 of 3.5 [citation needed] and \u{00A0}Nonbreaking\ttabbed"]
        let passages = texts.enumerated().map { Passage(id: "p\($0.offset)", title: "Title_\($0.offset)", text: $0.element) }
        let tokenizer = try PassageTokenizer.train(on: passages, vocabularySize: 300)
        let index = try RetrievalIndex(passages: passages, tokenizer: tokenizer)
        let forms = WordForms(texts: passages.flatMap { [$0.displayTitle, $0.text] })
        var checked = 0
        for word in texts.flatMap(QueryKeys.words) + ["Title"] where word.contains(where: { $0.isLetter || $0.isNumber }) {
            for form in forms.forms(of: word) {
                #expect(index.fmIndex.count(tokenizer.encode(text: form)) > 0, "\(form)")
                checked += 1
            }
        }
        #expect(checked > 20)
        #expect(forms.forms(of: "Nonbreaking") == ["\u{00A0}Nonbreaking"] && forms.forms(of: "tabbed") == ["\ttabbed"])
        // ".-based" (from "U.S.-based") holds "-based" wherever the BPE splits ".-": a key keeps
        // no form that holds another, or "U.S.-based" would be counted twice.
        #expect(forms.forms(of: "based").contains(".-based") && forms.forms(of: "based").contains("-based"))
        var configuration = DecoderConfiguration()
        (configuration.vocabularySize, configuration.hiddenSize, configuration.layerCount, configuration.headCount, configuration.contextLength) =
            (tokenizer.vocabularySize, 16, 1, 2, 64)
        var seed = SeededGenerator(seed: 2)
        let retriever = try Retriever(index: index, generator: NGramGenerator(model: DecoderTransformer(configuration: configuration, generator: &seed)))
        let key = try #require(try retriever.keys(for: "based", settings: settings(.stemmed)).first)
        let (dotted, plain) = (tokenizer.encode(text: ".-based"), tokenizer.encode(text: "-based"))
        #expect(key.forms.contains(plain))
        #expect(key.forms.contains(dotted) == !dotted.reversed().starts(with: plain.reversed()), "\(dotted) \(plain)")
    }

    @Test func saturationIsBM25s() {
        let average = 10.0
        func factor(_ tf: Int, _ length: Int, _ k1: Double, _ b: Double) -> Double {
            SEALScoring.saturation(occurrences: tf, length: length, averageLength: average, k1: k1, b: b)
        }
        #expect(factor(1, 10, 1.5, 0.75) == 1)
        #expect(abs(factor(2, 10, 1.5, 0.75) - 2 * 2.5 / 3.5) < 1e-12)
        #expect(abs(factor(1, 20, 1.5, 1) - 2.5 / 4) < 1e-12, "twice the average length, full normalisation")
        #expect(factor(5, 40, 0, 0.75) == 1, "k1 = 0 is SEAL: a key counts once")
        #expect(factor(3, 10, 0.5, 0) < 1.5 && factor(3, 10, 0.5, 0) > factor(2, 10, 0.5, 0))
    }

    /// Token 1 and token 4 are two forms of one key: its count pools theirs (3), both forms
    /// match, and with saturation a passage holding a form twice scores higher.
    @Test func pooledFormsShareCountMatchesAndWeight() throws {
        let documents = [[1, 2, 3, 9], [4, 2, 4, 9], [5, 6, 7, 9]]
        let index = try FMIndex(documents: documents)
        let scoring = SEALScoring(index: index, documents: documents)
        var settings = ScoringSettings()
        settings.smoothing = 0
        settings.alpha = 1
        let key = NGramKey(tokens: [1], logProbability: log(0.5), source: .query, variants: [[4]])
        #expect(key.forms == [[1], [4]])
        let expected = SEALScoring.weight(logProbability: log(0.5), count: 3, totalTokens: index.tokenCount, smoothing: 0)
        let once = scoring.rank(keys: [key], settings: settings, limit: 10)
        #expect(once.map(\.document) == [0, 1], "no match in document 2")
        #expect(once.allSatisfy { abs($0.score - expected) < 1e-9 }, "SEAL counts a key once per passage")
        #expect(once[1].ngrams.map(\.tokens) == [[4]] && once[1].ngrams[0].spans == [0..<1, 2..<3])
        settings.termSaturation = 1.5
        settings.lengthNormalization = 0   // equal lengths anyway
        let saturated = scoring.rank(keys: [key], settings: settings, limit: 10)
        #expect(saturated.map(\.document) == [1, 0])
        #expect(abs(saturated[0].score - expected * 2 * 2.5 / 3.5) < 1e-9 && abs(saturated[1].score - expected) < 1e-9)
        // Length normalisation: the same single match weighs less in a longer passage.
        let long = [[1, 9], [1, 9, 9, 9, 9, 9]]
        let longScoring = SEALScoring(index: try FMIndex(documents: long), documents: long)
        settings.lengthNormalization = 1
        let byLength = longScoring.rank(keys: [NGramKey(tokens: [1], logProbability: log(0.5), source: .query)], settings: settings, limit: 2)
        #expect(byLength.map(\.document) == [0, 1] && byLength[0].score > byLength[1].score)
    }

    /// With document frequencies, P(n) counts passages. Token 1 occurs 4 times in 2 of the
    /// 4 passages, token 4 3 times in 3: by tokens 4 is the rarer, by passages 1 is.
    @Test func documentFrequencyReplacesTheTokenCount() throws {
        let documents = [[1, 1, 1, 2], [1, 4, 3, 3], [5, 4, 2, 2], [4, 3, 2, 3]]
        let index = try FMIndex(documents: documents)
        let scoring = SEALScoring(index: index, documents: documents)
        var settings = ScoringSettings()
        settings.smoothing = 0
        let p = log(0.9)
        func seal(_ count: Int, _ total: Int) -> Double {
            SEALScoring.weight(logProbability: p, count: count, totalTokens: total, smoothing: 0)
        }
        #expect(scoring.weight(forms: [[1]], logProbability: p, settings: settings) == seal(4, 16))
        #expect(scoring.weight(forms: [[1], [5]], logProbability: p, settings: settings) == seal(5, 16))
        let keys = [NGramKey(tokens: [1], logProbability: p, source: .query), NGramKey(tokens: [4], logProbability: p, source: .query)]
        let byTokens = scoring.rank(keys: keys, settings: settings, limit: 4)
        #expect(byTokens.first { $0.document == 2 }!.score > byTokens.first { $0.document == 0 }!.score, "by tokens, token 4 weighs more")
        settings.unconditional = .documents
        #expect(scoring.weight(forms: [[1]], logProbability: p, settings: settings) == seal(2, 4))
        #expect(scoring.weight(forms: [[4]], logProbability: p, settings: settings) == seal(3, 4))
        #expect(scoring.weight(forms: [[1], [5]], logProbability: p, settings: settings) == seal(3, 4), "passages 0, 1 and 2")
        #expect(scoring.weight(forms: [[3, 3]], logProbability: p, settings: settings) == seal(1, 4))
        let byPassages = scoring.rank(keys: keys, settings: settings, limit: 4)
        #expect(byPassages.first?.document == 1, "the passage with both keys")
        #expect(byPassages.first { $0.document == 0 }!.score > byPassages.first { $0.document == 2 }!.score, "by passages, token 1 weighs more")
    }

    func settings(_ forms: QueryKeyForms) -> SearchSettings {
        var settings = SearchSettings()
        settings.decodeBody = false
        settings.decodeTitles = false
        settings.queryKeyLength = 1
        settings.queryKeyForms = forms
        return settings
    }

    /// A case-folded key holds " oxygen" and " Oxygen" with the log-sum-exp of their two
    /// probabilities; as written they are two keys.
    @Test func caseFoldedKeysPoolTheGeneratorsProbabilities() throws {
        let retriever = try Retriever(index: TinyCorpus.index, generator: TinyCorpus.generator(seed: 5))
        let query = "When was oxygen discovered?"
        let encode = { TinyCorpus.tokenizer.encode(text: $0) }
        let separate = try retriever.keys(for: query, settings: settings(.asWritten))
        let lower = try #require(separate.first { $0.tokens == encode(" oxygen") })
        let upper = try #require(separate.first { $0.tokens == encode(" Oxygen") })
        let folded = try retriever.keys(for: query, settings: settings(.caseFolded))
        let pooled = try #require(folded.first { $0.forms.contains(encode(" oxygen")) })
        #expect(Set(pooled.forms) == [encode(" oxygen"), encode(" Oxygen")])
        let expected = log(exp(lower.logProbability) + exp(upper.logProbability))
        #expect(abs(pooled.logProbability - expected) < 1e-9)
        #expect(folded.count < separate.count)
        // Stemming adds the corpus words with the query word's stem ("discovered" for "discovers").
        let stemmed = try retriever.keys(for: "Who discovers oxygen?", settings: settings(.stemmed))
        #expect(stemmed.contains { $0.forms.contains(encode(" discovered")) })
        #expect(try retriever.keys(for: "Who discovers oxygen?", settings: settings(.caseFolded)).allSatisfy { !$0.forms.contains(encode(" discovered")) })
    }

    /// "Levi's" stems like "Levi", but its tokens extend " Levi": counting it too would count
    /// every "Levi's" twice, so the stemmed key keeps the shorter form only.
    @Test func aFormExtendingAnotherIsLeftOut() throws {
        let retriever = try Retriever(index: TinyCorpus.index, generator: TinyCorpus.generator(seed: 5))
        let encode = { TinyCorpus.tokenizer.encode(text: $0) }
        let levi = encode(" Levi"), levis = encode(" Levi's")
        try #require(levis.count > levi.count && levis.starts(with: levi), "the tiny BPE splits the possessive off")
        #expect(retriever.wordForms.forms(of: "Levi").contains(" Levi's"))
        let keys = try retriever.keys(for: "Where is Levi?", settings: settings(.stemmed))
        let key = try #require(keys.first { $0.forms.contains(levi) })
        #expect(!key.forms.contains(levis))
        for key in keys {
            for form in key.forms { #expect(!key.forms.contains { $0.count < form.count && form.contains($0) }) }
        }
    }

    /// The generator weight shifts generated keys by log(w) and mixes query keys under the floor.
    @Test func generatorWeightScalesEveryGeneratorProbability() throws {
        let retriever = try Retriever(index: TinyCorpus.index, generator: TinyCorpus.generator(seed: 5))
        var full = settings(.asWritten)
        full.decodeBody = true
        full.beamCount = 3
        full.bodyLength = 3
        full.queryKeyFloor = -4
        var scaled = full
        scaled.generatorWeight = 0.1
        let query = "Who was the first ruler of Normandy?"
        var unfloored = full
        unfloored.queryKeyFloor = nil
        let raw = try retriever.keys(for: query, settings: unfloored)
        let weighted = try retriever.keys(for: query, settings: scaled)
        #expect(raw.map(\.tokens) == weighted.map(\.tokens))
        for (before, after) in zip(raw, weighted) {
            let expected = before.source == .query
                ? min(log(0.1 * exp(before.logProbability) + exp(-4)), 0)
                : before.logProbability + log(0.1)
            #expect(abs(after.logProbability - expected) < 1e-9)
        }
        #expect(raw.contains { $0.source == .body } && raw.contains { $0.source == .query })
        // SEAL's unigram evidence (the first-token distribution) is scaled the same way.
        let before = try retriever.evidence(for: query, settings: unfloored).unigramLogProbabilities
        let after = try retriever.evidence(for: query, settings: scaled).unigramLogProbabilities
        #expect(zip(before, after).allSatisfy { abs($1 - ($0 + log(0.1))) < 1e-9 })
        scaled.generatorWeight = 0
        #expect(throws: RetrievalError.self) { try retriever.keys(for: query, settings: scaled) }
    }

    /// Words after punctuation are found by stemmed keys (as written, " PPPs" never occurs),
    /// and the hit highlights and names the word, not the parenthesis before it.
    @Test func stemmedKeysFindWordsAfterPunctuation() throws {
        let passages = [
            Passage(id: "a", title: "Construction", text: "New forms include Public-Private Partnering (PPPs) and alliances."),
            Passage(id: "b", title: "Construction", text: "Contractors bid for public works and private partnering deals."),
            Passage(id: "c", title: "Oxygen", text: "Oxygen is a chemical element (symbol O) found in water."),
        ]
        let tokenizer = try PassageTokenizer.train(on: passages, vocabularySize: 300)
        let index = try RetrievalIndex(passages: passages, tokenizer: tokenizer)
        var configuration = DecoderConfiguration()
        (configuration.vocabularySize, configuration.hiddenSize, configuration.layerCount, configuration.headCount, configuration.contextLength) =
            (tokenizer.vocabularySize, 16, 1, 2, 64)
        var seed = SeededGenerator(seed: 1)
        let retriever = try Retriever(index: index, generator: NGramGenerator(model: DecoderTransformer(configuration: configuration, generator: &seed)))
        // One fixed log P(n|q) for every key: the weights come from the index alone.
        func fixed(_ forms: QueryKeyForms) -> SearchSettings {
            var fixed = settings(forms)
            fixed.queryKeyLogProbability = -1
            return fixed
        }
        #expect(try retriever.search("What are PPPs?", settings: fixed(.caseFolded)).isEmpty, "no form after a space")
        let hits = try retriever.search("What are PPPs?", settings: fixed(.stemmed))
        let hit = try #require(hits.first)
        #expect(hits.count == 1 && hit.passage.id == "a")
        #expect(hit.segments.filter(\.matched).map(\.text) == ["PPPs"])
        #expect(hit.ngrams.map(\.text) == ["PPPs"])
        // "-Private" joins the key of "private": both passages match it.
        let privateKey = try #require(try retriever.keys(for: "private", settings: fixed(.stemmed)).first)
        #expect(privateKey.forms.contains(tokenizer.encode(text: "-Private")))
        #expect(try retriever.search("private", settings: fixed(.stemmed)).map(\.passage.id).sorted() == ["a", "b"])
        #expect(try retriever.search("private", settings: fixed(.caseFolded)).map(\.passage.id) == ["b"])
    }
}
