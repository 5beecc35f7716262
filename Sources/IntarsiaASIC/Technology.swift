import Foundation
import IntarsiaCore

/// Energy and area figures of an ASIC technology node. A spec may override every figure.
///
/// Sources and derivations:
/// - 45 nm energies: Horowitz, "Computing's energy problem", ISSCC 2014 (45 nm, 0.9 V):
///   8-bit add 0.03 pJ, 8-bit multiply 0.2 pJ, 32-bit add 0.1 pJ, 32-bit multiply 3.1 pJ,
///   16-bit FP add 0.4 pJ / multiply 1.1 pJ, 32-bit FP add 0.9 pJ / multiply 3.7 pJ;
///   SRAM 64-bit read: 8 KB 10 pJ, 32 KB 20 pJ, 1 MB 100 pJ; DRAM 1.3 to 2.6 nJ per 64 bits.
///   A 16-bit integer multiply is interpolated between the 8- and 32-bit ones by the square of
///   the width (multiplier area and energy grow about quadratically): 0.2·(16/8)² = 0.8 pJ.
///   SRAM energy per byte is fitted as 0.442·sqrt(KiB) pJ (exact at 8 KB and 32 KB, 13% above
///   Horowitz at 1 MB). DRAM uses the low end, 1.3 nJ / 8 B = 162.5 pJ/B.
/// - Register file and NoC: Eyeriss's normalised costs (Chen, Emer, Sze, ISCA 2016, Fig. 6,
///   65 nm): RF access 1×, PE-to-PE NoC 2×, global buffer 6×, DRAM 200× the energy of a 16-bit
///   MAC; applied to this node's 16-bit MAC energy.
/// - 28 nm: energies × 0.5 and areas × (28/45)² from 45 nm (first-order scaling, an assumption
///   until calibrated against a 28 nm library).
/// - Areas at 45 nm are assumptions derived from Eyeriss (65 nm: 168 PEs with 0.5 KB register
///   files each and a 108 KB buffer in 12.25 mm²) scaled by (45/65)²: a 16-bit PE with its
///   register file 0.018 mm², SRAM 0.0045 mm² per KB.
public struct ASICTechnology: Hashable, Sendable {
    public var name: String
    public var nodeNanometres: Int
    public var clockMHz: Double
    public var macPicojoulesInt8: Double
    public var macPicojoulesInt16: Double
    public var macPicojoulesFP16: Double
    public var macPicojoulesFP32: Double
    public var registerFilePicojoulesPerByte: Double
    public var nocHopPicojoulesPerByte: Double
    /// SRAM energy per byte is `sramCoefficient · sqrt(size in KiB)`.
    public var sramCoefficient: Double
    public var dramPicojoulesPerByte: Double
    public var peAreaSquareMillimetres: Double
    public var sramAreaPerKiBSquareMillimetres: Double
    /// Per-access energies of a peer's hierarchy (read and write priced apart); when set, the
    /// layer energy counts accesses as that hierarchy does (`ASICModel.cost`).
    public var accessEnergies: AccessEnergies? = nil
    /// Energy of one add or compare (what a non-MAC operator's operation costs), by data type;
    /// 45 nm: Horowitz's 8-bit add 0.03 pJ, 16-bit 0.05 pJ (between 8 and 32 bits), FP16 0.4 pJ,
    /// FP32 0.9 pJ.
    public var addPicojoulesInt8: Double = 0.03
    public var addPicojoulesInt16: Double = 0.05
    public var addPicojoulesFP16: Double = 0.4
    public var addPicojoulesFP32: Double = 0.9

    public func addPicojoules(_ t: DataType) -> Double {
        switch t {
        case .int4, .int8: return addPicojoulesInt8
        case .int16: return addPicojoulesInt16
        case .fixed(let bits, _): return bits <= 8 ? addPicojoulesInt8 : addPicojoulesInt16
        case .fp16, .bf16: return addPicojoulesFP16
        case .fp32: return addPicojoulesFP32
        }
    }

    /// ZigZag-style per-access energies, picojoules.
    public struct AccessEnergies: Hashable, Sendable {
        /// Per-PE weight register file, per byte read.
        public var weightRegisterPerByte: Double
        /// Per-PE partial-sum register, per access (read or write of one partial sum).
        public var outputRegisterPerAccess: Double
        public var sramReadPerByte: Double
        public var sramWritePerByte: Double
        public var dramReadPerByte: Double
        public var dramWritePerByte: Double
        /// Bytes the SRAM and DRAM move at least per access (a narrower access costs as much).
        public var minimumAccessBytes: Double = 1
    }

