/// An off-chip memory system of an FPGA card or board.
public struct OffChipMemory: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case hbm2 = "HBM2", ddr4 = "DDR4", lpddr4 = "LPDDR4"

        /// Off-chip access energy per byte: HBM2 about 3.9 pJ/bit (O'Connor et al., "Fine-Grained
        /// DRAM", MICRO 2017), DDR4 about 15 pJ/bit including the PHY (same source, DDR4
        /// baseline); LPDDR4 is taken as DDR4.
        public var picojoulesPerByte: Double { self == .hbm2 ? 31.2 : 120 }
    }
    public var kind: Kind
    public var channels: Int
    /// Peak bandwidth of all channels together.
    public var totalGBps: Double
    public var capacityGB: Double

    public var channelGBps: Double { totalGBps / Double(channels) }
}

/// The resources kept by the platform shell (static region), not available to kernels.
public struct ShellResources: Hashable, Sendable {
    public var dsp: Int
    public var bram18k: Int
    public var uram: Int
    public var lut: Int
    public var ff: Int
}

/// An FPGA part on a card or board, with the figures the cost models need. Every figure is
/// sourced in `PlatformCatalog`.
public struct FPGAPlatform: Hashable, Sendable {
    public var name: String
    public var part: String
    public var dsp: Int
    public var bram18k: Int
    public var uram: Int
    public var lut: Int
    public var ff: Int
    public var slrs: Int
    public var memories: [OffChipMemory]
    public var defaultClockMHz: Double
    public var shell: ShellResources
    /// Cycles (at the kernel clock) one blocking off-chip read costs on average, request to data,
    /// when only one request is outstanding.
    public var blockingReadCycles: Double
    /// Cycles from a burst request to its first data beat (hidden by double buffering).
    public var burstLatencyCycles: Double
    /// Static (leakage + shell) power, watts.
    public var staticPowerW: Double
    /// Cycles from a single-beat write request to its response (B channel), when the design waits
    /// for it before the next write. Taken equal to the U280's burst latency (64 cycles: a write's
    /// response crosses the same AXI interconnect and memory controller as a read's first beat);
    /// not measured on its own yet (docs/MODEL.md lists it with the assumptions). Used only by
    /// the `write_wait` knob.
    public var writeResponseCycles: Double = 64
    /// Pipeline depth of a MAC lane before the adder tree: DSP48E2 with A/B, M and P registers
    /// (UG579, "DSP48E2 slice", fully pipelined multiply-add: 4 register stages) plus a BRAM read
    /// with its output register (UG573: 2 cycles). The adder tree adds ceil(log2(lanes along the
    /// reduction)) levels. For 32 lanes this is 4 + 2 + 5 = 11 cycles per pipeline start.
    public var macPipelineBaseDepthCycles: Double = 6
    /// Reconfiguration cost of one stage: an instruction read plus the muxes, 10 to 20 ns
    /// (InTAR, FCCM 2025). The upper end is used.
    public var stageSwitchNanoseconds: Double = 20
    /// Pipeline depth of a special-function unit (exp, division, compare). Assumption.
    public var sfuDepthCycles: Double = 8
    /// On-chip SRAM access energy per byte (BRAM/URAM). Horowitz (ISSCC 2014): 8 KB SRAM, 64-bit
    /// read 10 pJ, i.e. about 1.25 pJ/B.
    public var onChipPicojoulesPerByte: Double = 1.25
    /// Off-chip access energy per byte set by a spec or an override; nil: the main memory's kind's.
    public var offChipPicojoulesPerByteSet: Double?
    /// Off-chip access energy per byte of the main memory (`OffChipMemory.Kind.picojoulesPerByte`
    /// unless set).
    public var offChipPicojoulesPerByte: Double {
        get { offChipPicojoulesPerByteSet ?? mainMemory.kind.picojoulesPerByte }
        set { offChipPicojoulesPerByteSet = newValue }
    }

    /// Kernel clock in MHz (a spec may override it).
    public var clockMHz: Double

    /// The main off-chip memory (HBM when present, else the first listed).
    public var mainMemory: OffChipMemory {
        memories.first { $0.kind == .hbm2 } ?? memories[0]
    }

    /// DSP slices one MAC lane needs for a data type: int16×int16 fits one DSP48E2 (27×18
    /// multiplier); int8 and packed int4 weights two MACs per DSP (InTAR paper; UG579 / WP486 INT8
    /// packing); a fixed<W> lane costs one DSP up to 18 bits, two beyond; fp16/bf16 two and fp32
    /// three DSPs per multiply-add (Vitis HLS floating-point operator, UG1399 core table).
    public func dspPerMAC(_ t: DataType, weights w: DataType? = nil) -> Double {
        if let w, w == .int4, !t.isFloat, t.bits <= 8 { return 0.5 }
        switch t {
        case .int4, .int8: return 0.5
        case .int16: return 1
        case .fixed(let bits, _): return bits <= 8 ? 0.5 : (bits <= 18 ? 1 : 2)
        case .fp16, .bf16: return 2
        case .fp32: return 3
        }
    }

    /// Usable on-chip memory for buffers after the shell, in bytes: BRAM18K at 2 KiB of data
    /// (1K×18 with the parity bits unused) and URAM at 32 KiB of data (4K×72 used as 4K×64).
    public var onChipBytesAfterShell: Double {
        Double(bram18k - shell.bram18k) * Self.bram18kBytes + Double(uram - shell.uram) * Self.uramBytes
    }

    public static let bram18kBytes: Double = 2048
    public static let uramBytes: Double = 32768
}
