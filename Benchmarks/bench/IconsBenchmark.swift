import ArgumentParser
import Foundation
import IconSynthesis

/// `bench icons`: seconds per icon (one icon at a time, grammar processor and KV cache on),
/// ms per generated token, and batched icons/s for the shipped icon model. IconShop reports
/// about 1.38 s per icon on an A100 without a cache (Wu et al. 2023, section 4.6).
struct IconsBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "icons", abstract: "Icons per second and ms per token of an icon model (KV cache, grammar on).")

    @Option(help: "Icon model folder.") var model = "assets/icons"
    @Option(help: "Prompts, comma separated.") var prompts = "camera,heart,house,arrow,star,bell,lock,folder"
    @Option(help: "Icons generated one at a time per prompt.") var samples = 3
    @Option(help: "Batch size of the batched measurement.") var batch = 8
    @Option(help: "A draft icon model (same dataset/tokenizer): also measure speculative decoding against plain decoding, interleaved icon by icon.") var draft: String?
    @Option(help: "Draft tokens per verification step, comma separated (with --draft).") var lookahead = "2,4,6"
    @Flag(help: "Print results as JSON on stdout.") var json = false

    struct Result: Codable {
        let icons: Int, medianSecondsPerIcon: Double, meanSecondsPerIcon: Double
        let meanTokensPerIcon: Double, millisecondsPerToken: Double
        let batchSize: Int, batchedIconsPerSecond: Double, parameters: Int
    }

    func run() throws {
        let synthesizer = IconSynthesizer(model: try IconModel.load(from: URL(fileURLWithPath: model)))
        let list = prompts.split(separator: ",").map(String.init)
        var options = IconSamplingOptions()
        _ = try synthesizer.generate(text: list[0], count: 1, options: options)   // warm-up
        var seconds: [Double] = [], tokens: [Int] = []
        for (p, prompt) in list.enumerated() {
            for s in 0..<samples {
                options.seed = UInt64(p * 100 + s)
                let start = Measurement.now()
                let icon = try synthesizer.generate(text: prompt, count: 1, options: options)[0]
                seconds.append(Measurement.now() - start)
                tokens.append(icon.tokens.count)
            }
        }
        options.seed = 12345
        let start = Measurement.now()
        _ = try synthesizer.generate(text: list[0], count: batch, options: options)
        let batched = Double(batch) / (Measurement.now() - start)
        let sorted = seconds.sorted()
        let result = Result(
            icons: seconds.count, medianSecondsPerIcon: sorted[sorted.count / 2],
            meanSecondsPerIcon: seconds.reduce(0, +) / Double(seconds.count),
            meanTokensPerIcon: Double(tokens.reduce(0, +)) / Double(tokens.count),
            millisecondsPerToken: 1000 * seconds.reduce(0, +) / Double(tokens.reduce(0, +)),
            batchSize: batch, batchedIconsPerSecond: batched, parameters: synthesizer.model.transformer.parameterCount)
        report(String(format: "icons %d  median %.3f s/icon  mean %.3f s/icon  %.1f tokens/icon  %.2f ms/token  batch %d: %.2f icons/s",
                      result.icons, result.medianSecondsPerIcon, result.meanSecondsPerIcon, result.meanTokensPerIcon,
                      result.millisecondsPerToken, batch, batched))
        if json { try Measurement.printJSON(result) }
        if let draft { try compareSpeculative(draftFolder: draft, prompts: list) }
    }

    struct SpeculativeRow: Codable {
        let method: String, tokens: Int, seconds: Double, tokensPerSecond: Double
        let acceptanceRate: Double?, modelPassesPerToken: Double
    }

    /// One icon at a time: plain decoding and speculative decoding at each lookahead,
    /// interleaved so that machine noise hits all of them alike.
    func compareSpeculative(draftFolder: String, prompts: [String]) throws {
        let model = try IconModel.load(from: URL(fileURLWithPath: self.model))
        let draftModel = try IconModel.load(from: URL(fileURLWithPath: draftFolder))
        let lookaheads = try lookahead.split(separator: ",").map { value -> Int in
            guard let k = Int(value), k >= 1 else { throw ValidationError("--lookahead: '\(value)' is not a positive integer") }
            return k
        }
        var variants: [(String, IconSynthesizer)] = [("plain", IconSynthesizer(model: model)), ("draft model alone", IconSynthesizer(model: draftModel))]
        for k in lookaheads {
            var synthesizer = IconSynthesizer(model: model)
            synthesizer.decoding = .speculative(draft: draftModel.transformer, lookahead: k)
            variants.append(("speculative, lookahead \(k)", synthesizer))
        }
        var totals = Array(repeating: (tokens: 0, seconds: 0.0, proposed: 0, accepted: 0, passes: 0), count: variants.count)
        var options = IconSamplingOptions()
        for (p, prompt) in prompts.enumerated() {
            for s in 0..<samples {
                options.seed = UInt64(p * 100 + s)
                for (v, variant) in variants.enumerated() {
                    let start = Measurement.now()
                    _ = try variant.1.generate(text: prompt, count: 1, options: options)
                    totals[v].seconds += Measurement.now() - start
                    let report = variant.1.report
                    totals[v].tokens += report.tokens
                    totals[v].proposed += report.proposed
                    totals[v].accepted += report.accepted
                    totals[v].passes += report.proposed > 0 ? report.targetCalls : report.tokens
                }
            }
        }
        let rows = zip(variants, totals).map { variant, total in
            SpeculativeRow(method: variant.0, tokens: total.tokens, seconds: total.seconds, tokensPerSecond: Double(total.tokens) / total.seconds,
                           acceptanceRate: total.proposed > 0 ? Double(total.accepted) / Double(total.proposed) : nil,
                           modelPassesPerToken: Double(total.passes) / Double(total.tokens))
        }
        for row in rows {
            report(String(format: "%@: %d tokens, %.0f tokens/s (%.2fx plain), accepted %@, model passes per token %.2f",
                          row.method, row.tokens, row.tokensPerSecond, row.tokensPerSecond / rows[0].tokensPerSecond,
                          row.acceptanceRate.map { String(format: "%.0f%%", 100 * $0) } ?? "-", row.modelPassesPerToken))
        }
        if json { try Measurement.printJSON(rows) }
    }
}
