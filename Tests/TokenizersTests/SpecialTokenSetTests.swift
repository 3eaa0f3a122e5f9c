import Testing
import Tokenizers

@Suite struct SpecialTokenSetTests {
    @Test func cutsAtSpecialTokensLongestFirst() throws {
        let specials = try SpecialTokenSet([("<|end|>", 1), ("<|endoftext|>", 2), ("<pad>", 3)])
        #expect(specials.split("a<|endoftext|>b<|end|><pad><pad>c") == [
            .text("a"), .special(token: "<|endoftext|>", id: 2), .text("b"),
            .special(token: "<|end|>", id: 1), .special(token: "<pad>", id: 3),
            .special(token: "<pad>", id: 3), .text("c"),
        ])
        #expect(specials.split("") == [])
        #expect(specials.split("<|end") == [.text("<|end")])
        #expect(specials.split("é<pad>😀") == [.text("é"), .special(token: "<pad>", id: 3), .text("😀")])
    }

    @Test func rejectsEmptyAndRepeatedTokens() {
        #expect(throws: TokenizerError.self) { try SpecialTokenSet([("", 0)]) }
        #expect(throws: TokenizerError.self) { try SpecialTokenSet([("<a>", 0), ("<a>", 1)]) }
    }
}
