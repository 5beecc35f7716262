import IntarsiaCore
import IntarsiaFPGA

/// Hardware measurements of published designs, and the knobs that describe each design's
/// architecture. Cycles and DSP counts: the InTAR (FCCM 2025) public code, measured on an Alveo
/// U280 (kernel cycles counted on the device; DSPs after linking, shell included): the summary
/// table in `benchmark/README.md` and the per-design READMEs under `benchmark/`. The knobs are
/// read from each design's HLS (see docs/VALIDATION.md), never fitted to its cycles.
public struct PublishedDesign: Sendable {
    public var name: String
    public var workload: BuiltinWorkload
    public var point: DesignPoint
    /// A hand-written reconfigurable schedule, as stages of task names.
    public var schedule: [[String]]?
    public var measuredCycles: Double
    public var measuredDSP: Int
    public var source: String
    /// The tolerance the model is held to; nil for designs reported only, whose dominant
    /// mechanism the model does not capture yet (`gap` says which).
    public var tolerance: Double?
    public var configuration: String
    public var gap: String?
    /// Lanes per MAC task as built (task name to lanes), for a design whose units differ: each
    /// named task runs on its own lane count instead of the stage's split of `point.lanes`.
    public var taskLanes: [String: Int]?
    /// Loop nests as built (task name to `BuiltLoop`), for tasks whose HLS loops do not follow
    /// the workload's arithmetic (a gather over full kernel windows, a repeated nest).
    public var taskLoops: [String: BuiltLoop]?
    /// FIFO depths as built (`producer>consumer` to elements), for edges whose FIFO holds less
    /// than the producer's output (docs/MODEL.md, "Tasks as built").
    public var taskFIFOs: [String: Int]?
    /// Edges streamed as built (`producer>consumer`): the consumer accumulates outer products
    /// along its reduction in the order the producer emits it (docs/MODEL.md, "Tasks as built").
    public var taskStreams: [String]?

    static let readme = "InTAR benchmark/README.md"