    public func macPicojoules(_ t: DataType) -> Double {
        switch t {
        case .int4, .int8: return macPicojoulesInt8
        case .int16: return macPicojoulesInt16
        case .fixed(let bits, _): return bits <= 8 ? macPicojoulesInt8 : macPicojoulesInt16
        case .fp16, .bf16: return macPicojoulesFP16
        case .fp32: return macPicojoulesFP32
        }
    }

    public func sramPicojoulesPerByte(kib: Double) -> Double { sramCoefficient * max(kib, 1).squareRoot() }

    public static let nm45: ASICTechnology = {
        let mac16 = 0.8 + 0.05  // multiply (interpolated) + 16-bit add (between 0.03 and 0.1)
        return ASICTechnology(name: "45nm", nodeNanometres: 45, clockMHz: 1000,
                              macPicojoulesInt8: 0.2 + 0.03, macPicojoulesInt16: mac16, macPicojoulesFP16: 1.1 + 0.4, macPicojoulesFP32: 3.7 + 0.9,
                              registerFilePicojoulesPerByte: mac16 / 2, nocHopPicojoulesPerByte: 2 * mac16 / 2,
                              sramCoefficient: 0.442, dramPicojoulesPerByte: 162.5,
                              peAreaSquareMillimetres: 0.018, sramAreaPerKiBSquareMillimetres: 0.0045)
    }()

    public static let nm28: ASICTechnology = {
        let e = 0.5, a = (28.0 / 45) * (28.0 / 45)
        let b = nm45
        var t = ASICTechnology(name: "28nm", nodeNanometres: 28, clockMHz: 1000,
                              macPicojoulesInt8: b.macPicojoulesInt8 * e, macPicojoulesInt16: b.macPicojoulesInt16 * e,
                              macPicojoulesFP16: b.macPicojoulesFP16 * e, macPicojoulesFP32: b.macPicojoulesFP32 * e,
                              registerFilePicojoulesPerByte: b.registerFilePicojoulesPerByte * e, nocHopPicojoulesPerByte: b.nocHopPicojoulesPerByte * e,
                              sramCoefficient: b.sramCoefficient * e, dramPicojoulesPerByte: b.dramPicojoulesPerByte * e,
                              peAreaSquareMillimetres: b.peAreaSquareMillimetres * a, sramAreaPerKiBSquareMillimetres: b.sramAreaPerKiBSquareMillimetres * a)
        t.addPicojoulesInt8 *= e
        t.addPicojoulesInt16 *= e
        t.addPicojoulesFP16 *= e
        t.addPicojoulesFP32 *= e
        return t
    }()

    /// ZigZag 3.9.1's bundled `inputs/hardware/tpu_like.yaml` (zigzag-dse on PyPI): MAC 0.04 pJ;
    /// `rf_128B` (weights) 0.095 pJ per 8-bit access; `rf_2B` (partial sums) 0.021 pJ per 16-bit
    /// access; `sram_2MB` 416.16 pJ per 2048-bit read and 378.4 pJ per write (1.6256 and
    /// 1.478 pJ/B); `dram` 700 pJ per 64-bit read and 750 pJ per write (87.5 and 93.75 pJ/B); the
    /// SRAM and DRAM move at least 64 bits an access (ZigZag charges a narrower access a whole
    /// word: a depthwise layer's one-channel input reads cost 8 bytes each).
    /// Areas and the other figures are the 45 nm node's (ZigZag's tpu_like gives none). A spec
    /// selects it with `platform: {asic: zigzag-tpu-like}` (docs/SPEC.md); it is for comparing
    /// with ZigZag, not a real node.
    public static let zigzagTPULike: ASICTechnology = {
        var t = nm45
        t.name = "zigzag-tpu-like"
        t.macPicojoulesInt8 = 0.04
        t.accessEnergies = AccessEnergies(weightRegisterPerByte: 0.095, outputRegisterPerAccess: 0.021,
                                          sramReadPerByte: 416.16 / 256, sramWritePerByte: 378.4 / 256,
                                          dramReadPerByte: 700.0 / 8, dramWritePerByte: 750.0 / 8, minimumAccessBytes: 8)
        return t
    }()

    /// The technology nodes (a spec's `asic` value may also name a peer preset, `presets`).
    public static let all = [nm45, nm28]
    /// Per-access technology presets a spec may name instead of a node.
    public static let presets = [zigzagTPULike]
    /// The values a spec's `platform.asic` accepts.
    public static var acceptedNames: String { (all + presets).map(\.name).joined(separator: ", ") }
    /// A node or preset by its spec name (`zigzag_tpu_like` is accepted for `zigzag-tpu-like`).
    public static func named(_ name: String) -> ASICTechnology? {
        let n = name.lowercased().replacingOccurrences(of: "_", with: "-")
        return (all + presets).first { $0.name == n }
    }
}
