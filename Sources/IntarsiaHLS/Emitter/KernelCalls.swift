import IntarsiaFPGA

/// C++ fragments shared by the three templates: number-format typedefs, per-module config
/// structs and calls of the module library on arrays.
enum KernelCalls {
    /// `cfg_<task>`: the step's loop bounds and the model's decisions, as compile-time constants.
    static func configStruct(_ d: HLSDesign, _ i: Int) -> String {
        let s = d.program.steps[i]
        let n = sanitize(s.name)
        var f = HLSProgram.bounds(s.kind)
        if case let .activation(_, fn) = s.kind { f.append(("FUNCTION", activationCode(fn))) }
        f += [("LANES", d.unroll[i]), ("ACC_W", max(1, s.accumulatorBits)), ("SHIFT", s.requantizeShift), ("STAGE", d.stage[i])]
        f += s.inputElements.enumerated().map { ("IN\($0.offset)_ELEMS", $0.element) }
        if s.hasWeights { f += [("W_ELEMS", s.weightElements), ("W_TERMS", weightTerms(s)), ("WEIGHT_LOAD", weightLoadCode(d.point.weightLoad))] }
        f.append(("OUT_ELEMS", s.outputElements))
        var out = "// \(s.name): \(describe(s)); \(d.lanes[i]) lane(s) in the model"
        if s.isMAC { out += ", accumulator \(s.accumulatorBits) bits, output = saturate(round_half_up(acc >> \(s.requantizeShift)))" }
        out += "\nstruct cfg_\(n) {\n"
        for (k, v) in f { out += "    static const int \(k) = \(v);\n" }
        if s.hasWeights { out += "    typedef \(s.weightFormat.cppType) w_t;\n" }
        return out + "};\n"
    }

    /// Weights one output column (GEMM) or one filter (convolutions) reads: the local weight
    /// buffer's size.
    static func weightTerms(_ s: HLSProgram.Step) -> Int {
        switch s.kind {
        case let .gemm(_, k, _, _, _): return k
        case let .conv2d(_, c, _, _, _, r, q, _, _, g), let .transposedConv2d(_, c, _, _, _, r, q, _, _, g): return c / g * r * q
        default: return 0
        }
    }

    /// `intarsia::weight_load` of the design's weight_load knob.
    static func weightLoadCode(_ w: WeightLoad) -> Int {
        switch w {
        case .doubleBuffered: return 0
        case .buffered: return 1
        case .blocking: return 2
        }
    }

    static func activationCode(_ f: HLSProgram.Activation) -> Int {
        switch f {
        case .relu: return 0
        case .silu: return 1
        case .gelu: return 2
        case .sigmoid: return 3
        case .exp: return 4
        }
    }

    static func describe(_ s: HLSProgram.Step) -> String {
        switch s.kind {
        case let .gemm(m, k, n, h, tb): return "gemm \(m)x\(k)x\(n)" + (h > 1 ? ", \(h) heads" : "") + (tb ? ", B transposed" : "") + (s.hasWeights ? ", off-chip weights" : "")
        case let .conv2d(_, c, h, w, kf, r, q, st, p, g): return "conv2d \(c)x\(h)x\(w) -> \(kf) filters \(r)x\(q), stride \(st), pad \(p)" + (g > 1 ? ", \(g) groups" : "")
        case let .transposedConv2d(_, c, h, w, kf, r, q, st, p, g): return "transposed conv2d \(c)x\(h)x\(w) -> \(kf) filters \(r)x\(q), stride \(st), pad \(p)" + (g > 1 ? ", \(g) groups" : "")
        case let .maxPool(c, h, w, win): return "max pool \(c)x\(h)x\(w), window \(win)"
        case let .avgPool(c, h, w, win): return "average pool \(c)x\(h)x\(w), window \(win)"
        case let .upsample(c, h, w, f): return "nearest up-sampling \(c)x\(h)x\(w) by \(f)"
        case let .softmax(r, c): return "softmax over \(r) rows of \(c)"
        case let .layerNorm(r, c): return "layer norm over \(r) rows of \(c)"
        case let .add(e): return "add, \(e) elements"
        case let .multiply(e): return "multiply, \(e) elements"
        case let .reparameterise(e): return "reparameterise, \(e) elements"
        case let .activation(e, f): return "\(f.rawValue), \(e) elements"
        }
    }

