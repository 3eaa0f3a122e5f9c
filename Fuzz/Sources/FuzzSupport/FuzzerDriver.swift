import CFuzzer
import Foundation

/// The signature of a fuzz target's one-input function (`LLVMFuzzerTestOneInput`).
public typealias FuzzTarget = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

/// Hands the process to libFuzzer with `target` as the function under test.
///
/// SwiftPM links each executable's top-level code as its `main` (on Linux it renames the
/// module's entry point and points `main` at it), which would hide libFuzzer's own `main`;
/// so every target's `main.swift` calls this instead, through libFuzzer's documented
/// `LLVMFuzzerRunDriver`. Command-line flags are libFuzzer's (`-max_total_time=`, corpus folders).
public func runFuzzer(_ target: FuzzTarget) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, target))
}
