import Foundation
import IntarsiaCore

extension ASICModel {
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
        // Dataflows with a step walk (NVDLA- and ShiDianNao-like arrays): the walk of
        // `ClusterSteps` gives the buffer traffic and the time the NoC adds (operand windows delivered to the PEs each step).
        var traffic: TensorTraffic
        var nocSteps = 0.0
        if l.isVector || a.dataflow.stepWalk == .none {
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
        let nocCycles = interconnectCycles(l, on: a, traffic: traffic)
        var stall = memoryStall(l, on: a, compute: compute, folds: folds, nocCycles: nocCycles, dram: &dram, offChip: &offChip)
        stall += nocSteps
        if l.isVector { return vectorCost(l, on: a, technology: t, compute: compute, stall: stall, bufferBytes: bufferBytes, dramBytes: dram, nocElements: nocElements) }
        if let x = t.accessEnergies {
            return accessPricedCost(l, on: a, technology: t, energies: x, compute: compute, stall: stall, folds: folds, traffic: traffic,
                                    inputRereads: iReads, weightRereads: wReads)
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

    /// Cycles the on-chip interconnect needs for the arrays without a step walk, and for non-MAC
    /// layers (0 at an unbounded NoC).
    static func interconnectCycles(_ l: ConvLayer, on a: ASICAccelerator, traffic: TensorTraffic) -> Double {
        if a.hasBoundedNoC && !ClusterSteps.walks(a.dataflow) && !l.isVector {
            let noc = ClusterSteps.NoC(a)
            func n(_ x: Double) -> Int { Int(min(x, 9e15).rounded(.up)) }
            return Double(max(noc.time(inputs: n(traffic.inputReads), weights: n(traffic.weightReads), outputs: n(traffic.partialSumReads)),
                              noc.time(outputs: n(traffic.outputWrites))))
        } else if a.hasBoundedNoC && l.isVector {
            let noc = ClusterSteps.NoC(a)
            return Double(max(noc.time(inputs: Int(traffic.inputReads)), noc.time(outputs: Int(traffic.outputWrites))))
        }
        return 0
    }

    /// Cycles the memory system adds beyond compute, by the accelerator's memory model; the
    /// SCALE-Sim models replace the off-chip traffic (`dram`, `offChip`) with their own.
    static func memoryStall(_ l: ConvLayer, on a: ASICAccelerator, compute: Double, folds: (rows: Int, cols: Int), nocCycles: Double,
                            dram: inout Double, offChip: inout TensorTraffic) -> Double {
        let bytes = l.bytesPerElement, w = l.weightBytes, o = l.outputBytes, g = Double(l.groups)
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
        return stall
    }

    /// A layer's cost on a technology that prices each access of a peer's hierarchy.
    static func accessPricedCost(_ l: ConvLayer, on a: ASICAccelerator, technology t: ASICTechnology, energies x: ASICTechnology.AccessEnergies,
                                 compute: Double, stall: Double, folds: (rows: Int, cols: Int), traffic: TensorTraffic,
                                 inputRereads iReads: Double, weightRereads wReads: Double) -> ASICLayerCost {
        let macs = Double(l.macs), bytes = l.bytesPerElement, g = Double(l.groups)
        let w = l.weightBytes, i = l.inputBytes, o = l.outputBytes
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
        if a.dataflow.sramAccess == .im2colPerTap {
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
