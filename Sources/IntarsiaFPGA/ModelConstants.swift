/// Figures the FPGA cost models use, each with its source. "Assumption" marks a figure not yet
/// measured; docs/MODEL.md lists them and how to replace them with measurements.
public enum ModelConstants {
    // The MAC pipeline's base depth, the stage switch and the special-function unit's depth are
    // the platform's (FPGAPlatform: a platform override may change them).

    /// Fabric cost of one MAC lane beyond its DSP (operand and accumulator registers, adder-tree
    /// share), by operand width. Assumption, of the order Vitis HLS reports for II=1 MAC loops.
    public static func lutPerLane(bits: Int, float: Bool) -> Double { float ? 350 : (bits <= 8 ? 24 : 40) }
    public static func ffPerLane(bits: Int, float: Bool) -> Double { float ? 500 : (bits <= 8 ? 48 : 80) }
    /// Per compute unit: loop control, address generators, one AXI4 master. Assumption.
    public static let lutPerUnit = 3000.0
    public static let ffPerUnit = 4500.0
    /// Per element lane of a special-function unit: ReLU, add, up-sampling and pooling are a few
    /// LUTs; exp-based ones (softmax, SiLU, GELU) and layer norm need LUT tables and a divider or
    /// a DSP multiplier per 4 lanes. Assumption.
    public static func sfuCostPerLane(_ kind: String) -> (lut: Double, ff: Double, dsp: Double) {
        switch kind {
        case "softmax", "silu", "gelu", "layernorm", "reparameterise", "exp": return (180, 220, 0.25)
        default: return (8, 16, 0)
        }
    }
    /// Elements per cycle of a special-function unit: as many outputs as the fastest MAC task
    /// makes per cycle with all the lanes (lanes / reduction length: a 3×3 convolution on 432
    /// lanes makes 48 pixels a cycle, a 1024-deep matrix product on 12,288 lanes 12 outputs),
    /// at least 16, so that an SFU keeps up with the unit that feeds it.
    public static func sfuWidth(lanes: Int, outputsPerLane: Double) -> Double {
        max(16, (Double(lanes) * outputsPerLane).rounded(.up))
    }

    /// Activation buffers below this size use BRAM18K, above it URAM when the part has any.
    public static let uramThresholdBytes = 65536.0

    /// Energy per MAC by operand width, picojoules, FPGA DSP plus routing. Assumption, scaled from
    /// Horowitz (ISSCC 2014, 45 nm: 8-bit add 0.03 pJ, 8-bit mult 0.2 pJ, 32-bit mult 3.1 pJ,
    /// fp32 mult 3.7 pJ, fp32 add 0.9 pJ) by about 5× for FPGA fabric and interconnect.
    public static func picojoulesPerMAC(bits: Int, float: Bool) -> Double {
        if float { return bits > 16 ? 23 : 8 }
        return bits <= 8 ? 1.2 : 2.5
    }
    // On-chip and off-chip access energy per byte are the platform's too.
}
