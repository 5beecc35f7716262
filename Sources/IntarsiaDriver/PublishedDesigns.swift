import IntarsiaCore
import IntarsiaFPGA

/// Hardware measurements of published designs and the configuration that describes each in
/// Intarsia's knobs. Source of the cycles and DSP counts: the InTAR (FCCM 2025) public code's
/// READMEs, measured on an Alveo U280; the configurations are read from their HLS, as
/// summarised in docs/VALIDATION.md.
public struct PublishedDesign: Sendable {
    public var name: String
    public var workload: BuiltinWorkload
    public var point: DesignPoint
    public var measuredCycles: Double
    public var measuredDSP: Int
    /// The tolerance the project holds the model to for this design.
    public var tolerance: Double
    public var configuration: String

    public static let all: [PublishedDesign] = [
        PublishedDesign(
            name: "MLP, dataflow", workload: .mlp,
            point: DesignPoint(template: .dataflow, lanes: 48, allocation: .uniform, weightLoad: .doubleBuffered, flattenLoops: true, wordBits: 256),
            measuredCycles: 181_996, measuredDSP: 36, tolerance: 0.10,
            configuration: "one unit per layer, 16 int16 lanes each (48 in all, uniform), one 256-bit weight word per cycle streamed, flattened loops"),
        PublishedDesign(
            name: "MLP, sequential", workload: .mlp,
            point: DesignPoint(template: .sequential, lanes: 32, scratchpadKiB: 0, weightLoad: .blocking, flattenLoops: true, wordBits: 256, spill: .always),
            measuredCycles: 1_374_935, measuredDSP: 42, tolerance: 0.25,
            configuration: "one unit of 32 int16 lanes, blocking 256-bit weight reads (one outstanding), layer outputs spilled off chip"),
        PublishedDesign(
            name: "Gating net, dataflow", workload: .gating,
            point: DesignPoint(template: .dataflow, lanes: 96, allocation: .uniform, weightLoad: .buffered, flattenLoops: false, wordBits: 512),
            measuredCycles: 50_524_005, measuredDSP: 872, tolerance: 0.25,
            configuration: "up, gate and down units of 32 int16 lanes (96 uniform); per hidden column a 128-word 512-bit weight burst, then 32 rows x 128 steps with a drain per row"),
        PublishedDesign(
            name: "Gating net, sequential", workload: .gating,
            point: DesignPoint(template: .sequential, lanes: 96, scratchpadKiB: 0, weightLoad: .blocking, flattenLoops: false, wordBits: 256, spill: .always),
            measuredCycles: 117_504_648, measuredDSP: 876, tolerance: 0.25,
            configuration: "one unit with the dataflow design's 96 lanes (baselines were tuned to the same DSPs), blocking 256-bit reads inside the loop, drain per row, intermediates spilled"),
    ]

    public struct Check: Sendable {
        public var design: PublishedDesign
        public var modelCycles: Double
        public var modelDSP: Int
        public var relativeError: Double { modelCycles / design.measuredCycles - 1 }
        public var withinTolerance: Bool { abs(relativeError) <= design.tolerance }
    }

    public func check() throws -> Check {
        let model = FPGAModel(workload: try workload.make(), platform: PlatformCatalog.u280)
        let e = model.evaluate(point)
        return Check(design: self, modelCycles: e.latencyCycles, modelDSP: e.dsp)
    }
}
