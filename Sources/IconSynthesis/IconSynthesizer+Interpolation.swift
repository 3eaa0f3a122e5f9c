// Interpolation between two text conditions (IconShop, Wu et al. 2023, section 4.5 shows
// icons between keyword pairs): the prompt's word embeddings are blended position by
// position, (1 - t) E(a_i) + t E(b_i), and decoding continues from the blended prefix with
// the KV cache.

import Autograd
import Foundation
import Generation
import NeuralNetworks
import Tensors

extension IconSynthesizer {
    /// `steps` icons from `first` (t = 0) to `second` (t = 1), one per step, each sampled
    /// with the same seed so that only the condition changes.
    public func interpolate(_ first: String, _ second: String, steps: Int, options: IconSamplingOptions) throws -> [GeneratedIcon] {
        guard steps >= 2 else { throw IconError.invalidArgument(name: "--steps", detail: "must be >= 2, got \(steps)") }
        var a = tokenizer.encodeText(first), b = tokenizer.encodeText(second)
        if a.isEmpty { a = [IconTokenizer.unknownWord] }
        if b.isEmpty { b = [IconTokenizer.unknownWord] }
        let length = max(a.count, b.count)
        return try (0..<steps).map { step in
            let t = Float(step) / Float(steps - 1)
            return try sampleBlended(a: a, b: b, length: length, t: t, options: options)
        }
    }

    private func sampleBlended(a: [Int], b: [Int], length: Int, t: Float, options: IconSamplingOptions) throws -> GeneratedIcon {
        let transformer = model.transformer
        let table = transformer.embedding.weight.value.scalars   // [V, C]
        let width = transformer.configuration.hiddenSize
        func row(_ token: Int) -> ArraySlice<Float> { table[(token * width)..<((token + 1) * width)] }
        var vectors = Array(row(IconTokenizer.bos))
        for i in 0..<length {
            let x = row(a[i % a.count]), y = row(b[i % b.count])
            vectors += zip(x, y).map { (1 - t) * $0 + t * $1 }
        }
        vectors += row(IconTokenizer.separator)
        let promptLength = length + 2
        let input = Variable(Tensor(shape: [1, promptLength, width], values: vectors))   // [1, T, C]

        let settings = try settings(options, promptLength: promptLength, stop: IconTokenizer.endOfIcon)
        let chain = try settings.makeProcessorChain(
            for: SequenceInfo(index: 0, prompt: []),
            extra: [IconGrammarProcessor.factory(tokenizer: tokenizer, contextLength: model.contextLength)])
        var sampler = try settings.makeSampler(sequenceIndex: 0)
        var states = [transformer.makeState()]
        let hidden = try transformer.hiddenStates(.embeddings(input), caches: states)
        let all = try Tape.withoutGradient { try transformer.logits(fromHidden: hidden) }.value.scalars
        let vocabulary = tokenizer.vocabularySize
        var logits = Array(all[((promptLength - 1) * vocabulary)..<(promptLength * vocabulary)])
        // The grammar only needs the prompt's shape: BOS, words, SEP.
        var context = [IconTokenizer.bos] + Array(repeating: IconTokenizer.unknownWord, count: length) + [IconTokenizer.separator]
        var generated: [Int] = []
        while generated.count < settings.maxNewTokens {
            try chain.process(&logits, context: context)
            let token = try sampler.sample(from: logits)
            generated.append(token)
            if token == IconTokenizer.endOfIcon { break }
            context.append(token)
            logits = try transformer.logits(appending: [[token]], to: &states)[0][0]
        }
        return GeneratedIcon(tokens: generated, icon: try tokenizer.decode(generated))
    }
}
