import IntarsiaFPGA

/// The sequential and reconfigurable templates: a static instruction list (stage, unit, loop
/// bounds, operand sources and destinations) run by compute units whose role switches per
/// instruction inside one function body. Sequential: one unit with every lane, one task per
/// stage. Reconfigurable: the model's units and stages (InTAR's schedule). Tensors live in the
/// on-chip scratchpad or, when the model spills them, in the off-chip activation buffer.
enum ProgramEmitter {
    enum Opcode: String, CaseIterable {
        case gemmWeights = "OP_GEMM_W", gemmActivations = "OP_GEMM_A", conv = "OP_CONV", transposedConv = "OP_TCONV"
        case pool = "OP_POOL", upsample = "OP_UPSAMPLE", softmax = "OP_SOFTMAX", layerNorm = "OP_LAYERNORM"
        case add = "OP_ADD", multiply = "OP_MUL", reparameterise = "OP_REPARAM", activation = "OP_ACT"
        case avgPool = "OP_AVGPOOL"
    }

    struct Instruction {
        var step: Int
        var opcode: Opcode
        var stage: Int
        var unit: Int
        var bounds: [Int]
        var shift: Int
        var function: Int
        var sources: [(location: HLSDesign.Location, offset: Int)]
        var weightOffset: Int
        var destination: (location: HLSDesign.Location, offset: Int)
        /// Elements of the A operand, the B operand and the output staged through a unit's local
        /// buffer (`staging`); 0 where the loop nest reads or writes in place.
        var staged: (a: Int, b: Int, y: Int) = (0, 0, 0)
    }

    static func opcode(_ s: HLSProgram.Step) -> (Opcode, [Int], Int) {
        let op: Opcode
        var function = 0
        switch s.kind {
        case .gemm: op = s.hasWeights ? .gemmWeights : .gemmActivations
        case .conv2d: op = .conv
        case .transposedConv2d: op = .transposedConv
        case .maxPool: op = .pool
        case .avgPool: op = .avgPool
        case .upsample: op = .upsample
        case .softmax: op = .softmax
        case .layerNorm: op = .layerNorm
        case .add: op = .add
        case .multiply: op = .multiply
        case .reparameterise: op = .reparameterise
        case let .activation(_, f):
            op = .activation
            function = KernelCalls.activationCode(f)
        }
        return (op, HLSProgram.bounds(s.kind).map(\.1), function)
    }

    /// The instruction list in execution order (by stage, then task order), with units dealt
    /// within each stage: MAC tasks first, one per unit, then special functions round-robin.
    static func instructions(_ d: HLSDesign) -> (list: [Instruction], units: Int) {
        let p = d.program
        let units = d.programUnits
        var list: [Instruction] = []
        for stage in 0..<d.stageCount {
            let members = p.steps.indices.filter { d.stage[$0] == stage }
            var next = 0
            var unitOf: [Int: Int] = [:]
            for i in members where p.steps[i].isMAC {
                unitOf[i] = next % units
                next += 1
            }
            for i in members where !p.steps[i].isMAC {
                unitOf[i] = next % units
                next += 1
            }
            for i in members {
                let s = p.steps[i]
                let (op, bounds, fn) = opcode(s)
                let sources: [(HLSDesign.Location, Int)] = s.inputs.map {
                    switch $0 {
                    case .graphInput, .weights: return (.offChip, 0)
                    case .task(let q): return (d.location[q], d.offset[q])
                    }
                }
                list.append(Instruction(step: i, opcode: op, stage: stage, unit: unitOf[i]!, bounds: bounds, shift: s.requantizeShift,
                                        function: fn, sources: sources, weightOffset: d.weightOffset[i],
                                        destination: (d.location[i], d.offset[i]),
                                        staged: staging(s, sources: sources.map(\.0), destination: d.location[i])))
            }
        }
        return (list, units)
    }

