/// Real parts, with figures from their vendors' data sheets. A spec names one by `name` and may
/// override any figure.
///
/// Sources:
/// - [DS962] AMD/Xilinx, "Alveo U200 and U250 Data Center Accelerator Cards Data Sheet" and
///   "Alveo U55C Data Sheet" (DS978), and "Alveo U280 Data Center Accelerator Card Data Sheet" (DS963).
/// - [DS891] "Zynq UltraScale+ MPSoC Data Sheet: Overview" (XCZU9EG), board UG1182 (ZCU102).
/// - [DS950] "Versal AI Core Series Data Sheet: Overview" (XCVC1902), board UG1366 (VCK190).
/// - [InTAR] InTAR (FCCM 2025) code READMEs: U280 shell usage and achieved clocks.
/// - Blocking-read cost 7.6 cycles per word: InTAR's published MLP sequential baseline on the
///   U280 (one outstanding 256-bit read at a time), as read from its HLS and measured cycles.
///   Applied to every card until measured per memory type; documented in docs/VALIDATION.md.
public enum PlatformCatalog {
    public static let all: [FPGAPlatform] = [u280, u250, u55c, zcu102, vck190]

    public static var acceptedNames: String { all.map(\.name).joined(separator: ", ") }

    public static func named(_ name: String) -> FPGAPlatform? {
        all.first { $0.name == name.lowercased() }
    }

    /// Alveo U280 (xcu280-fsvh2892-2L-e). Resources [DS963]; HBM2 8 GB in 32 pseudo-channels,
    /// 460 GB/s; DDR4 2×16 GB, 38 GB/s [DS963]; shell [InTAR]: 105,683 LUT, 128,746 FF,
    /// ~200 RAMB36, 4 DSP. Default kernel clock 300 MHz (Vitis platform default; InTAR's GPT-2
    /// designs closed at 202–257 MHz).
    public static let u280 = FPGAPlatform(
        name: "u280", part: "xcu280-fsvh2892-2L-e",
        dsp: 9024, bram18k: 4032, uram: 960, lut: 1_302_720, ff: 2_607_360, slrs: 3,
        memories: [
            OffChipMemory(kind: .hbm2, channels: 32, totalGBps: 460, capacityGB: 8),
            OffChipMemory(kind: .ddr4, channels: 2, totalGBps: 38, capacityGB: 32),
        ],
        defaultClockMHz: 300,
        shell: ShellResources(dsp: 4, bram18k: 400, uram: 0, lut: 105_683, ff: 128_746),
        blockingReadCycles: 7.6, burstLatencyCycles: 64, staticPowerW: 18, clockMHz: 300)

    /// Alveo U250 (xcu250-figd2104-2L-e) [DS962]: 12,288 DSP, 2,688 RAMB36 (5,376 BRAM18K),
    /// 1,280 URAM, 1,728K LUT, 3,456K FF, 4 SLRs; DDR4 4×16 GB, 77 GB/s. Shell taken as the
    /// U280's (same XDMA platform family); default clock 300 MHz.
    public static let u250 = FPGAPlatform(
        name: "u250", part: "xcu250-figd2104-2L-e",
        dsp: 12_288, bram18k: 5376, uram: 1280, lut: 1_728_000, ff: 3_456_000, slrs: 4,
        memories: [OffChipMemory(kind: .ddr4, channels: 4, totalGBps: 77, capacityGB: 64)],
        defaultClockMHz: 300,
        shell: ShellResources(dsp: 4, bram18k: 400, uram: 0, lut: 105_683, ff: 128_746),
        blockingReadCycles: 7.6, burstLatencyCycles: 64, staticPowerW: 22, clockMHz: 300)

    /// Alveo U55C (xcu55c-fsvh2892-2L-e) [DS978]: 9,024 DSP, 2,016 RAMB36, 960 URAM, 1,304K LUT,
    /// 2,607K FF, 3 SLRs; HBM2 16 GB in 32 pseudo-channels, 460 GB/s.
    public static let u55c = FPGAPlatform(
        name: "u55c", part: "xcu55c-fsvh2892-2L-e",
        dsp: 9024, bram18k: 4032, uram: 960, lut: 1_304_000, ff: 2_607_000, slrs: 3,
        memories: [OffChipMemory(kind: .hbm2, channels: 32, totalGBps: 460, capacityGB: 16)],
        defaultClockMHz: 300,
        shell: ShellResources(dsp: 4, bram18k: 400, uram: 0, lut: 105_683, ff: 128_746),
        blockingReadCycles: 7.6, burstLatencyCycles: 64, staticPowerW: 16, clockMHz: 300)

    /// ZCU102 board, Zynq UltraScale+ XCZU9EG [DS891]: 2,520 DSP, 912 RAMB36 (1,824 BRAM18K),
    /// no URAM, 274,080 LUT, 548,160 FF; PS DDR4 64-bit at 2,400 MT/s, 19.2 GB/s [UG1182].
    /// No PCIe shell: the static region is empty.
    public static let zcu102 = FPGAPlatform(
        name: "zcu102", part: "xczu9eg-ffvb1156-2-e",
        dsp: 2520, bram18k: 1824, uram: 0, lut: 274_080, ff: 548_160, slrs: 1,
        memories: [OffChipMemory(kind: .ddr4, channels: 1, totalGBps: 19.2, capacityGB: 4)],
        defaultClockMHz: 200,
        shell: ShellResources(dsp: 0, bram18k: 0, uram: 0, lut: 0, ff: 0),
        blockingReadCycles: 7.6, burstLatencyCycles: 48, staticPowerW: 4, clockMHz: 200)

    /// VCK190 board, Versal AI Core XCVC1902 [DS950]: 1,968 DSP58, 967 RAMB36 (1,934 BRAM18K),
    /// 463 URAM, 899,840 LUT, 1,799,680 FF (AI Engines not modelled); DDR4 DIMM 64-bit at
    /// 3,200 MT/s, 25.6 GB/s, plus 2× LPDDR4 [UG1366]; only the DDR4 is modelled.
    public static let vck190 = FPGAPlatform(
        name: "vck190", part: "xcvc1902-vsva2197-2MP-e-S",
        dsp: 1968, bram18k: 1934, uram: 463, lut: 899_840, ff: 1_799_680, slrs: 1,
        memories: [OffChipMemory(kind: .ddr4, channels: 1, totalGBps: 25.6, capacityGB: 8)],
        defaultClockMHz: 300,
        shell: ShellResources(dsp: 0, bram18k: 0, uram: 0, lut: 0, ff: 0),
        blockingReadCycles: 7.6, burstLatencyCycles: 64, staticPowerW: 12, clockMHz: 300)
}
