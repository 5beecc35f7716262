/// A micro-architectural constant of a platform that a spec, a platform override file
/// (`platform: {base: u280, override: FILE}`) or `intarsia calibrate` may set: its name (the
/// YAML key), unit, what it means, which measured figure it moves, and its physical bounds with
/// their source. A value outside the bounds is refused wherever it is read, and the fit keeps
/// every constant inside them.
public struct PlatformConstant: Sendable {
    /// The measured figure a constant moves (the fit fits a constant only to measurements of it).
    public enum Moves: String, Sendable { case cycles, power }

    public let name: String
    public let unit: String
    public let meaning: String
    public let moves: Moves
    public let lowerBound: Double
    public let upperBound: Double
    public let boundsSource: String
    let keyPath: any (WritableKeyPath<FPGAPlatform, Double> & Sendable)

    public func value(in p: FPGAPlatform) -> Double { p[keyPath: keyPath] }
    public func set(_ value: Double, in p: inout FPGAPlatform) { p[keyPath: keyPath] = value }
    public var boundsText: String { "\(Self.number(lowerBound)) to \(Self.number(upperBound)) \(unit)" }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}

/// The declared list of calibratable constants: adding a constant the model reads from the
/// platform is one line here (and the field on `FPGAPlatform` with its default and source).
public enum PlatformConstants {
    public static let all: [PlatformConstant] = [
        PlatformConstant(name: "blocking_read_cycles", unit: "cycles/word", meaning: "one blocking off-chip read, request to data, one request outstanding", moves: .cycles,
                         lowerBound: 1, upperBound: 200, boundsSource: "at least one AXI4 data beat per cycle (AMBA AXI4, IHI 0022); at most about 4x the HBM2/DDR4 read latency of 100-150 ns measured on the U280 (Shuhai, Wang et al., FCCM 2020) at 300 MHz", keyPath: \.blockingReadCycles),
        PlatformConstant(name: "burst_latency_cycles", unit: "cycles", meaning: "burst request to its first data beat", moves: .cycles,
                         lowerBound: 0, upperBound: 200, boundsSource: "0 (hidden) to the same 4x of the measured read latency as blocking_read_cycles (Shuhai, FCCM 2020)", keyPath: \.burstLatencyCycles),
        PlatformConstant(name: "write_response_cycles", unit: "cycles", meaning: "single-beat write request to its response, waited for under write_wait", moves: .cycles,
                         lowerBound: 1, upperBound: 200, boundsSource: "at least one cycle; at most the same 4x of the measured HBM2/DDR4 latency as blocking_read_cycles (Shuhai, FCCM 2020)", keyPath: \.writeResponseCycles),
        PlatformConstant(name: "mac_pipeline_base_depth_cycles", unit: "cycles", meaning: "MAC lane depth before the adder tree (DSP plus BRAM read registers)", moves: .cycles,
                         lowerBound: 2, upperBound: 20, boundsSource: "at least the DSP48E2's M and P registers (UG579); at most the 6 of UG579/UG573 plus 14 registers Vitis HLS may add at 300 MHz (assumption)", keyPath: \.macPipelineBaseDepthCycles),
        PlatformConstant(name: "sfu_depth_cycles", unit: "cycles", meaning: "pipeline depth of a special-function unit (exp, division, compare)", moves: .cycles,
                         lowerBound: 1, upperBound: 64, boundsSource: "one register stage to about twice a Vitis HLS fp32 exp/divide core's latency (UG1399 operator latencies, assumption)", keyPath: \.sfuDepthCycles),
        PlatformConstant(name: "stage_switch_ns", unit: "ns", meaning: "reconfiguration of one stage (instruction read, muxes)", moves: .cycles,
                         lowerBound: 0, upperBound: 1000, boundsSource: "0 (no switch) to 1 us, 50x InTAR's 10-20 ns (FCCM 2025) (assumption: an instruction fetched over an AXI4-Lite crossing)", keyPath: \.stageSwitchNanoseconds),
        PlatformConstant(name: "clock_mhz", unit: "MHz", meaning: "the kernel clock the design runs at (derated from the target when timing does not close)", moves: .cycles,
                         lowerBound: 10, upperBound: 1000, boundsSource: "below any kernel clock a Vitis platform offers (assumption); UltraScale+ block RAM and DSP48E2 limits lie below 1 GHz in every speed grade (DS923)", keyPath: \.clockMHz),
        PlatformConstant(name: "static_power_w", unit: "W", meaning: "static (leakage and shell) power", moves: .power,
                         lowerBound: 0, upperBound: 225, boundsSource: "0 to the Alveo U280/U250 card's maximum total power, 225 W (DS963, DS962)", keyPath: \.staticPowerW),
        PlatformConstant(name: "onchip_pj_per_byte", unit: "pJ/B", meaning: "on-chip (BRAM/URAM) access energy", moves: .power,
                         lowerBound: 0.1, upperBound: 10, boundsSource: "8x either side of Horowitz's 1.25 pJ/B (ISSCC 2014, 8 KB SRAM) (assumption)", keyPath: \.onChipPicojoulesPerByte),
        PlatformConstant(name: "offchip_pj_per_byte", unit: "pJ/B", meaning: "off-chip access energy of the main memory", moves: .power,
                         lowerBound: 8, upperBound: 400, boundsSource: "1 pJ/bit (below HBM2's 3.9) to 50 pJ/bit (above DDR4's 15 with PHY) (O'Connor et al., MICRO 2017)", keyPath: \.offChipPicojoulesPerByte),
    ]

    public static func named(_ name: String) -> PlatformConstant? { all.first { $0.name == name } }

    public static var acceptedNames: String { all.map(\.name).joined(separator: ", ") }
}