    /// What a MAC instruction stages through local buffers, so that each off-chip tensor crosses
    /// the port once, in bursts, as the model reads it: an off-chip A operand the loop nest would
    /// read once per output column (a product of several rows, a convolution of several filters,
    /// a transposed convolution) is read first into a buffer; so is an off-chip B operand of a
    /// product of several rows; an off-chip output (which the loop nest writes column by column)
    /// is computed into a buffer and written after. A one-row product still reads its A row from
    /// the port once per column (the row shares the port word with the column's weights).
    static func staging(_ s: HLSProgram.Step, sources: [HLSDesign.Location], destination: HLSDesign.Location) -> (a: Int, b: Int, y: Int) {
        let rereadA: Bool
        var rereadB = false
        switch s.kind {
        case let .gemm(m, _, _, _, _):
            rereadA = m > 1
            rereadB = m > 1 && !s.hasWeights
        case let .conv2d(_, _, _, _, kf, _, _, _, _, _): rereadA = kf > 1
        case .transposedConv2d: rereadA = true
        default: return (0, 0, 0)
        }
        let a = rereadA && sources.first == .offChip ? s.inputElements[0] : 0
        let b = rereadB && sources.count > 1 && sources[1] == .offChip ? s.inputElements[1] : 0
        var y = destination == .offChip ? s.outputElements : 0
        if case .transposedConv2d = s.kind { y = 0 }  // its store loop writes in bursts already
        return (a, b, y)
    }

    /// The largest staging of each kind over the program (0: the kind is never staged).
    static func stagingSizes(_ list: [Instruction]) -> (a: Int, b: Int, y: Int) {
        list.reduce((0, 0, 0)) { (max($0.0, $1.staged.a), max($0.1, $1.staged.b), max($0.2, $1.staged.y)) }
    }

    /// The compute unit's operand pointers, through its staging buffers where the instruction
    /// says so (`staging`): a copy at the port's width (`copy_lanes<PORT_ELEMS>`) before the
    /// operator, and after it for the output.
    static func unitOperands(_ sizes: (a: Int, b: Int, y: Int)) -> (head: String, tail: String) {
        var h = ""
        for (name, size, loc, off) in [("a", sizes.a, "src0_loc", "src0_off"), ("b", sizes.b, "src1_loc", "src1_off"), ("y", sizes.y, "dst_loc", "dst_off")] {
            h += "    act_t* \(name)_mem = (ins.\(loc) == LOC_OFF_CHIP ? dram : scratch) + ins.\(off);\n"
            guard size > 0 else {
                h += "    act_t* \(name) = \(name)_mem;\n"
                continue
            }
            h += "    static act_t \(name)_stage[MAX_STAGE_\(name.uppercased())];\n"
            h += "#pragma HLS ARRAY_PARTITION variable=\(name)_stage cyclic factor=PORT_ELEMS dim=1\n"
            if name != "y" {
                h += "    if (ins.stage_\(name) > 0) intarsia::copy_lanes<PORT_ELEMS, act_t>(\(name)_mem, \(name)_stage, ins.stage_\(name));\n"
            }
            h += "    act_t* \(name) = ins.stage_\(name) > 0 ? \(name)_stage : \(name)_mem;\n"
        }
        let tail = sizes.y > 0 ? "    if (ins.stage_y > 0) intarsia::copy_lanes<PORT_ELEMS, act_t>(y_stage, y_mem, ins.stage_y);\n" : ""
        return (h, tail)
    }

    /// Lanes of each unit: the widest unroll among its instructions.
    static func unitLanes(_ d: HLSDesign, _ list: [Instruction], units: Int) -> [Int] {
        var lanes = [Int](repeating: 1, count: units)
        for ins in list { lanes[ins.unit] = max(lanes[ins.unit], d.unroll[ins.step]) }
        return lanes
    }

    /// The special-function unit's elements per cycle, as the model's `CycleEnvironment` sets
    /// it: `ModelConstants.sfuWidth` of the design's lanes and the largest 1 / reduction length
    /// over the MAC tasks.
    static func sfuLanes(_ d: HLSDesign) -> Int {
        let perLane = d.program.steps.filter(\.isMAC).map { s -> Double in
            switch s.kind {
            case let .gemm(_, k, _, _, _): return 1 / Double(max(1, k))
            default: return 1 / Double(max(1, KernelCalls.weightTerms(s)))
            }
        }.max() ?? 0
        return Int(ModelConstants.sfuWidth(lanes: d.point.lanes, outputsPerLane: perLane))
    }

