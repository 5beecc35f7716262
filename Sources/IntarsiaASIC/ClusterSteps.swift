/// The NVDLA-like and ShiDianNao-like arrays as two-level machines of clusters of PEs, walked one
/// step at a time: global buffer (L2) → NoC → clusters → the same NoC → PEs. The mechanism is
/// MAESTRO's (Kwon et al., MICRO 2019; its cost model at commit 4eb08d17, read in
/// `DFA_cluster-analysis.hpp`, `DFA_iteration-analysis.hpp`, `CA_cost-analysis-engine.hpp`,
/// `CA_reuse-analysis.hpp` and `AHW_noc-model.hpp`; validation/peers/maestro-README.md) for the
/// two mappings of docs/ASIC.md, restated as closed forms:
///
/// - each step the NoC carries the step's *new* input and weight elements to the clusters (an
///   element several clusters need is sent once) and its outputs back; n elements take
///   ⌈n / bandwidth⌉ cycles;
/// - in a step every PE makes one (partial) output: R·S MACs, after its cluster's NoC has handed
///   it its operand window (R·S inputs, and the R·S weights); PEs keep no second window, so that
///   delivery is not overlapped with their MACs;
/// - consecutive steps overlap their transfers with the clusters' work (double-buffered global
///   buffer): a step lasts the longest of the clusters' time, the inflow and the outflow; the
///   very first step has nothing to overlap with;
/// - a partial last temporal tile moves a full tile (as NVDLA pads channels to its atomic-C);
/// - global-buffer reads of a tensor are its inflow summed over steps, output writes the outflow.
///
/// Not modelled (MAESTRO quirks, docs/ASIC.md lists their effect): the inflated outputs and MACs
/// of the output-stationary mapping at stride 2, the dropped edge cluster of a partly filled
/// spatial fold, the missing re-send of inputs after an output-channel change, and the per-step
/// refill of the global buffer from DRAM (Intarsia's memory styles model off-chip time).
enum ClusterSteps {
    struct Result {
        var cycles: Int
        var inputReads: Int
        var weightReads: Int
        var outputWrites: Int
    }

