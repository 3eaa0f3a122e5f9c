import IconSynthesis
import Testing

@Suite struct PromptMatcherTests {
    // A toy embedding: each word is a direction; "bin" lies close to "trash", "zzz" far from everything.
    static let vectors: [String: [Float]] = [
        "trash": [1, 0, 0, 0], "camera": [0, 1, 0, 0], "mail": [0, 0, 1, 0],
        "bin": [0.9, 0.1, 0, 0.1], "photograph": [0.2, 0.95, 0, 0], "zzz": [0.3, 0.3, 0.3, 0.85],
    ]
    static let vocabulary = ["camera", "mail", "trash"]

    func matcher() -> PromptMatcher {
        PromptMatcher(vocabulary: Self.vocabulary, embeddings: Self.vocabulary.map { Self.vectors[$0]! }) { words in
            words.map { Self.vectors[$0] ?? [0, 0, 0, 1] }
        }
    }

    @Test func keywordsAreKeptFillersDroppedSynonymsMapped() throws {
        let match = try matcher().match("An icon of a bin, and a photograph of mail")
        #expect(match.keywords == ["trash", "camera", "mail"])
        #expect(match.words.contains(.filler("icon")))
        #expect(match.words.contains { if case .mapped("bin", "trash", let s) = $0 { return s > 0.9 } else { return false } })
        #expect(!match.isExact)
        #expect(match.explanation.hasPrefix("keywords: trash, camera, mail ("))
        #expect(match.explanation.contains("\"bin\" -> trash"))
    }

    @Test func aWordFarFromEveryKeywordIsReportedNotUsed() throws {
        let match = try matcher().match("zzz camera")
        #expect(match.keywords == ["camera"])
        guard case .unmatched("zzz", let nearest?, let similarity?) = match.words[0] else {
            Issue.record("zzz should be unmatched with its nearest keyword, got \(match.words[0])")
            return
        }
        #expect(Self.vocabulary.contains(nearest) && similarity < 0.6)
        #expect(match.explanation.contains("\"zzz\": no keyword close enough"))
    }

    @Test func withoutAnEncoderUnknownWordsAreReported() throws {
        let plain = PromptMatcher(vocabulary: Self.vocabulary)
        #expect(!plain.canMapFreeText)
        let match = try plain.match("bin camera")
        #expect(match.keywords == ["camera"])
        #expect(match.words[0] == .unmatched("bin", nearest: nil, similarity: nil))
        #expect(match.explanation.contains("\"bin\": not a keyword, left out"))
        #expect(try plain.match("camera mail").isExact)
    }

    @Test func repeatedKeywordsCountOnce() throws {
        #expect(try matcher().match("trash bin trash").keywords == ["trash"])
    }
}
