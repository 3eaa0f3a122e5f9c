// Fuzzes IconSynthesis's SVG reader (XML, path data, shapes, transforms, SVG fonts) and the
// quantiser that follows it in `icons dataset`.
import Foundation
import FuzzSupport
import IconSynthesis

private let quantizer = try! IconQuantizer(gridSize: 200)

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzSVG(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = Data(fuzzInput(data, size))
    guard let icons = try? SVGParser.parse(input, file: "fuzz.svg") else { return 0 }
    for icon in icons { _ = quantizer.quantize(icon.paths) }
    return 0
}

runFuzzer(fuzzSVG)