    public static let all: [PublishedDesign] = [
        // Calibration set named by the issue (intar.md).
        PublishedDesign(
            name: "MLP, dataflow", workload: .mlp,
            point: DesignPoint(template: .dataflow, lanes: 48, allocation: .uniform, weightLoad: .doubleBuffered, flattenLoops: true, wordBits: 256, matVec: .dot),
            measuredCycles: 181_996, measuredDSP: 36, source: "benchmark/mlp/spatial/README.md", tolerance: 0.10,
            configuration: "one unit per layer, 16 int16 lanes each (48, uniform), one 256-bit weight word per cycle streamed, flattened loops, dot products (a barrier per layer)"),
        PublishedDesign(
            name: "MLP, sequential", workload: .mlp,
            point: DesignPoint(template: .sequential, lanes: 32, scratchpadKiB: 0, weightLoad: .blocking, flattenLoops: true, wordBits: 256, spill: .always),
            measuredCycles: 1_374_935, measuredDSP: 36, source: readme, tolerance: 0.25,
            configuration: "one unit of 32 int16 lanes, blocking 256-bit weight reads (one outstanding), layer outputs spilled off chip"),
        PublishedDesign(
            name: "Gating net, dataflow", workload: .gating,
            point: DesignPoint(template: .dataflow, lanes: 96, allocation: .uniform, weightLoad: .buffered, flattenLoops: false, wordBits: 512, matVec: .dot),
            measuredCycles: 50_524_005, measuredDSP: 872, source: "benchmark/gating-net/README.md (spatial, before)", tolerance: 0.25,
            configuration: "up, gate and down units of 32 int16 lanes (96, uniform); per hidden column a 128-word 512-bit weight burst, then 32 rows x 128 steps with a drain per row"),
        PublishedDesign(
            name: "Gating net, sequential", workload: .gating,
            point: DesignPoint(template: .sequential, lanes: 96, scratchpadKiB: 0, weightLoad: .blocking, flattenLoops: false, wordBits: 256, spill: .always),
            measuredCycles: 117_504_648, measuredDSP: 876, source: "benchmark/gating-net/README.md (sequential)", tolerance: 0.25,
            configuration: "one unit with the dataflow design's 96 lanes (the baselines were tuned to the same DSPs), blocking 256-bit reads inside the loop, drain per row, intermediates spilled"),
        // Held out: the rest of the InTAR measurements, configured the same way.
        PublishedDesign(
            name: "Gating net, dataflow (scaled down, optimized)", workload: .gating,
            point: DesignPoint(template: .dataflow, lanes: 96, allocation: .uniform, weightLoad: .buffered, flattenLoops: false, wordBits: 512, matVec: .dot),
            measuredCycles: 48_668_638, measuredDSP: 115, source: "benchmark/gating-net/README.md", tolerance: 0.25,
            configuration: "the same units as the 872-DSP build (2 inner-product projections and an outer-product down projection, 32 lanes each, 512-bit words)"),
        PublishedDesign(
            name: "Gating net, sequential (scaled down)", workload: .gating,
            point: DesignPoint(template: .sequential, lanes: 96, scratchpadKiB: 0, weightLoad: .blocking, flattenLoops: false, wordBits: 256, spill: .always),
            measuredCycles: 117_702_311, measuredDSP: 113, source: "benchmark/gating-net/README.md", tolerance: 0.25,
            configuration: "as the 876-DSP sequential build"),
        PublishedDesign(
            name: "MLP, InTAR", workload: .mlp,
            point: DesignPoint(template: .reconfigurable, lanes: 32, computeUnits: 2, scratchpadKiB: 64, weightLoad: .doubleBuffered, flattenLoops: true, wordBits: 256, matVec: .auto),
            schedule: [["fc1", "relu1"], ["fc2", "relu2", "fc3", "relu3"]],
            measuredCycles: 140_957, measuredDSP: 32, source: readme, tolerance: 0.25,
            configuration: "2 units of 16 int16 lanes; layer 1 split over both; layer 2 (dot products) on one unit streams through ReLU into layer 3 (outer product) on the other; weights streamed one 256-bit word per cycle"),
        PublishedDesign(
            name: "Self-attention, InTAR", workload: .selfAttention,
            point: DesignPoint(template: .reconfigurable, lanes: 32, computeUnits: 2, scratchpadKiB: 2048, weightLoad: .doubleBuffered, flattenLoops: false, wordBits: 256),
            schedule: [["q_proj"], ["k_proj", "qk", "softmax"], ["v_proj"], ["sv"]],
            measuredCycles: 40_520_051, measuredDSP: 43, source: readme, tolerance: 0.25,
            configuration: "2 units of 16 int16 lanes; Q split over both; K on one unit streamed into Q·Kᵀ on the other into the softmax units; V split; S·V split; loop bounds per stage, drain per output row"),
        PublishedDesign(
            name: "CNN-4L, dataflow", workload: .cnn4l,
            point: DesignPoint(template: .dataflow, lanes: 576, allocation: .uniform, weightLoad: .doubleBuffered, flattenLoops: true, wordBits: 512, streamElements: 1),
            measuredCycles: 713_144, measuredDSP: 583, source: "benchmark/cnn-4L/spatial/README.md", tolerance: 0.25,
            configuration: "four convolution units of 16 columns x 9 taps (576, uniform), line buffers, one element per cycle on the FIFOs between tasks"),
        PublishedDesign(
            name: "CNN-4L, InTAR", workload: .cnn4l,
            point: DesignPoint(template: .reconfigurable, lanes: 432, computeUnits: 3, scratchpadKiB: 512, weightLoad: .doubleBuffered, flattenLoops: true, wordBits: 512),
            schedule: [["conv1", "relu1", "up1", "conv2", "relu2", "up2", "conv3", "pool3", "relu3"], ["conv4", "relu4", "pool4"]],
            measuredCycles: 118_729, measuredDSP: 439, source: readme, tolerance: 0.25,
            configuration: "3 units of 16 columns x 9 taps; conv1 → conv2 → conv3 as a line-buffered pipeline into a 392 KB buffer, then conv4 split by rows over the 3 units; each row's fetch and compute loops in series, and every entry of a pipelined loop in a nest Vitis cannot flatten pays its loop transitions",
            taskLanes: ["conv1": 144, "conv2": 144, "conv3": 144, "conv4": 432],
            // serial = the row fetch's iterations + the loop transitions of the row's unflattened
            // loops (`loopTransitionCycles`): conv1 fetch and compute loops (2 entries); conv2
            // fetch, the rr loop and its 2 compute-loop entries (4); conv3 fetch, the col_block
            // loop and its 56 entries of the rr loop (58); conv4 on CC2, the slowest core: fetch,
            // the col_block loop and its 28 entries of the rr loop (30).
            taskLoops: ["conv1": BuiltLoop(outer: 224, inner: 14, serial: 14 + loopTransitionCycles(entries: 2)),
                        "conv2": BuiltLoop(outer: 224, inner: 2 * 28, serial: 14 + loopTransitionCycles(entries: 4)),
                        "conv3": BuiltLoop(outer: 448, inner: 2 * 56, serial: 28 + loopTransitionCycles(entries: 2 + 56)),
                        "conv4": BuiltLoop(outer: 150, inner: 28, serial: 28 + loopTransitionCycles(entries: 2 + 28))]),
        PublishedDesign(
            name: "Self-attention, dataflow", workload: .selfAttention,
            point: DesignPoint(template: .dataflow, lanes: 40, allocation: .uniform, weightLoad: .buffered, flattenLoops: false, wordBits: 128, streamElements: 8, matVec: .dot),
            measuredCycles: 73_143_507, measuredDSP: 51, source: readme, tolerance: 0.25,
            configuration: "Q, K, V projections, Q·Kᵀ and S·V units of 8 lanes (VEC_LEN), inner loops pipelined under row loops, 8-element FIFOs; V's FIFO holds 8 words, so the V projection stalls until S·V has cached all of S",
            taskLanes: ["q_proj": 8, "k_proj": 8, "v_proj": 8, "qk": 8, "sv": 8],
            taskFIFOs: ["v_proj>sv": 64], taskStreams: ["k_proj>qk"]),
        PublishedDesign(
            name: "Self-attention, sequential", workload: .selfAttention,
            point: DesignPoint(template: .sequential, lanes: 16, scratchpadKiB: 0, weightLoad: .blocking, flattenLoops: false, wordBits: 256, spill: .always),
            measuredCycles: 348_574_419, measuredDSP: 52, source: "benchmark/self-attn/sequential/experiments.md", tolerance: 0.25,
            configuration: "one unit of 16 lanes, blocking weight reads, Q, K, V written off chip; S·V one scalar MAC per iteration in a nest its shadowed loop variable repeats 64 times",
            gap: nil,
            taskLanes: ["q_proj": 16, "k_proj": 16, "v_proj": 16, "qk": 16, "sv": 1],
            taskLoops: ["sv": BuiltLoop(outer: 64 * 256 * 64, inner: 256)]),
        PublishedDesign(
            name: "CNN-4L, sequential", workload: .cnn4l,
            point: DesignPoint(template: .sequential, lanes: 144, scratchpadKiB: 0, weightLoad: .buffered, flattenLoops: true, wordBits: 256, spill: .always,
                               writeWait: true),
            measuredCycles: 2_215_282, measuredDSP: 580, source: "benchmark/cnn-4L/sequential/README.md", tolerance: 0.25,
            configuration: "convolution loops of 16 columns x 9 taps, each 16-element output packet written off chip waiting for its response, rows read back by pipelined requests"),
        PublishedDesign(
            name: "VAE, dataflow", workload: .vae,
            point: DesignPoint(template: .dataflow, lanes: 208, allocation: .uniform, weightLoad: .doubleBuffered, flattenLoops: true, wordBits: 512, streamElements: 1, matVec: .dot),
            measuredCycles: 28_383, measuredDSP: 183, source: readme, tolerance: nil,
            configuration: "encoder convolutions of 64 and 16 MACs, decoder transposed convolutions of 64 MACs, scalar FIFOs",
            gap: "the gather of decoder conv3 and the unpipelined final_relu are in (task_loops); the sampling loop is not pipelined, each of its 324 iterations waits for two hls::exp chains whose operator latency has no documented source, and decoder conv4 computes each block only after reading it whole (625 + 784 cycles per block in series with conv3)",
            taskLanes: ["enc1": 64, "enc2": 16, "dec1": 64, "dec2": 64],
            taskLoops: ["dec1": BuiltLoop(outer: 2 * 2 * 25 * 25, inner: 2), "dec2": BuiltLoop(outer: 2 * 2, inner: 28 * 28, serial: 25 * 25),
                        "dec2_relu": finalReLU]),
        PublishedDesign(
            name: "VAE, sequential", workload: .vae,
            point: DesignPoint(template: .sequential, lanes: 64, scratchpadKiB: 0, weightLoad: .blocking, flattenLoops: true, wordBits: 256, spill: .always),
            measuredCycles: 306_935, measuredDSP: 190, source: "benchmark/vae/sequential/README.md (hardware emulation)", tolerance: 0.25,
            configuration: "one unit, 64-MAC encoder; decoder conv3 sums each output's 64 partial products in an unpipelined loop and stores it element by element, conv4 re-reads them at II=2, and the final ReLU reads and writes element by element in unpipelined loops",
            // Read from vae-sequential-kernel.cpp (docs/VALIDATION.md, "Tasks as built"): dec1
            // is 2,500 outputs of the 2-iteration pipelined c loop, then the 8 x 8 sum (64
            // one-cycle iterations and 9 loop entries, `loopTransitionCycles`) and one store;
            // the encoder ReLUs are the buffers' unpipelined clears (42 entries of 21 + 2);
            // `final_relu` per channel: a clear, then 784 reads and 784 reads and writes.
            taskLoops: ["enc1": BuiltLoop(outer: 4, inner: 21 * 21, serial: 7 * 7 * 2 + loopTransitionCycles(entries: 2)),
                        "enc1_relu": zeroing, "enc2": BuiltLoop(outer: 2 * 18 * 18, inner: 2), "enc2_relu": zeroing,
                        "dec1": BuiltLoop(outer: 2 * 2 * 25 * 25, inner: 2, serial: 8 * 8 + loopTransitionCycles(entries: 1 + 8), accesses: 1),
                        "dec2": BuiltLoop(outer: 2 * 2, inner: 2 * 28 * 28, serial: 2 * 25 * 25 + loopTransitionCycles(entries: 2)),
                        "dec2_relu": BuiltLoop(outer: 2, inner: 2 * 28 * 28, serial: finalReLU.serial, iterationCycles: 2, accesses: 3 * 28 * 28)]),
        PublishedDesign(
            name: "VAE, InTAR", workload: .vae,
            point: DesignPoint(template: .reconfigurable, lanes: 192, computeUnits: 2, scratchpadKiB: 64, weightLoad: .doubleBuffered, flattenLoops: true, wordBits: 512),
            measuredCycles: 10_295, measuredDSP: 239, source: readme, tolerance: 0.25,
            configuration: "2 units of 64 and 32 MACs for the encoder, then the decoder convolutions: CC0's gather loops (6,764 cycles at II=1) and the unpipelined final_relu after CC1 (7,840 cycles)",
            taskLoops: ["enc1": BuiltLoop(outer: 2 * 21 * 21, inner: 2), "dec1": BuiltLoop(outer: 2 * 2 * 25 * 25, inner: 2),
                        "dec2": BuiltLoop(outer: 2 * 2, inner: 28 * 28, serial: 25 * 25), "dec2_relu": finalReLU]),
    ]

