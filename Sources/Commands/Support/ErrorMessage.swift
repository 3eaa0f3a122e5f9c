import ArgumentParser
import FileIO
import Foundation
import Generation
import NeuralNetworks
import SafeTensors
import Tensors
import Tokenizers
import Training

/// Turns any error a command can meet into one line that names the option, file, tensor or
/// field at fault.
///
/// The project's errors (`ModelError`, `TensorError`, `SafeTensorsError`, `TokenizerError`,
/// `TrainingError`, `GenerationError`, ``CommandFailure``) already describe themselves in one
/// line, as do `FileIOError` and `DecodingError.oneLineDescription` (from `FileIO`);
/// Foundation's file errors do not, so they are rewritten here (the path and the reason).
///
/// ```swift
/// ErrorMessage.describe(CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: "/x"]))
/// // "/x: no such file or folder"
/// ```
public enum ErrorMessage {
    /// One line describing `error`.
    public static func describe(_ error: any Error) -> String {
        switch error {
        case let error as ValidationError:
            return oneLine(error.message)
        case let error as DecodingError:
            return oneLine(error.oneLineDescription)
        case let error as CocoaError:
            return oneLine(describe(cocoa: error))
        case let error as POSIXError:
            return oneLine(String(cString: strerror(error.code.rawValue)))
        case is CommandFailure, is FileIOError, is ModelError, is TensorError, is SafeTensorsError, is TokenizerError,
             is TrainingError, is GenerationError:
            return oneLine(String(describing: error))
        default:
            let nsError = error as NSError
            if nsError.domain == NSCocoaErrorDomain || nsError.domain == NSPOSIXErrorDomain {
                return oneLine(describe(cocoa: CocoaError(CocoaError.Code(rawValue: nsError.code), userInfo: nsError.userInfo)))
            }
            return oneLine(String(describing: error))
        }
    }

    /// Joins the lines of `text` with spaces and trims it.
    public static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }

    private static func describe(cocoa error: CocoaError) -> String {
        let path = (error.userInfo[NSFilePathErrorKey] as? String) ?? error.userInfo[NSURLErrorKey].map { "\($0)" }
        let reason: String
        switch error.code {
        case .fileNoSuchFile, .fileReadNoSuchFile: reason = "no such file or folder"
        case .fileReadNoPermission, .fileWriteNoPermission: reason = "permission denied"
        case .fileReadInapplicableStringEncoding, .fileReadUnknownStringEncoding: reason = "is not UTF-8 text"
        case .fileWriteOutOfSpace: reason = "no space left on the device"
        case .fileWriteFileExists: reason = "already exists"
        default: reason = error.localizedDescription
        }
        return path.map { "\($0): \(reason)" } ?? reason
    }
}
