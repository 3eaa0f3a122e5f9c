/// Errors thrown while configuring or running generation.
///
/// Messages name the setting, sequence or processor at fault, so a command-line tool can
/// print `error.description` as it is.
///
/// ```swift
/// do {
///     _ = try TopPProcessor(topP: 1.5)
/// } catch let error as GenerationError {
///     print(error)   // "topP: must be in (0, 1], got 1.5"
/// }
/// ```
public enum GenerationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A setting (or a processor/sampler parameter) with an invalid value; `field` names it
    /// as it appears in `GenerationSettings` and its JSON form.
    case invalidSetting(field: String, reason: String)
    /// A prompt with no tokens: the model needs at least one position to predict from.
    case emptyPrompt(sequence: Int)
    /// A token id outside `0..<vocabularySize`, in a prompt or a setting.
    case tokenOutOfRange(field: String, token: Int, vocabularySize: Int)
    /// Every logit was -inf after processing: the constraints left no token to choose.
    case noValidToken(context: String)
    /// Logits containing NaN (or +inf), which no sampler can turn into a distribution.
    case invalidLogits(detail: String)
    /// The model returned logits of the wrong shape.
    case modelOutputMismatch(detail: String)

    /// The message, naming the setting, sequence or processor at fault.
    public var description: String {
        switch self {
        case let .invalidSetting(field, reason):
            return "\(field): \(reason)"
        case let .emptyPrompt(sequence):
            return "prompt \(sequence): is empty; give at least one token (for example a begin-of-sequence token)"
        case let .tokenOutOfRange(field, token, vocabularySize):
            return "\(field): token \(token) is outside the vocabulary 0..<\(vocabularySize)"
        case let .noValidToken(context):
            return "no valid token: every logit is -inf after the logits processors (\(context)); the constraints admit no continuation"
        case let .invalidLogits(detail):
            return "invalid logits: \(detail)"
        case let .modelOutputMismatch(detail):
            return "model output: \(detail)"
        }
    }
}