    /// The largest row a softmax or layer norm reads (bounds the row buffers).
    static func maxCols(_ p: HLSProgram) -> Int {
        p.steps.reduce(1) { m, s in
            switch s.kind {
            case let .softmax(_, c), let .layerNorm(_, c): return max(m, c)
            default: return m
            }
        }
    }

    /// A call of the step's module on arrays: `ins` are the activation operands, `w` the weights.
    static func call(_ d: HLSDesign, _ i: Int, ins: [String], w: String?, out: String) -> String {
        let s = d.program.steps[i]
        let c = "cfg_\(sanitize(s.name))"
        let t = "act_t"
        switch s.kind {
        case .gemm:
            if s.hasWeights {
                return "intarsia::gemm_weights<\(c)::LANES, \(c)::ACC_W, \(c)::W_TERMS, \(c)::WEIGHT_LOAD>(\(ins[0]), \(w ?? ""), \(out), \(c)::M, \(c)::K, \(c)::N, \(c)::SHIFT);"
            }
            return "intarsia::gemm<\(c)::LANES, \(c)::ACC_W>(\(ins[0]), \(ins[1]), \(out), \(c)::M, \(c)::K, \(c)::N, \(c)::HEADS, \(c)::TRANSPOSE_B != 0, \(c)::SHIFT);"
        case .conv2d, .transposedConv2d:
            let fn: String
            if case .conv2d = s.kind { fn = "conv2d" } else { fn = "transposed_conv2d" }
            return "intarsia::\(fn)<\(c)::LANES, \(c)::ACC_W, \(c)::W_TERMS>(\(ins[0]), \(w ?? ""), \(out), \(c)::BATCH, \(c)::CHANNELS, \(c)::HEIGHT, \(c)::WIDTH, \(c)::FILTERS, \(c)::KERNEL_H, \(c)::KERNEL_W, \(c)::STRIDE, \(c)::PADDING, \(c)::GROUPS, \(c)::SHIFT);"
        case .maxPool: return "intarsia::max_pool<\(t)>(\(ins[0]), \(out), \(c)::CHANNELS, \(c)::HEIGHT, \(c)::WIDTH, \(c)::WINDOW);"
        case .avgPool: return "intarsia::avg_pool<\(t)>(\(ins[0]), \(out), \(c)::CHANNELS, \(c)::HEIGHT, \(c)::WIDTH, \(c)::WINDOW);"
        case .upsample: return "intarsia::upsample<\(t)>(\(ins[0]), \(out), \(c)::CHANNELS, \(c)::HEIGHT, \(c)::WIDTH, \(c)::FACTOR);"
        case .softmax: return "intarsia::softmax<MAX_ROW, \(t)>(\(ins[0]), \(out), \(c)::ROWS, \(c)::COLS);"
        case .layerNorm: return "intarsia::layernorm<MAX_ROW, \(t)>(\(ins[0]), \(out), \(c)::ROWS, \(c)::COLS);"
        case .add: return "intarsia::add_tensors<\(t)>(\(ins[0]), \(ins[1]), \(out), \(c)::ELEMENTS);"
        case .multiply: return "intarsia::mul_tensors<\(t)>(\(ins[0]), \(ins[1]), \(out), \(c)::ELEMENTS);"
        case .reparameterise: return "intarsia::reparameterise_tensor<\(t)>(\(ins[0]), \(out), \(c)::ELEMENTS);"
        case .activation: return "intarsia::activation<\(t)>(\(ins[0]), \(out), \(c)::ELEMENTS, \(c)::FUNCTION);"
        }
    }

    /// `#pragma HLS` lines for a local buffer: partitioned cyclically by the unroll factor along
    /// its only dimension, bound to the model's storage.
    static func bufferPragmas(_ name: String, partition: Int, storage: HLSDesign.Storage, indent: String) -> String {
        var s = ""
        if partition > 1 { s += "\(indent)#pragma HLS ARRAY_PARTITION variable=\(name) cyclic factor=\(partition) dim=1\n" }
        s += "\(indent)#pragma HLS BIND_STORAGE variable=\(name) type=ram_2p impl=\(storage.pragmaImpl)\n"
        return s
    }
}