    /// Output elements of the program's largest transposed convolution (0 without one).
    static func transposedOutputs(_ p: HLSProgram) -> Int {
        p.steps.map { s -> Int in
            if case .transposedConv2d = s.kind { return s.outputElements }
            return 0
        }.max() ?? 0
    }

    static func top(_ d: HLSDesign, intro: String) -> String {
        let p = d.program
        let (list, units) = instructions(d)
        let lanes = unitLanes(d, list, units: units)
        let used = Set(list.map(\.opcode))
        var s = intro
        s += "#include \"top.h\"\n#include \"modules.h\"\n\n"
        s += "enum opcode { \(Opcode.allCases.enumerated().map { "\($0.element.rawValue) = \($0.offset)" }.joined(separator: ", ")) };\n"
        s += "enum location { LOC_ON_CHIP = 0, LOC_OFF_CHIP = 1 };\n\n"
        s += "// One instruction: what a unit computes in a stage. d[] holds the loop bounds (gemm: m k n heads\n"
        s += "// transpose_b; conv: batch channels height width filters kernel_h kernel_w stride padding groups; pool:\n"
        s += "// channels height width window; up-sampling: channels height width factor; softmax / layer norm:\n"
        s += "// rows cols; element-wise: elements).\n"
        s += "struct instr_t {\n    int op, stage, unit;\n    int d[10];\n    int shift, function;\n"
        s += "    int src0_loc, src0_off, src1_loc, src1_off, w_off, dst_loc, dst_off;\n"
        s += "    int stage_a, stage_b, stage_y;  // elements staged through the unit's buffers (0: in place)\n};\n\n"
        s += "static const int PROGRAM_LENGTH = \(list.count);\n"
        s += "static const instr_t PROGRAM[PROGRAM_LENGTH] = {\n"
        func loc(_ l: HLSDesign.Location) -> String { l == .onChip ? "LOC_ON_CHIP" : "LOC_OFF_CHIP" }
        for ins in list {
            let b = ins.bounds + [Int](repeating: 0, count: 10 - ins.bounds.count)
            let s0 = ins.sources.first ?? (.onChip, 0)
            let s1 = ins.sources.count > 1 ? ins.sources[1] : (.onChip, 0)
            s += "    {\(ins.opcode.rawValue), \(ins.stage), \(ins.unit), {\(b.map(String.init).joined(separator: ", "))}, \(ins.shift), \(ins.function), "
            s += "\(loc(s0.location)), \(s0.offset), \(loc(s1.location)), \(s1.offset), \(ins.weightOffset), \(loc(ins.destination.location)), \(ins.destination.offset), "
            s += "\(ins.staged.a), \(ins.staged.b), \(ins.staged.y)},"
            s += "  // \(p.steps[ins.step].name)\n"
        }
        s += "};\n\n"
        s += "// Elements a cycle of the special-function unit (the model's sfuWidth: the lanes times the largest\n"
        s += "// 1 / reduction length of a MAC task, at least 16).\n"
        s += "static const int SFU_LANES = \(sfuLanes(d));\n"
        if used.contains(.transposedConv) {
            s += "// Outputs of the largest transposed convolution: its col2im accumulators (transposed_conv2d_scatter).\n"
            s += "static const int MAX_TCONV_OUT = \(transposedOutputs(d.program));\n"
        }
        let sizes = stagingSizes(list)
        if sizes.a + sizes.b + sizes.y > 0 {
            s += "// Staging buffers (elements) and the activations one m_axi word carries (word_bits / act bits).\n"
            s += "static const int PORT_ELEMS = \(max(1, d.point.wordBits / max(1, d.program.activationFormat.bits)));\n"
            for (k, v) in [("A", sizes.a), ("B", sizes.b), ("Y", sizes.y)] where v > 0 { s += "static const int MAX_STAGE_\(k) = \(v);\n" }
        }
        s += "static const int UNIT_LANES[\(units)] = {\(lanes.map(String.init).joined(separator: ", "))};\n\n"
        s += "// A compute unit: one instance per U; its operands come from the scratchpad or the off-chip\n"
        s += "// activation buffer as the instruction says, its weights from the weight buffer.\n"
        s += "template <int U, int LANES>\n"
        s += "static void compute_unit(const instr_t& ins, act_t* scratch, act_t* dram, const w_t* weights) {\n#pragma HLS INLINE off\n"
        let operands = unitOperands(sizes)
        s += operands.head
        s += "    const w_t* w = weights + ins.w_off;\n"
        s += "    const int* d = ins.d;\n    (void)a; (void)b; (void)w;  // not every opcode reads every operand\n"
        s += "    switch (ins.op) {\n"
        let cases: [(Opcode, String)] = [
            (.gemmWeights, "intarsia::gemm_weights<LANES, ACC_W, MAX_WTERMS, WEIGHT_LOAD>(a, w, y, d[0], d[1], d[2], ins.shift);"),
            (.gemmActivations, "intarsia::gemm<LANES, ACC_W>(a, b, y, d[0], d[1], d[2], d[3], d[4] != 0, ins.shift);"),
            (.conv, "intarsia::conv2d<LANES, ACC_W, MAX_WTERMS>(a, w, y, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], ins.shift);"),
            (.transposedConv, "intarsia::transposed_conv2d_scatter<LANES, SFU_LANES, ACC_W, MAX_WTERMS, MAX_TCONV_OUT>(a, w, y, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], ins.shift);"),
            (.pool, "intarsia::pool_lanes<SFU_LANES, false, act_t>(a, y, d[0], d[1], d[2], d[3]);"),
            (.avgPool, "intarsia::pool_lanes<SFU_LANES, true, act_t>(a, y, d[0], d[1], d[2], d[3]);"),
            (.upsample, "intarsia::upsample_lanes<SFU_LANES, act_t>(a, y, d[0], d[1], d[2], d[3]);"),
            (.softmax, "intarsia::softmax_lanes<SFU_LANES, act_t>(a, y, d[0], d[1]);"),
            (.layerNorm, "intarsia::layernorm_lanes<SFU_LANES, act_t>(a, y, d[0], d[1]);"),
            (.add, "intarsia::add_lanes<SFU_LANES, act_t>(a, b, y, d[0]);"),
            (.multiply, "intarsia::mul_lanes<SFU_LANES, act_t>(a, b, y, d[0]);"),
            (.reparameterise, "intarsia::reparameterise_lanes<SFU_LANES, act_t>(a, y, d[0]);"),
            (.activation, "intarsia::activation_lanes<SFU_LANES, act_t>(a, y, d[0], ins.function);"),
        ]
        for (op, call) in cases where used.contains(op) { s += "    case \(op.rawValue): \(call) break;\n" }
        s += "    default: break;\n    }\n" + operands.tail + "}\n\n"
        s += "extern \"C\" void \(d.topName)(act_t* dram, const w_t* weights) {\n"
        s += "#pragma HLS INTERFACE m_axi port=dram offset=slave bundle=gmem0 depth=\(d.dramElements)\n"
        s += "#pragma HLS INTERFACE m_axi port=weights offset=slave bundle=\(max(1, d.platform.mainMemory.channels) > 1 ? "gmem1" : "gmem0") depth=\(d.weightElements)\n"
        s += "#pragma HLS INTERFACE s_axilite port=return\n"
        s += "    static act_t scratch[SCRATCH_ELEMS];  // \(d.point.scratchpadKiB) KiB scratchpad in the model\n"
        s += KernelCalls.bufferPragmas("scratch", partition: lanes.max() ?? 1, storage: d.scratchStorage, indent: "")
        s += "program:\n    for (int p = 0; p < PROGRAM_LENGTH; ++p) {\n        const instr_t& ins = PROGRAM[p];\n        switch (ins.unit) {\n"
        for u in 0..<units { s += "        case \(u): compute_unit<\(u), \(lanes[u])>(ins, scratch, dram, weights); break;\n" }
        s += "        default: break;\n        }\n    }\n}\n"
        return s
    }
}
