import Foundation
import IntarsiaCore

/// The ASIC dataflow templates. Systolic forms (an R×C array, as SCALE-Sim models them) and the
/// three dataflows NASAIC composes: NVDLA-style weight-stationary, ShiDianNao-style
/// output-stationary, Eyeriss-style row-stationary.
public enum ASICDataflow: String, Hashable, Sendable, CaseIterable, Codable {
    /// Systolic weight-stationary: filters stay in the array, pixels stream.
    case systolicWS = "systolic_ws"
    /// Systolic output-stationary: each PE accumulates one output.
    case systolicOS = "systolic_os"
    /// Systolic input-stationary: input windows stay, filters stream.
    case systolicIS = "systolic_is"
    /// NVDLA-like: parallel over output channels K, and input channels C within a cluster.
    case nvdla
    /// ShiDianNao-like: parallel over output rows and columns.
    case shidiannao
    /// Eyeriss-like row-stationary: a PE per (filter row, output row), 1-D convolutions.
    case eyeriss

    public static let acceptedNames = allCases.map(\.rawValue).joined(separator: ", ")

    /// Systolic forms pass operands between neighbouring PEs instead of reading register files.
    public var isSystolic: Bool {
        switch self {
        case .systolicWS, .systolicOS, .systolicIS: return true
        case .nvdla, .shidiannao, .eyeriss: return false
        }
    }
}

/// How a sub-accelerator's off-chip transfers meet its compute.
public enum ASICMemory: String, Hashable, Sendable, CaseIterable, Codable {
    /// Double-buffered global buffer: transfers overlap compute; only what compute cannot hide
    /// stalls.
    case doubleBuffered = "double_buffered"
    /// ZigZag's tpu_like hierarchy: the layer's input is loaded over the off-chip port before
    /// computing starts, weights stream from DRAM straight into the PEs while they compute (the
    /// layer takes at least their transfer time), outputs stay on chip.
    case preloadInputs = "preload_inputs"
    /// SCALE-Sim v3's memory system (systolic dataflows only): three double-buffered
    /// scratchpads (ifmap, filter, ofmap) of a third of the buffer each, each with an off-chip
    /// port of a third of the bandwidth, and SCALE-Sim's fetch order, window and stall
    /// accounting (`ScaleSimMemory`). Slower to evaluate than the closed forms: it walks the
    /// folds.
    case scaleSim = "scalesim"

    public static let acceptedNames = allCases.map(\.rawValue).joined(separator: ", ")
}

/// SCALE-Sim's `InterfaceBandwidth`: `user` gives the port its bandwidth (stalls when demand
/// exceeds it), `calc` sizes the port to the demand (SCALE-Sim then reports no stalls).
public enum ScaleSimBandwidth: String, Hashable, Sendable, CaseIterable, Codable {
    case user, calc
    public static let acceptedNames = allCases.map(\.rawValue).joined(separator: ", ")
}

/// One sub-accelerator's hardware: its dataflow, PE array, on-chip buffer and off-chip bandwidth.
public struct ASICAccelerator: Hashable, Sendable {
    public var dataflow: ASICDataflow
    /// Array rows and columns (systolic forms); for the other dataflows only their product counts.
    public var rows: Int
    public var columns: Int
    /// Global buffer for inputs, weights and outputs, KiB.
    public var bufferKiB: Double
    /// Off-chip bytes per cycle.
    public var dramBytesPerCycle: Double
    /// NVDLA-style: input channels a cluster reduces in parallel.
    public var clusterChannels: Int
    public var memory: ASICMemory
    /// Operations a cycle of the vector unit that runs non-MAC operators (pooling, element-wise,
    /// activations, softmax, layer norm, up-sampling); 0: they run on the PE array, one
    /// operation per PE per cycle.
    public var vectorLanes: Int = 0
    /// Elements a cycle the on-chip network carries between the global buffer and the PEs (all
    /// tensors together); infinity: never the bottleneck.
    public var nocElementsPerCycle: Double = .infinity
    /// A network of its own for one tensor class (nil: that class shares `nocElementsPerCycle`).
    public var nocInputElementsPerCycle: Double? = nil
    public var nocWeightElementsPerCycle: Double? = nil
    public var nocOutputElementsPerCycle: Double? = nil
    /// Whether any network between the global buffer and the PEs is bounded.
    public var hasBoundedNoC: Bool {
        nocElementsPerCycle.isFinite || nocInputElementsPerCycle != nil || nocWeightElementsPerCycle != nil || nocOutputElementsPerCycle != nil
    }
    /// Bytes of each PE's L1 (register file or scratchpad); 512 as Eyeriss's.
    public var l1Bytes: Double = 512
    /// SCALE-Sim's interface bandwidth mode (`memory: scalesim` only).
    public var scaleSimBandwidth: ScaleSimBandwidth = .user