    @inline(__always)
    static func cdiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }

    /// ⌈n / bandwidth⌉ cycles on the NoC; 0 at an unbounded NoC.
    @inline(__always)
    static func transfer(_ n: Int, _ bw: Int) -> Int { bw == 0 || n == 0 ? 0 : (n + bw - 1) / bw }

    /// The on-chip network in elements a cycle (0: unbounded): one network shared by every
    /// tensor class, and optionally a network of its own for inputs, weights or outputs
    /// (Eyeriss has separate ones for input activations, filters and partial sums). A transfer
    /// in one direction takes the longest of its classes' networks, the classes sharing the
    /// common one adding up there.
    struct NoC {
        var shared = 0
        var input: Int? = nil
        var weight: Int? = nil
        var output: Int? = nil

        init(_ a: ASICAccelerator) {
            func lanes(_ x: Double) -> Int { x.isFinite ? max(1, Int(x.rounded(.down))) : 0 }
            shared = lanes(a.nocElementsPerCycle)
            input = a.nocInputElementsPerCycle.map(lanes)
            weight = a.nocWeightElementsPerCycle.map(lanes)
            output = a.nocOutputElementsPerCycle.map(lanes)
        }

        init(unbounded: ()) {}

        @inline(__always)
        func time(inputs: Int = 0, weights: Int = 0, outputs: Int = 0) -> Int {
            var onShared = 0, t = 0
            if let b = input { t = max(t, transfer(inputs, b)) } else { onShared += inputs }
            if let b = weight { t = max(t, transfer(weights, b)) } else { onShared += weights }
            if let b = output { t = max(t, transfer(outputs, b)) } else { onShared += outputs }
            return max(t, transfer(onShared, shared))
        }
    }

    /// (count, size) of `n` items in tiles of `tile`: the full tiles and the last one.
    @inline(__always)
    static func split(_ n: Int, _ tile: Int) -> ((Int, Int), (Int, Int)) {
        let t = cdiv(n, tile)
        return ((t - 1, tile), (1, n - (t - 1) * tile))
    }

    /// NVDLA-like weight stationary: K over `clusters` (one output channel each), C over the
    /// `clusterSize` PEs of a cluster (one input channel each). Loop order, outer to inner:
    /// K fold, C tile, output row, output column; a step is one output position. `bw` 0: an
    /// unbounded NoC. One group's layer (C, K of the group).
    static func weightStationary(k: Int, c: Int, r: Int, s: Int, p: Int, q: Int, stride st: Int,
                                 clusterSize cs: Int, clusters nc: Int, noc: NoC) -> Result {
        let rs = r * s, ux = min(s, st), uy = min(r, st)
        let gk = cdiv(k, nc), tc = cdiv(c, cs)
        let ct = min(cs, c)          // channels a C tile moves (a partial last tile moves cs)
        let ce = tc * ct
        let k0 = min(nc, k)
        let weights = k * ce * rs
        let outputs = k * tc * p * q
        let inputs: Int, rowIn: Int
        if q > 1 {
            inputs = gk * ce * p * r * (s + (q - 1) * ux)
            rowIn = ct * rs
        } else {
            inputs = gk * ce * s * (r + (p - 1) * uy)
            rowIn = ct * uy * s
        }
        let tIn = rs + noc.time(inputs: ct * rs, weights: ct * rs)
        func folds(_ folds: Int, _ active: Int) -> Int {
            guard folds > 0 else { return 0 }
            let out = noc.time(outputs: active)
            let column = max(tIn, noc.time(inputs: ct * r * ux), out)
            let row = max(tIn, noc.time(inputs: rowIn), out)
            let tileStart = max(tIn, noc.time(inputs: ct * rs, weights: active * ct * rs), out)
            return folds * tc * (p * (q - 1) * column + (p - 1) * row + tileStart)
        }
        let (full, last) = split(k, nc)
        var cycles = folds(full.0, full.1) + folds(last.0, last.1)
        let first = noc.time(inputs: ct * rs, weights: k0 * ct * rs)
        cycles += tIn + first - max(tIn, first, noc.time(outputs: k0))
        return Result(cycles: cycles, inputReads: inputs, weightReads: weights, outputWrites: outputs)
    }

    /// ShiDianNao-like output stationary: output rows over `clusters`, a tile of output columns
    /// over the `clusterSize` PEs of a cluster (the tile spans `clusterSize` input columns, so
    /// ⌊(clusterSize − 1 + stride) / stride⌋ outputs). Loop order, outer to inner: output channel,
    /// input channel, row fold, column tile; a step is one (k, c) pair on a tile. `channels` is
    /// one group's (each output channel reduces its own group).
    static func outputStationary(k: Int, channels c: Int, r: Int, s: Int, p: Int, q: Int, stride st: Int,
                                 clusterSize cl: Int, clusters nc: Int, noc: NoC) -> Result {
        let rs = r * s
        let w = (cl - 1 + st) / st
        let ux = min(s, st), uy = min(r, st)
        let xNew = w * ux
        let f = cdiv(p, nc), t = cdiv(q, w)
        let q0 = min(w, q)
        let wf = q0 * ux + max(s - st, 0)
        let n1 = min(nc, p)
        let pLast = p - (f - 1) * nc, qLast = q - (t - 1) * w
        func shared(_ n: Int) -> Int { (r + (n - 1) * uy) * wf }
        func foldStart(_ n: Int) -> Int { t > 1 ? n * r * wf : shared(n) }
        let kc = k * c
        let weights = kc * rs
        let outputs = kc * p * q
        var perKC = p * r * (t - 1) * xNew
        if f > 1 { perKC += (f - 2) * foldStart(nc) + foldStart(pLast) }
        let inputs = kc * perKC + (kc - 1) * shared(n1) + n1 * r * wf
        let pes = t > 1 ? w : q0
        let tIn = rs + noc.time(inputs: pes * rs, weights: rs)
        func step(_ n: Int, _ outs: Int, _ inflow: Int, weights: Int = 0) -> Int {
            max(tIn, noc.time(inputs: inflow, weights: weights), noc.time(outputs: n * outs))
        }
        var cycles = 0
        if t > 1 {
            func columnTiles(_ folds: Int, _ active: Int) -> Int {
                folds > 0 ? kc * folds * ((t - 2) * step(active, w, active * r * xNew) + step(active, qLast, active * r * xNew)) : 0
            }
            let (full, last) = split(p, nc)
            cycles += columnTiles(full.0, full.1) + columnTiles(last.0, last.1)
        }
        if f > 1 { cycles += kc * ((f - 2) * step(nc, q0, foldStart(nc)) + step(pLast, q0, foldStart(pLast))) }
        cycles += (kc - 1) * step(n1, q0, shared(n1), weights: rs)
        cycles += tIn + noc.time(inputs: n1 * r * wf, weights: rs)
        return Result(cycles: cycles, inputReads: inputs, weightReads: weights, outputWrites: outputs)
    }

    /// Whether a dataflow's layers are walked step by step here (the others bound their NoC time
    /// by the layer's traffic).
    static func walks(_ d: ASICDataflow) -> Bool { d.stepWalk != .none }

    /// A layer on an accelerator whose dataflow walks (`stepWalk`: NVDLA-like channel clusters,
    /// ShiDianNao-like output-tile clusters): the step walk at the accelerator's NoC bandwidth,
    /// per image of the batch, and for channel clusters per group (the groups run one after
    /// another; docs/ASIC.md). Nil for a dataflow that does not walk.
    static func layer(_ l: ConvLayer, on a: ASICAccelerator) -> Result? {
        let noc = NoC(a)
        let g = l.groups
        var r: Result
        switch a.dataflow.stepWalk {
        case .channelClusters:
            r = weightStationary(k: l.filters / g, c: l.channels / g, r: l.kernelH, s: l.kernelW, p: l.outH, q: l.outW, stride: l.stride,
                                 clusterSize: a.rows, clusters: a.columns, noc: noc)
            r = Result(cycles: r.cycles * g, inputReads: r.inputReads * g, weightReads: r.weightReads * g, outputWrites: r.outputWrites * g)
        case .outputTileClusters:
            r = outputStationary(k: l.filters, channels: l.channels / g, r: l.kernelH, s: l.kernelW, p: l.outH, q: l.outW, stride: l.stride,
                                 clusterSize: a.columns, clusters: a.rows, noc: noc)
        case .none:
            return nil
        }
        let b = l.batch
        return Result(cycles: r.cycles * b, inputReads: r.inputReads * b, weightReads: r.weightReads * b, outputWrites: r.outputWrites * b)
    }
}
