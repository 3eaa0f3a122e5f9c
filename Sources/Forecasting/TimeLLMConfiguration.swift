/// Which forecasting method a forecaster runs.
public enum ForecastMethod: String, Codable, Sendable, CaseIterable {
    /// AutoTimes (Liu et al. 2024): segments as tokens, next-segment prediction, rolling.
    case autotimes
    /// Time-LLM (Jin et al. 2023): patches reprogrammed onto text prototypes of a frozen LLM,
    /// a prompt as prefix, a flatten-and-project head to a fixed horizon.
    case timeLLM = "time-llm"
}

/// The shape of a Time-LLM forecaster (Jin et al. 2023, Sec. 3.1 and Sec. 4, "Implementation").
///
/// The paper's defaults are patches of 16 with stride 8, 1,000 text prototypes, 8 attention
/// heads and a lookback of 512. The widths default smaller than the reference code's
/// (`d_model` 32, `d_ff` 128) because this runs on CPUs; each is a field.
///
/// ```swift
/// var configuration = TimeLLMConfiguration()
/// configuration.lookback = 336
/// configuration.horizon = 96
/// ```
public struct TimeLLMConfiguration: Codable, Sendable, Equatable {
    /// Points of history the model reads, L. Default 512.
    public var lookback = 512
    /// Points predicted per forward pass, H (longer horizons roll). Default 96.
    public var horizon = 96
    /// Points per patch, L_p. Default 16.
    public var patchLength = 16
    /// Step between patch starts, S. Default 8.
    public var patchStride = 8
    /// Width of a patch embedding, d_m. Default 32.
    public var patchWidth = 32
    /// Text prototypes V' (capped at the backbone's vocabulary). Default 1000.
    public var prototypeCount = 1000
    /// Heads of the reprogramming cross-attention, K. Default 8.
    public var headCount = 8
    /// Width of each reprogramming head, d. Default 16.
    public var headWidth = 16
    /// Leading channels of the backbone's output kept per patch before flattening (d_ff). Default 32.
    public var outputWidth = 32
    /// The dataset description opening the prompt. Default: a generic sentence.
    public var datasetDescription = "A time series of measurements taken at regular intervals."
    /// Longest prompt in tokens (longer prompts keep their last tokens, the statistics);
    /// nil = as many as the backbone's context leaves beside the patches. Default nil.
    public var maximumPromptTokens: Int?
    /// A folder holding the backbone's `vocab.json` and `merges.txt` (or a byte-level BPE
    /// `tokenizer.json`); nil = the backbone folder.
    public var tokenizer: String?

    /// The defaults documented on each field.
    public init() {}

    /// Patches per window, P = (L - L_p) / S + 2 (the window is padded by S copies of its
    /// last point, as the reference code's `ReplicationPad1d((0, stride))` does).
    public var patchCount: Int { (lookback - patchLength) / patchStride + 2 }

    /// Throws naming the first field that makes no sense.
    public func validate() throws {
        func check(_ condition: Bool, _ field: String, _ detail: String) throws {
            if !condition { throw ForecastError.invalidArgument(name: "timeLLM.\(field)", detail: detail) }
        }
        try check(patchLength >= 1, "patchLength", "must be >= 1, got \(patchLength)")
        try check(patchStride >= 1, "patchStride", "must be >= 1, got \(patchStride)")
        try check(lookback >= patchLength, "lookback", "\(lookback) is shorter than one patch (\(patchLength))")
        try check(horizon >= 1, "horizon", "must be >= 1, got \(horizon)")
        for (value, name) in [(patchWidth, "patchWidth"), (prototypeCount, "prototypeCount"), (headCount, "headCount"),
                              (headWidth, "headWidth"), (outputWidth, "outputWidth"), (maximumPromptTokens ?? 1, "maximumPromptTokens")] {
            try check(value >= 1, name, "must be >= 1, got \(value)")
        }
    }

    private enum CodingKeys: String, CodingKey {
        case lookback, horizon, patchLength, patchStride, patchWidth, prototypeCount, headCount, headWidth, outputWidth
        case datasetDescription, tokenizer, maximumPromptTokens
    }

    /// Decodes; missing fields keep their defaults.
    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func read(_ key: CodingKeys, _ value: inout Int) throws { value = try c.decodeIfPresent(Int.self, forKey: key) ?? value }
        try read(.lookback, &lookback); try read(.horizon, &horizon)
        try read(.patchLength, &patchLength); try read(.patchStride, &patchStride); try read(.patchWidth, &patchWidth)
        try read(.prototypeCount, &prototypeCount); try read(.headCount, &headCount); try read(.headWidth, &headWidth)
        try read(.outputWidth, &outputWidth)
        datasetDescription = try c.decodeIfPresent(String.self, forKey: .datasetDescription) ?? datasetDescription
        tokenizer = try c.decodeIfPresent(String.self, forKey: .tokenizer)
        maximumPromptTokens = try c.decodeIfPresent(Int.self, forKey: .maximumPromptTokens)
    }
}
