import Foundation
import SafeTensors
import Testing

/// IEEE 754 binary16 decoded by its definition (IEEE 754-2008 §3.4), in Double then
/// narrowed (exact: every half is a Float); NaN patterns map to the Float NaN with the
/// same payload, which is what a bit-exact widening must give.
private func referenceFloat(halfBits bits: UInt16) -> Float {
    let sign: Double = bits & 0x8000 == 0 ? 1 : -1
    let exponent = Int((bits >> 10) & 0x1F)
    let mantissa = Double(bits & 0x3FF)
    switch exponent {
    case 0x1F where mantissa == 0: return Float(sign * .infinity)
    case 0x1F: return Float(bitPattern: UInt32(bits & 0x8000) << 16 | 0x7F80_0000 | UInt32(bits & 0x3FF) << 13)
    case 0: return Float(sign * (mantissa / 1024) * pow(2, -14))
    default: return Float(sign * (1 + mantissa / 1024) * pow(2, Double(exponent - 15)))
    }
}

@Suite("Half precision")
struct HalfPrecisionTests {
    @Test("F16 -> F32 is exact for all 65536 bit patterns (direct)")
    func exhaustiveHalfToFloat() {
        var mismatches = 0
        for bits in UInt16.min...UInt16.max {
            let actual = HalfPrecision.float(fromHalfBits: bits)
            if actual.bitPattern != referenceFloat(halfBits: bits).bitPattern {
                mismatches += 1
                if mismatches < 5 { Issue.record("half 0x\(String(bits, radix: 16)): got \(actual)") }
            }
            #if !(os(macOS) && arch(x86_64))
            if !actual.isNaN, actual.bitPattern != Float(Float16(bitPattern: bits)).bitPattern {
                mismatches += 1
            }
            #endif
        }
        #expect(mismatches == 0)
    }

    @Test("F16 -> F32 through a file is exact for all 65536 bit patterns")
    func exhaustiveHalfToFloatThroughFile() throws {
        let directory = try TemporaryDirectory()
        let patterns = Array(UInt16.min...UInt16.max)
        let path = try directory.write(
            rawSafeTensors(header: #"{"all":{"dtype":"F16","shape":[256,256],"data_offsets":[0,131072]}}"#,
                           data: littleEndianBytes(patterns)),
            to: "all-halves.safetensors")
        let values = try SafeTensorsFile(path: path).floats("all")
        let mismatched = zip(patterns, values).filter { $0.1.bitPattern != referenceFloat(halfBits: $0.0).bitPattern }
        #expect(values.count == 65536)
        #expect(mismatched.count == 0, "first mismatches: \(mismatched.prefix(4))")
    }

    static let edgeValues: [Float] = [
        1, 65504, 65519.99, 65520, 1e6, .infinity, 0, 0x1p-24, 0x1p-25, 0x1.8p-24, 0x1.8p-25, 0x1p-26,
        0x1.ffcp-15, 0x1p-14, 1 + 0x1p-11, 1 + 0x1.8p-10, 1 + 0x1.0001p-11, .leastNonzeroMagnitude,
        .greatestFiniteMagnitude, 3.14159265,
    ]

    @Test("F32 -> F16 rounds to nearest even, matching Float16(_:)", arguments: edgeValues)
    func narrowingEdgeCases(value: Float) {
        for signed in [value, -value] {
            let bits = HalfPrecision.halfBits(from: signed)
            #if !(os(macOS) && arch(x86_64))
            #expect(bits == Float16(signed).bitPattern, "value \(signed)")
            #endif
            // Narrowing an exact half and widening back is the identity.
            #expect(HalfPrecision.halfBits(from: HalfPrecision.float(fromHalfBits: bits)) == bits)
        }
    }

    @Test("F32 -> F16 at every midpoint between consecutive halves, and its neighbours")
    func narrowingAllMidpoints() {
        var failures = 0
        for bits in UInt16(0)..<0x7C00 {
            let low = HalfPrecision.float(fromHalfBits: bits)
            let high = HalfPrecision.float(fromHalfBits: bits + 1)  // 0x7BFF + 1 is infinity
            let middle = bits == 0x7BFF ? Float(65520) : (low + high) / 2  // exact in Float
            let tieWinner: UInt16 = bits % 2 == 0 ? bits : bits + 1
            let cases: [(Float, UInt16)] = [(middle, tieWinner), (middle.nextDown, bits), (middle.nextUp, bits + 1)]
            for (value, expected) in cases where HalfPrecision.halfBits(from: value) != expected {
                failures += 1
                if failures < 5 { Issue.record("\(value) -> \(HalfPrecision.halfBits(from: value)), expected \(expected)") }
            }
        }
        #expect(failures == 0)
    }

    @Test("NaN stays NaN in both directions and both formats")
    func notANumber() {
        #expect(HalfPrecision.float(fromHalfBits: HalfPrecision.halfBits(from: .nan)).isNaN)
        #expect(HalfPrecision.float(fromBFloat16Bits: HalfPrecision.bfloat16Bits(from: .nan)).isNaN)
        #expect(HalfPrecision.float(fromHalfBits: HalfPrecision.halfBits(from: .signalingNaN)).isNaN)
    }

    static let bfloat16Cases: [(UInt16, Float)] = [
        (0x3F80, 1), (0xC000, -2), (0x3E20, 0.15625), (0x7F80, .infinity), (0xFF80, -.infinity),
        (0x0000, 0), (0x8000, -0.0), (0x0001, 0x1p-133), (0x7F7F, 0x1.FEp127),
    ]

    @Test("BF16 decode and round-to-nearest-even encode",
          arguments: bfloat16Cases)
    func bfloat16(bits: UInt16, value: Float) {
        #expect(HalfPrecision.float(fromBFloat16Bits: bits).bitPattern == value.bitPattern)
        #expect(HalfPrecision.bfloat16Bits(from: value) == bits)
        // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties to the even 1.0; 1 + 3*2^-8 ties up.
        #expect(HalfPrecision.bfloat16Bits(from: 1 + 0x1p-8) == 0x3F80)
        #expect(HalfPrecision.bfloat16Bits(from: 1 + 0x1.8p-7) == 0x3F82)
    }
}
