import Testing
import Tokenizers

@Suite struct ByteLevelAlphabetTests {
    @Test func mapsAll256BytesToDistinctScalars() {
        #expect(Set(ByteLevelAlphabet.scalarForByte).count == 256)
        #expect(ByteLevelAlphabet.scalarForByte[0x20] == "\u{120}")  // Ġ
        #expect(ByteLevelAlphabet.scalarForByte[0x0A] == "\u{10A}")  // Ċ
        #expect(ByteLevelAlphabet.scalarForByte[0x00] == "\u{100}")  // Ā
        #expect(ByteLevelAlphabet.scalarForByte[Int(UInt8(ascii: "A"))] == "A")
        #expect(ByteLevelAlphabet.bytesInVocabularyOrder.first == UInt8(ascii: "!"))
        #expect(Set(ByteLevelAlphabet.bytesInVocabularyOrder).count == 256)
    }

    @Test func spellingRoundTripsEveryByte() {
        let bytes = (0...255).map(UInt8.init)
        #expect(ByteLevelAlphabet.bytes(of: ByteLevelAlphabet.spelling(of: bytes)) == bytes)
        #expect(ByteLevelAlphabet.bytes(of: "€") == nil)
    }
}