    /// The VAE designs' `final_relu` task (`vae-spatial-kernel.cpp` lines 405-433,
    /// `vae-intrra-kernel.cpp` lines 514-542): no pipeline pragma and loops of 28 iterations,
    /// under Vitis HLS's automatic-pipelining threshold of 64 (UG1399). For each of 2 output
    /// channels it clears a 28 x 28 cache (784 stores, one cycle each: the `serial` cycles), adds
    /// the first input block into it and adds the second to it before the ReLU and the write
    /// (2 x 784 read-modify-writes of the cache, two cycles each: `BuiltLoop.iterationCycles`).
    /// Its unpipelined loops also pay their transitions (`loopTransitionCycles`): per channel
    /// the three i loops are entered once and their 28-iteration j loops 28 times each.
    static let finalReLU = BuiltLoop(outer: 2, inner: 2 * 28 * 28, serial: 28 * 28 + loopTransitionCycles(entries: 3 + 3 * 28), iterationCycles: 2)

    /// VAE sequential's clears of its encoder buffers (`vae-sequential-kernel.cpp` lines
    /// 125-131, 173-179): 2 x 21 entries of an unpipelined 21-iteration loop of one store each.
    static let zeroing = BuiltLoop(outer: 2 * 21, inner: 21, serial: loopTransitionCycles(entries: 1))

