import Foundation

/// Arguments of the images tool's training commands for the crash-safety runs, on the tiny
/// IDX folder of ``ImageData``.
enum ImageRuns {
    /// `images tokenizer train` of a tiny VQ tokenizer (codebook moving averages and restarts
    /// included), writing `scratch/tokenizer.safetensors`; its default run folder is
    /// `scratch/tokenizer-run`.
    static func tokenizer(_ scratch: URL, steps: Int) throws -> [String] {
        ["tokenizer", "train", "--data", try ImageData.folder(in: scratch).path, "--kind", "vq", "--latent-channels", "4",
         "--codebook-size", "8", "--bits-per-sub-token", "2", "--hidden-channels", "4", "--batch-size", "2", "--steps", "\(steps)",
         "--warmup", "1", "--log-every", "1", "--checkpoint-every", "2", "--seed", "3",
         "-o", scratch.appendingPathComponent("tokenizer.safetensors").path]
    }

    /// `images train` of a tiny generator over the shipped tokenizer, run folder `scratch/run`.
    static func generator(_ scratch: URL, steps: Int) throws -> [String] {
        ["train", "--data", try ImageData.folder(in: scratch).path,
         "--tokenizer", BadInputFixtures.assets.appendingPathComponent("images/tokenizer.safetensors").path,
         "--hidden-size", "16", "--layers", "1", "--heads", "2", "--batch-size", "2", "--steps", "\(steps)", "--warmup", "1",
         "--log-every", "1", "--checkpoint-every", "2", "--seed", "3", "--run-folder", scratch.appendingPathComponent("run").path,
         "-o", scratch.appendingPathComponent("generator.safetensors").path]
    }
}