    /// Energy of an L1 access relative to Eyeriss's 512-byte register file: the square root of
    /// the size ratio, as the buffer's per-byte energy grows (never below the 512-byte figure).
    public var l1EnergyScale: Double { max(1, (l1Bytes / 512).squareRoot()) }

    public init(dataflow: ASICDataflow, rows: Int, columns: Int, bufferKiB: Double = 512, dramBytesPerCycle: Double = 16, clusterChannels: Int = 16,
                memory: ASICMemory = .doubleBuffered) {
        self.dataflow = dataflow
        self.rows = rows
        self.columns = columns
        self.bufferKiB = bufferKiB
        self.dramBytesPerCycle = dramBytesPerCycle
        self.clusterChannels = clusterChannels
        self.memory = memory
    }

    public var processingElements: Int { rows * columns }
}

/// A layer's figures on one accelerator.
public struct ASICLayerCost: Hashable, Sendable {
    public var computeCycles: Double
    public var stallCycles: Double
    public var totalCycles: Double { computeCycles + stallCycles }
    public var utilization: Double
    /// Accesses in bytes per memory level.
    public var registerFileBytes: Double
    public var nocBytes: Double
    public var bufferBytes: Double
    public var dramBytes: Double
    /// Energy by level, picojoules.
    public var macPicojoules: Double
    public var registerFilePicojoules: Double
    public var nocPicojoules: Double
    public var bufferPicojoules: Double
    public var dramPicojoules: Double
    public var energyPicojoules: Double { macPicojoules + registerFilePicojoules + nocPicojoules + bufferPicojoules + dramPicojoules }
    /// Elements per tensor between the global buffer and the PEs.
    public var buffer: TensorTraffic = TensorTraffic()
    /// Elements per tensor between DRAM and the global buffer.
    public var offChip: TensorTraffic = TensorTraffic()
}

/// Elements a tensor class moves across one level of the hierarchy.
public struct TensorTraffic: Hashable, Sendable {
    /// Input activations read (per re-read).
    public var inputReads: Double = 0
    /// Weights read.
    public var weightReads: Double = 0
    /// Outputs written, final ones and partial sums spilled for a later fold.
    public var outputWrites: Double = 0
    /// Partial sums read back to continue their accumulation.
    public var partialSumReads: Double = 0
    public init(inputReads: Double = 0, weightReads: Double = 0, outputWrites: Double = 0, partialSumReads: Double = 0) {
        self.inputReads = inputReads
        self.weightReads = weightReads
        self.outputWrites = outputWrites
        self.partialSumReads = partialSumReads
    }
}