    /// Cycles spent entering and leaving a pipelined loop `entries` times from a loop Vitis HLS
    /// cannot flatten into it: "one clock cycle to move from an outer loop to an inner loop and
    /// from an inner loop to an outer loop" (UG1399 2021.2, "Flattening Nested Loops to Improve
    /// Latency"; the designs were built with Vitis 2021.2, `run_tapa.sh`). Counted only where an
    /// inner loop's bound varies between the nest's executions, which UG1399 names as what keeps
    /// a nest from being flattened (CNN-4L InTAR: `fetch_bound`, `col_bound` and `rr_bound` change
    /// with the core's stage, lines 111-113, 200-203, 312-315). Not counted in the VAE designs'
    /// nests, whose inner bounds are constant where they run: by UG1399's letter those are
    /// imperfect too (code around the inner loop), but VAE InTAR's measured 10,295 cycles are
    /// fewer than its CC0 would take alone (13,950) if its 3,382 entries paid the transitions, so
    /// Vitis removed them there (docs/VALIDATION.md says this is a reading, not a documented rule).
    static func loopTransitionCycles(entries: Double) -> Double { 2 * entries }

    public struct Check: Sendable {
        public var design: PublishedDesign
        public var modelCycles: Double
        public var modelDSP: Int
        public var relativeError: Double { modelCycles / design.measuredCycles - 1 }
        public var withinTolerance: Bool { design.tolerance.map { abs(relativeError) <= $0 } ?? true }
    }

    public func check() throws -> Check {
        let w = try workload.make()
        let index = Dictionary(uniqueKeysWithValues: w.tasks.enumerated().map { ($1.name, $0) })
        let stages = schedule.map { $0.map { $0.map { index[$0]! } } }
        let model = try FPGAModel(workload: w, platform: PlatformCatalog.u280, reconfigurableSchedule: stages)
        var none = NoRecorder()
        let e = asBuilt.isEmpty ? model.evaluate(point) : try evaluateAsBuilt(model, recorder: &none)
        return Check(design: self, modelCycles: e.latencyCycles, modelDSP: e.dsp)
    }

    /// The design's per-task lanes and loop nests.
    public var asBuilt: AsBuiltTasks { AsBuiltTasks(lanes: taskLanes, loops: taskLoops, fifos: taskFIFOs, streams: taskStreams) }

    /// Evaluates the design with its tasks as built (`AsBuiltTasks`).
    func evaluateAsBuilt<R: CostRecorder>(_ model: FPGAModel, recorder: inout R) throws -> Evaluation {
        try asBuilt.resolve(model.compiled, owner: name).evaluate(model, point, recorder: &recorder)
    }
}
