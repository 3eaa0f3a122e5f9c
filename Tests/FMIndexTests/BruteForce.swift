// Shared test helpers: a seeded RNG, random corpora, and brute-force reference answers.

import FMIndex
import Testing

/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014): tiny, deterministic, good enough to draw test corpora.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// How to draw one random corpus.
struct CorpusRecipe: CustomTestStringConvertible, Sendable {
    let seed: UInt64
    let alphabet: Int
    let documentCount: Int
    let maximumLength: Int
    let sampleRate: Int
    /// Square the uniform draw to skew tokens toward small ids, like word frequencies.
    let skewed: Bool

    var testDescription: String {
        "seed \(seed), alphabet \(alphabet), \(documentCount) docs <= \(maximumLength), rate \(sampleRate)"
            + (skewed ? ", skewed" : "")
    }

    func documents() -> [[Int]] {
        var rng = SplitMix64(seed: seed)
        return (0..<documentCount).map { _ in
            let length = Int.random(in: 0...maximumLength, using: &rng)
            return (0..<length).map { _ in
                if skewed {
                    let u = Double.random(in: 0..<1, using: &rng)
                    return Int(u * u * Double(alphabet))
                }
                return Int.random(in: 0..<alphabet, using: &rng)
            }
        }
    }
}

/// Brute-force answers by scanning every document.
struct BruteForce {
    let documents: [[Int]]

    func occurrences(of ngram: [Int]) -> [Occurrence] {
        var result: [Occurrence] = []
        for (d, document) in documents.enumerated() where document.count >= ngram.count {
            for start in 0...(document.count - ngram.count) where Array(document[start..<start + ngram.count]) == ngram {
                result.append(Occurrence(document: d, offset: start))
            }
        }
        return result
    }

    func nextTokens(after ngram: [Int]) -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for occurrence in occurrences(of: ngram) {
            let next = occurrence.offset + ngram.count
            if next < documents[occurrence.document].count {
                counts[documents[occurrence.document][next], default: 0] += 1
            }
        }
        return counts
    }
}

struct Occurrence: Hashable { let document: Int, offset: Int }

/// Naive suffix array: sort positions by comparing suffixes directly.
func naiveSuffixArray(_ text: [Int32]) -> [Int32] {
    (0..<Int32(text.count)).sorted { a, b in
        text[Int(a)...].lexicographicallyPrecedes(text[Int(b)...])
    }
}

/// A fresh path in the temporary directory; the caller removes it.
func temporaryPath(_ name: String) -> String {
    var rng = SystemRandomNumberGenerator()
    return "/tmp/fmindex-test-\(UInt64.random(in: 0...UInt64.max, using: &rng))-\(name)"
}