public enum ASICModel {
    @inline(__always)
    static func ceilDiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }

    /// Compute cycles of a layer. The systolic forms are SCALE-Sim's closed forms (peers.md,
    /// checked there on 21 ResNet-18 layers and all three dataflows): with `folds =
    /// ceil(Sr/R)·ceil(Sc/C)`, WS and IS take `folds·(T + 2R + C − 2) − 1` and OS
    /// `folds·(T + R + C − 2) − 1`, where WS has Sr = R·S·C (filter size), Sc = K, T = OH·OW;
    /// OS has Sr = OH·OW, Sc = K, T = R·S·C; IS has Sr = R·S·C, Sc = OH·OW, T = K.
    public static func computeCycles(_ l: ConvLayer, on a: ASICAccelerator) -> (cycles: Double, folds: (rows: Int, cols: Int)) {
        if l.isVector { return (vectorCycles(l, on: a), (1, 1)) }
        let r = a.rows, c = a.columns
        let pixels = l.outputPixels, filter = l.reduction, k = l.filters
        // Grouped convolutions: a group's K/G filters reduce its own C/G channels. The systolic
        // and NVDLA-like arrays lay filters along one array dimension and the reduction along the
        // other, and the filters of a column share their inputs, so two groups never share a fold:
        // the groups run one after another, each as a layer of C/G channels and K/G filters
        // (a depthwise layer fills one row and one column of the array per group, as ZigZag's
        // tpu_like maps it). ShiDianNao-like and Eyeriss-like arrays parallelise over outputs
        // and rows of work, so groups only shorten each output's reduction.
        let g = l.groups, kg = k / g
        switch a.dataflow {
        case .systolicWS:
            let fr = ceilDiv(filter, r), fc = ceilDiv(kg, c)
            return (Double(g * (fr * fc * (pixels + 2 * r + c - 2) - 1)), (fr, fc))
        case .systolicOS:
            let fr = ceilDiv(pixels, r), fc = ceilDiv(kg, c)
            return (Double(g * (fr * fc * (filter + r + c - 2) - 1)), (fr, fc))
        case .systolicIS:
            let fr = ceilDiv(filter, r), fc = ceilDiv(pixels, c)
            return (Double(g * (fr * fc * (kg + 2 * r + c - 2) - 1)), (fr, fc))
        case .nvdla:
            // NVDLA's MAC array: `rows` input channels (atomic-C) reduced by an adder tree for each
            // of `columns` output channels (atomic-K). Each cycle: one pixel and one kernel tap of
            // a C × K tile; a layer with fewer channels leaves rows idle (ZigZag's tpu_like maps
            // the same way: K over one array dimension, C over the other).
            let fcin = ceilDiv(l.channels / g, r), fk = ceilDiv(kg, c)
            return (Double(g * fk * fcin * l.kernelH * l.kernelW * pixels) + fillCycles(a), (fcin, fk))
        case .shidiannao:
            // A rows × columns tile of output pixels per pass, one MAC of every output each cycle;
            // a row of `columns` PEs spans `columns` input columns (its input window), which hold
            // ⌊(columns − 1 + stride) / stride⌋ outputs (MAESTRO's ShiDianNao-like mapping).
            let perRow = max(1, (c - 1 + l.stride) / l.stride)
            let fy = ceilDiv(l.outH, r), fx = ceilDiv(l.outW, perRow)
            return (Double(l.batch * fy * fx * k * filter) + fillCycles(a), (fy, fx))
        case .eyeriss:
            // Each PE runs a 1-D convolution: one filter row over one input row, S MACs per output
            // pixel of its output row; K·(C/G)·R·OH such rows share the PEs.
            let rowsOfWork = l.batch * k * (l.channels / g) * l.kernelH * l.outH
            let passes = ceilDiv(rowsOfWork, a.processingElements)
            return (Double(passes * l.kernelW * l.outW + l.kernelH), (passes, 1))
        }
    }

    /// The fill the NVDLA-like (its adder tree over `rows` inputs) and ShiDianNao-like (rows plus
    /// columns to load and drain the output tile) closed forms add once per layer.
    @inline(__always)
    static func fillCycles(_ a: ASICAccelerator) -> Double {
        switch a.dataflow {
        case .nvdla: return log2(Double(a.rows)).rounded(.up)
        case .shidiannao: return Double(a.rows + a.columns)
        default: return 0
        }
    }

    /// Cycles of a non-MAC layer: its operations (`ConvLayer.vectorOperations`) on the vector
    /// unit (`vectorLanes` operations a cycle) or, without one, on the PE array (one operation
    /// per PE per cycle, as Eyeriss runs pooling on its PEs), plus the unit's pipeline fill
    /// (one cycle per lane group of 32, an assumption stated in docs/ASIC.md).
    @inline(__always)
    public static func vectorCycles(_ l: ConvLayer, on a: ASICAccelerator) -> Double {
        let lanes = a.vectorLanes > 0 ? a.vectorLanes : a.processingElements
        return Double(ceilDiv(l.vectorOperations, lanes) + ceilDiv(lanes, 32))
    }

    /// The layer's full cost: compute, stalls from off-chip bandwidth, accesses and energy.
    ///
    /// Traffic: each operand is read from the buffer once per fold of the other array dimension
    /// that does not keep it (weight-stationary forms re-read inputs per column fold and
    /// partial sums per row fold; output-stationary re-reads weights and inputs; input-stationary
    /// re-reads weights and partial sums). Off chip, each operand moves once when the buffer holds
    /// it with the others (a third of the buffer each), else once per re-read. Stalls are the
    /// off-chip time not hidden behind compute (double-buffered transfers).
    public static func cost(_ l: ConvLayer, on a: ASICAccelerator, technology t: ASICTechnology) -> ASICLayerCost {
        let (compute, folds) = computeCycles(l, on: a)
        if l.fusedIntoProducer {
            // Applied on the way out of the array: no traffic; on a vector unit it keeps pace
            // with the outputs (no cycles), on the PE array the PEs spend its operations.
            return vectorCost(l, on: a, technology: t, compute: a.vectorLanes > 0 ? 0 : compute, stall: 0, bufferBytes: 0, dramBytes: 0, nocElements: 0)
        }
        let macs = Double(l.macs)
        let bytes = l.bytesPerElement
        let w = l.weightBytes, i = l.inputBytes, o = l.outputBytes
        let g = Double(l.groups)
        // NVDLA- and ShiDianNao-like arrays: the step walk of `ClusterSteps` gives the buffer
        // traffic and the time the NoC adds (operand windows delivered to the PEs each step).
        var traffic: TensorTraffic
        var nocSteps = 0.0
        if l.isVector || (a.dataflow != .nvdla && a.dataflow != .shidiannao) {
            traffic = bufferTraffic(l, on: a, folds: folds)
        } else {
            let steps = ClusterSteps.layer(l, on: a)!
            let o = Double(l.outputElements)
            traffic = TensorTraffic(inputReads: Double(steps.inputReads), weightReads: Double(steps.weightReads),
                                    outputWrites: Double(steps.outputWrites), partialSumReads: max(0, Double(steps.outputWrites) - o))
            // At an unbounded NoC the walk takes exactly the compute closed form without its
            // fill (MaestroTests checks `cycles(.infinity) == ideal`), so one walk suffices.
            if a.hasBoundedNoC { nocSteps = Double(steps.cycles) - (compute - fillCycles(a)) }
        }
        let psumWidth = max(bytes, 4)  // 32-bit partial sums
        let bufferBytes = traffic.inputReads * bytes + traffic.weightReads * bytes + o + 2 * traffic.partialSumReads * psumWidth
        let share = a.bufferKiB * 1024 / 3
        let iReads = traffic.inputReads * bytes / max(i, 1), wReads = traffic.weightReads * bytes / max(w, 1)
        let spilledPartialSums = traffic.partialSumReads > 0 && o > share ? traffic.partialSumReads : 0
        var offChip = TensorTraffic(inputReads: (i <= share ? 1 : iReads) * i / bytes, weightReads: (w <= share ? 1 : wReads) * w / bytes,
                                    outputWrites: o / bytes + spilledPartialSums * psumWidth / bytes, partialSumReads: spilledPartialSums * psumWidth / bytes)
        var dram = w * (w <= share ? 1 : wReads) + i * (i <= share ? 1 : iReads) + o + 2 * spilledPartialSums * psumWidth
        // On-chip interconnect (the arrays without a step walk): every element the PEs receive
        // from the global buffer (multicast counted once; partial sums on the outputs' network)
        // and every output they return crosses the NoC; the two directions move at once, each
        // class on its network, overlapped with compute (double-buffered L1s), so only the
        // excess stalls.
        let nocElements = traffic.inputReads + traffic.weightReads + traffic.partialSumReads + traffic.outputWrites
        var nocCycles = 0.0
        if a.hasBoundedNoC && !ClusterSteps.walks(a.dataflow) && !l.isVector {
            let noc = ClusterSteps.NoC(a)
            func n(_ x: Double) -> Int { Int(min(x, 9e15).rounded(.up)) }
            nocCycles = Double(max(noc.time(inputs: n(traffic.inputReads), weights: n(traffic.weightReads), outputs: n(traffic.partialSumReads)),
                                   noc.time(outputs: n(traffic.outputWrites))))
        } else if a.hasBoundedNoC && l.isVector {
            let noc = ClusterSteps.NoC(a)
            nocCycles = Double(max(noc.time(inputs: Int(traffic.inputReads)), noc.time(outputs: Int(traffic.outputWrites))))
        }
        var stall: Double
        // SCALE-Sim's scratchpads model the systolic array's operand matrices; a non-MAC layer
        // (no filter matrix) moves its input and output double-buffered instead.
        switch l.isVector && a.memory == .scaleSim ? .doubleBuffered : a.memory {
        case .doubleBuffered:
            stall = max(0, max(dram / a.dramBytesPerCycle, nocCycles) - compute)
        case .preloadInputs:
            // ZigZag's tpu_like hierarchy (validation/peers/README.md, "depthwise networks"): the
            // layer's input is loaded over the off-chip port before computing. When a PE's weights
            // for the layer fit its L1 (`weightsFitL1`), they load alongside the input and stay;
            // otherwise they stream from DRAM while the PEs compute. The output is written back
            // off chip while the PEs compute, over the same port as streamed weights: the layer
            // lasts at least that traffic.
            let port = a.dramBytesPerCycle
            let input = l.neededInputBytes / port
            if weightsFitL1(l, on: a) {
                stall = max(input, w / port) + max(0, max(o / port, nocCycles) - compute)
            } else {
                stall = input + max(0, max((w + o) / port, nocCycles) - compute)
            }
        case .scaleSim:
            if a.scaleSimBandwidth == .calc {
                // SCALE-Sim's CALC mode sizes the interface to the demand: no stalls
                // (validation/peers/scalesim-calc.csv: total = compute cycles on all 19 runs);
                // DRAM traffic from `scaleSimCalcTraffic`.
                let c = scaleSimCalcTraffic(l, on: a, folds: folds)
                offChip = c
                dram = (c.inputReads + c.weightReads + c.outputWrites) * bytes
                stall = max(0, nocCycles - compute)
            } else if let s = l.groups == 1 ? ScaleSimMemory.simulate(l, on: a) : ScaleSimMemory.simulate(l.oneGroup, on: a) {
                stall = max(0, g * s.totalCycles - compute)
                dram = g * (s.ifmapWords + s.filterWords + s.ofmapWords) * bytes
                offChip = TensorTraffic(inputReads: g * s.ifmapWords, weightReads: g * s.filterWords, outputWrites: g * s.ofmapWords)
            } else {
                stall = max(0, dram / a.dramBytesPerCycle - compute)
            }
        }
        stall += nocSteps
        if l.isVector { return vectorCost(l, on: a, technology: t, compute: compute, stall: stall, bufferBytes: bufferBytes, dramBytes: dram, nocElements: nocElements) }
        if let x = t.accessEnergies {
            // A peer's hierarchy priced per access (ZigZag's tpu_like): each MAC reads its weight
            // from the PE's register file and reads and writes its partial sum in the PE's
            // output register (reductions over C stay there); inputs are written once into the
            // SRAM and read from it once per kernel tap and column fold (an NVDLA-like array
            // reads an input pixel for every tap: the im2col volume, per group), or once per
            // re-read for the other dataflows; weights are read from the SRAM per re-read unless
            // they stream from DRAM into the PEs (`preload_inputs`); outputs are written to the
            // SRAM and read once to go off chip. DRAM: inputs and weights read once, outputs
            // written once.
            //
            // The SRAM and DRAM move at least `minimumAccessBytes` (tpu_like: 64 bits) an access:
            // an NVDLA-like read of the input channels one C fold needs (one channel of a
            // depthwise group: 1 byte) costs a whole word, and so does a write of the outputs one
            // K fold makes, and a group's weights come from DRAM in whole words.
            func words(_ b: Double) -> Double { (b / x.minimumAccessBytes).rounded(.up) * x.minimumAccessBytes }
            let inputReads: Double, outputWrites: Double
            if a.dataflow == .nvdla {
                let cg = l.channels / l.groups, kg = l.filters / l.groups
                let perRead = words(Double(ceilDiv(cg, folds.rows)) * bytes), perWrite = words(Double(ceilDiv(kg, folds.cols)) * bytes)
                inputReads = g * Double(folds.rows * folds.cols * l.kernelH * l.kernelW * l.outputPixels) * perRead
                outputWrites = g * Double(folds.cols * l.outputPixels) * perWrite
            } else {
                inputReads = i * iReads
                outputWrites = o
            }
            let weightReads = a.memory == .preloadInputs ? 0 : w * wReads
            let sramRead = inputReads + weightReads + o, sramWrite = l.neededInputBytes + outputWrites
            let dramRead = l.neededInputBytes + g * words(w / g), dramWrite = o
            return ASICLayerCost(
                computeCycles: compute, stallCycles: stall,
                utilization: macs / (compute * Double(a.processingElements)),
                registerFileBytes: macs * (bytes + 2 * 2), nocBytes: 0, bufferBytes: sramRead + sramWrite, dramBytes: dramRead + dramWrite,
                macPicojoules: macs * t.macPicojoules(l.dataType),
                registerFilePicojoules: (macs * bytes + w) * x.weightRegisterPerByte + (2 * macs + Double(l.outputElements)) * x.outputRegisterPerAccess,
                nocPicojoules: 0,
                bufferPicojoules: sramRead * x.sramReadPerByte + sramWrite * x.sramWritePerByte,
                dramPicojoules: dramRead * x.dramReadPerByte + dramWrite * x.dramWritePerByte,
                buffer: traffic,
                offChip: TensorTraffic(inputReads: l.neededInputBytes / bytes, weightReads: g * words(w / g) / bytes, outputWrites: o / bytes))
        }
        // Register files: two operand reads and a partial-sum update per MAC (systolic arrays pass
        // operands between neighbours instead: NoC hops). A per-PE L1 larger than Eyeriss's
        // 512 B costs more per access, as the buffer does (square root of its size).
        let systolic = a.dataflow.isSystolic
        let rf = systolic ? macs * bytes : 3 * macs * bytes
        let noc = systolic ? 2 * macs * bytes : bufferBytes
        return ASICLayerCost(
            computeCycles: compute, stallCycles: stall,
            utilization: macs / (compute * Double(a.processingElements)),
            registerFileBytes: rf, nocBytes: noc, bufferBytes: bufferBytes, dramBytes: dram,
            macPicojoules: macs * t.macPicojoules(l.dataType),
            registerFilePicojoules: rf * t.registerFilePicojoulesPerByte * a.l1EnergyScale,
            nocPicojoules: noc * t.nocHopPicojoulesPerByte,
            bufferPicojoules: bufferBytes * t.sramPicojoulesPerByte(kib: a.bufferKiB),
            dramPicojoules: dram * t.dramPicojoulesPerByte,
            buffer: traffic,
            offChip: offChip)
    }

    /// SCALE-Sim's DRAM traffic in its CALC mode (validation/peers/scalesim-calc.csv): each of
    /// its operand matrices (the im2col input, the filters, the outputs) is read once when it fits
    /// the active half of its scratchpad (a third of the buffer), else once per fold of the array
    /// dimension that does not keep it (WS and OS re-stream the input per filter fold, OS the
    /// filters per pixel fold, IS the filters per pixel fold); WS and IS write the outputs once per
    /// row fold (partial sums), OS once. Per group. SCALE-Sim counts an address once per entry
    /// into the window, so where the im2col input repeats elements (kernel larger than stride) and
    /// they stay in the window it reads less than this (docs/ASIC.md).
    static func scaleSimCalcTraffic(_ l: ConvLayer, on a: ASICAccelerator, folds: (rows: Int, cols: Int)) -> TensorTraffic {
        let g = Double(l.groups), kg = Double(l.filters / l.groups)
        let pixels = Double(l.outputPixels), red = Double(l.reduction)
        let im2col = pixels * red, filters = red * kg, outputs = pixels * kg
        let half = a.bufferKiB * 1024 / 3 / 2 / l.bytesPerElement
        func streamed(_ size: Double, _ times: Int) -> Double { size <= half ? size : size * Double(times) }
        switch a.dataflow {
        case .systolicWS:
            return TensorTraffic(inputReads: g * streamed(im2col, folds.cols), weightReads: g * filters, outputWrites: g * outputs * Double(folds.rows))
        case .systolicOS:
            return TensorTraffic(inputReads: g * streamed(im2col, folds.cols), weightReads: g * streamed(filters, folds.rows), outputWrites: g * outputs)
        default:
            return TensorTraffic(inputReads: g * im2col, weightReads: g * streamed(filters, folds.cols), outputWrites: g * outputs * Double(folds.rows))
        }
    }

    /// Elements each tensor moves between the global buffer and the PEs: every operand read once
    /// per fold of the array dimension that does not keep it (weight-stationary forms re-read
    /// inputs per column fold and partial sums per row fold; output-stationary re-read weights
    /// per pixel fold and inputs per filter fold; input-stationary re-read weights per pixel
    /// fold and partial sums per row fold), per group where groups run one after another.
    @inline(__always)
    static func bufferTraffic(_ l: ConvLayer, on a: ASICAccelerator, folds: (rows: Int, cols: Int)) -> TensorTraffic {
        let bytes = l.bytesPerElement
        let wElems = l.weightBytes / bytes, iElems = l.inputBytes / bytes, oElems = Double(l.outputElements)
        if l.isVector { return TensorTraffic(inputReads: iElems, weightReads: 0, outputWrites: oElems, partialSumReads: 0) }
        var wReads = 1.0, iReads = 1.0, pReads = 0.0
        switch a.dataflow {
        case .systolicWS, .nvdla:
            iReads = Double(folds.cols); pReads = Double(max(folds.rows - 1, 0))
        case .systolicOS, .shidiannao:
            wReads = Double(folds.rows); iReads = Double(folds.cols)
        case .systolicIS:
            wReads = Double(folds.cols); pReads = Double(max(folds.rows - 1, 0))
        case .eyeriss:
            // Row stationary keeps filter rows and input rows in the PEs' register files; weights
            // come once per pass over the output rows, inputs once per filter pass.
            wReads = Double(max(1, ceilDiv(l.outH * l.batch, max(1, a.processingElements / max(l.kernelH, 1)))))
            iReads = Double(max(1, ceilDiv(l.filters, max(1, a.processingElements / max(l.kernelH * l.outH, 1)))))
        }
        return TensorTraffic(inputReads: iElems * iReads, weightReads: wElems * wReads, outputWrites: oElems * (1 + pReads), partialSumReads: oElems * pReads)
    }

    /// A non-MAC layer's figures: its operations on the vector unit or the PE array; its input
    /// read from the global buffer once and its output written once (pooling windows reuse
    /// their inputs in the PEs' registers, as a row-stationary array does); operations priced at
    /// the node's add energy, each reading its operand from a register.
    static func vectorCost(_ l: ConvLayer, on a: ASICAccelerator, technology t: ASICTechnology, compute: Double, stall: Double,
                           bufferBytes: Double, dramBytes: Double, nocElements: Double) -> ASICLayerCost {
        let ops = Double(l.vectorOperations), bytes = l.bytesPerElement
        let rf = ops * bytes, noc = nocElements * bytes
        let x = t.accessEnergies, moved: Double = l.fusedIntoProducer ? 0 : 1
        return ASICLayerCost(
            computeCycles: compute, stallCycles: stall, utilization: 0,
            registerFileBytes: rf, nocBytes: noc, bufferBytes: bufferBytes, dramBytes: dramBytes,
            macPicojoules: ops * t.addPicojoules(l.dataType),
            registerFilePicojoules: rf * (x?.weightRegisterPerByte ?? t.registerFilePicojoulesPerByte * a.l1EnergyScale),
            nocPicojoules: x == nil ? noc * t.nocHopPicojoulesPerByte : 0,
            bufferPicojoules: moved * (x.map { (l.inputBytes + l.outputBytes) * ($0.sramReadPerByte + $0.sramWritePerByte) } ?? bufferBytes * t.sramPicojoulesPerByte(kib: a.bufferKiB)),
            dramPicojoules: moved * (x.map { l.inputBytes * $0.dramReadPerByte + l.outputBytes * $0.dramWritePerByte } ?? dramBytes * t.dramPicojoulesPerByte),
            buffer: TensorTraffic(inputReads: moved * l.inputBytes / bytes, weightReads: 0, outputWrites: moved * Double(l.outputElements), partialSumReads: 0),
            offChip: TensorTraffic(inputReads: moved * l.inputBytes / bytes, outputWrites: moved * Double(l.outputElements)))
    }

    /// Whether a PE's share of a layer's weights fits its L1: on the NVDLA-like array a PE holds
    /// one weight per kernel tap of every (C fold, K fold) of every group it serves; elsewhere the
    /// weights spread evenly over the PEs.
    @inline(__always)
    static func weightsFitL1(_ l: ConvLayer, on a: ASICAccelerator) -> Bool {
        let perPE: Double
        if a.dataflow == .nvdla {
            let g = l.groups
            perPE = Double(g * ceilDiv(l.channels / g, a.rows) * ceilDiv(l.filters / g, a.columns) * l.kernelH * l.kernelW) * l.bytesPerElement
        } else {
            perPE = l.weightBytes / Double(a.processingElements)
        }
        return perPE <= a.l1Bytes
    }

    /// Bytes the buffer must hold for one fold of the array: the stationary operand of every PE
    /// and a row of the streaming ones (int16 operands, 32-bit partial sums).
    public static func minimumTileBytes(_ d: ASICDataflow, rows r: Int, columns c: Int) -> Double {
        let pes = Double(r * c)
        switch d {
        case .systolicWS, .systolicIS, .nvdla: return pes * 2 + Double(r + c) * 2
        case .systolicOS, .shidiannao: return pes * 4 + Double(r + c) * 2
        case .eyeriss: return pes * 3 * 2
        }
    }

    /// Bytes a PE's L1 must hold: the stationary operand and the partial sum (32-bit) for the
    /// weight-, output- and input-stationary forms; a filter row, an input row window and a
    /// partial sum of a 3×3 kernel for the row-stationary one (int16 operands).
    public static func minimumL1Bytes(_ d: ASICDataflow) -> Double {
        switch d {
        case .eyeriss: return Double(3 * 2 + 3 * 2 + 4)
        default: return 2 + 4
        }
    }

    /// Area of one accelerator: its PEs (each with Eyeriss's 512-byte register file; a larger
    /// L1 adds SRAM area for the rest), its buffer, and its vector unit (a lane costs a tenth
    /// of a PE: an adder and a comparator without the multiplier, an assumption).
    public static func areaSquareMillimetres(_ a: ASICAccelerator, technology t: ASICTechnology) -> Double {
        let extraL1KiB = max(0, a.l1Bytes - 512) / 1024
        return Double(a.processingElements) * (t.peAreaSquareMillimetres + extraL1KiB * t.sramAreaPerKiBSquareMillimetres)
            + a.bufferKiB * t.sramAreaPerKiBSquareMillimetres + Double(a.vectorLanes) * t.peAreaSquareMillimetres / 10
    }

    /// A network's layers in order on one accelerator: cycles and energy summed.
    public static func network(_ layers: [ConvLayer], on a: ASICAccelerator, technology t: ASICTechnology) -> (cycles: Double, energyPicojoules: Double) {
        var cycles = 0.0, energy = 0.0
        for l in layers {
            let c = cost(l, on: a, technology: t)
            cycles += c.totalCycles
            energy += c.energyPicojoules
        }
        return (cycles, energy)
    }
}
