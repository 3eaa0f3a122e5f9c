import Foundation
import SafeTensors

/// Keeping a saved forecaster's files consistent when a save is interrupted.
///
/// `model.safetensors` is written atomically (temporary file, then rename) and carries in its
/// header metadata the configuration it was trained with (`forecaster.json`) and, with LoRA,
/// the CRC-32 of the `adapters.safetensors` written just before it. The weights file is
/// thus the commit point of a save: when `forecaster.json` is missing, or differs from the
/// embedded copy and is older than the weights (a save killed between the two files),
/// ``Forecaster/load(from:)`` uses the embedded configuration, so new weights are never
/// paired with an old configuration; a `forecaster.json` edited after the save is used as
/// written. Adapters from an interrupted later save are refused by name instead of being
/// mixed with older weights.
extension Forecaster {
    /// Metadata key holding the configuration JSON in `model.safetensors`.
    static let configurationMetadataKey = "forecaster.json"
    /// Metadata key holding the CRC-32 (decimal) of the matching `adapters.safetensors`.
    static let adaptersChecksumMetadataKey = "adapters.crc32"

    /// The CRC-32 of a whole file's bytes.
    static func fileChecksum(_ url: URL) throws -> UInt32 {
        let data = try Data(contentsOf: url)
        return data.withUnsafeBytes { CRC32.checksum($0) }
    }

    /// The configuration JSON embedded in `model.safetensors`, or nil for files saved before
    /// it was embedded (or unreadable ones: loading the weights then names the problem).
    static func embeddedConfiguration(weights url: URL) -> (json: Data, adaptersChecksum: UInt32?)? {
        guard let file = try? SafeTensorsFile(path: url.path, verifyChecksum: false),
              let text = file.metadata[configurationMetadataKey] else { return nil }
        return (Data(text.utf8), file.metadata[adaptersChecksumMetadataKey].flatMap(UInt32.init))
    }

    /// Whether `forecaster.json` is missing, or differs from `embedded` while older than the
    /// weights: the state a save killed between the two files leaves.
    static func interruptedSave(configuration: URL, weights: URL, embedded: Data) -> Bool {
        guard let written = try? Data(contentsOf: configuration) else { return true }
        guard written != embedded else { return false }
        func modified(_ url: URL) -> Date? {
            (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
        }
        guard let configurationDate = modified(configuration), let weightsDate = modified(weights) else { return false }
        return configurationDate < weightsDate
    }

    /// Throws unless `adapters` is the file the weights were saved with.
    static func checkAdapters(_ adapters: URL, expected: UInt32?) throws {
        guard let expected else { return }
        guard let found = try? fileChecksum(adapters), found == expected else {
            throw ForecastError.invalidModel(path: adapters.path, detail: "does not belong to \(weightsFileName) (a save was interrupted?); train again or restore the folder")
        }
    }
}
