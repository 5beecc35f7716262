import IntarsiaFPGA

/// The dataflow template's task bodies: for each task, the buffers it declares and the code that
/// streams through them, from one plan so that the declarations and their account
/// (`HLSDesign.emittedBuffers`) cannot differ.
///
/// Streaming orders (every stream carries its tensor in row-major order):
/// - matrix-vector products (one row, off-chip weights): dot products over the input held whole
///   (`matvec: dot`), or outer-product accumulation over the input as it streams when the model
///   accumulates (`OnChipBuffer.Role.accumulators`); outputs leave one by one;
/// - products with an activation B: B held whole, A streamed row by row, C written row by row;
/// - single-channel, single-filter direct convolutions: a line buffer of the kernel's rows;
/// - max pooling: one output row of running maxima; average pooling: one output row of running
///   sums (as wide as a window's exact sum); up-sampling: one input row;
/// - element-wise functions element by element, softmax and layer norm row by row;
/// - products of several rows with off-chip weights: from a column-order stream, outer-product
///   accumulation over A's columns as they arrive; else A held whole, each weight column read
///   once and reduced against every row; C written column by column where every reader takes
///   that order, else in row order (held whole) (`DataflowHeldBuffers`, which the model charges);
/// - multi-channel and transposed convolutions and the reparameterisation read their operands
///   whole and write their output whole (the model charges both: `DataflowHeldBuffers`).
enum DataflowTasks {
    struct Plan {
        var buffers: [EmittedBuffer] = []
        var code = ""
    }

    static func plan(_ d: HLSDesign, _ i: Int) -> Plan {
        let s = d.program.steps[i]
        let c = "cfg_\(sanitize(s.name))"
        let a = d.program.activationFormat.bits
        let uram = d.platform.uram > d.platform.shell.uram
        var plan = Plan()
        func local(_ name: String, bits: Int = a, type: String = "act_t", _ elements: Int, partition: Int = 1) {
            let b = EmittedBuffer(task: s.name, name: name, place: .topFunction, cppType: type, elementBits: bits, elements: elements, uramAvailable: uram)
            plan.buffers.append(b)
            plan.code += b.declaration(partition: partition)
        }
        func module(_ name: String, bits: Int, type: String, _ elements: Int) {
            plan.buffers.append(EmittedBuffer(task: s.name, name: name, place: .module, cppType: type, elementBits: bits, elements: elements, uramAvailable: uram))
        }
        let w = s.weightFormat.bits
        switch s.kind {
        case .activation: plan.code = "    intarsia::activation_stream<act_t>(in0, out, \(c)::ELEMENTS, \(c)::FUNCTION);\n"
        case .add: plan.code = "    intarsia::add_stream<act_t>(in0, in1, out, \(c)::ELEMENTS);\n"
        case .multiply: plan.code = "    intarsia::mul_stream<act_t>(in0, in1, out, \(c)::ELEMENTS);\n"
        case let .softmax(_, cols), let .layerNorm(_, cols):
            let fn: String
            if case .softmax = s.kind { fn = "softmax" } else { fn = "layernorm" }
            // The row buffer and the row function's two raw rows (long long: intarsia_math.h).
            module("\(fn)_stream.row", bits: a, type: "act_t", cols)
            module("\(fn).in", bits: 64, type: "long long", cols)
            module("\(fn).out", bits: 64, type: "long long", cols)
            plan.code = "    intarsia::\(fn)_stream<\(c)::COLS, act_t>(in0, out, \(c)::ROWS, \(c)::COLS);\n"
        case let .gemm(m, k, n, heads, _) where s.hasWeights && m == 1 && heads == 1:
            if d.accumulates(i) {
                let lanes = max(1, min(d.lanes[i], n))
                local("acc", bits: s.accumulatorBits, type: "ap_int<\(c)::ACC_W>", n, partition: lanes)
                plan.code += "    intarsia::gemv_outer_stream<\(lanes), \(c)::ACC_W>(in0, acc, w, out, \(c)::K, \(c)::N, \(c)::SHIFT);\n"
            } else {
                local("x", k, partition: d.unroll[i])
                plan.code += "    intarsia::gemv_dot_stream<\(c)::LANES, \(c)::ACC_W>(in0, x, w, out, \(c)::K, \(c)::N, \(c)::SHIFT);\n"
            }
        case .gemm where s.hasWeights:
            let code = severalRows(d, i, local: { local($0, bits: $1, type: $2, $3, partition: $4) }, module: { module($0, bits: $1, type: $2, $3) })
            plan.code += code
        case let .gemm(_, k, n, heads, _) where !s.hasWeights:
            local("a_row", heads * k, partition: d.unroll[i])
            local("b_all", k * n, partition: d.unroll[i])
            plan.code += "    intarsia::gemm_rows_stream<\(c)::LANES, \(c)::ACC_W>(in0, in1, a_row, b_all, out, \(c)::M, \(c)::K, \(c)::N, \(c)::HEADS, \(c)::TRANSPOSE_B != 0, \(c)::SHIFT);\n"
        case let .conv2d(_, 1, _, wd, 1, r, q, _, _, _):
            local("lines", r * wd, partition: d.unroll[i])
            local("filt", bits: w, type: "\(c)::w_t", r * q, partition: d.unroll[i])
            plan.code += "    intarsia::conv2d_line_stream<\(c)::LANES, \(c)::ACC_W>(in0, lines, w, filt, out, \(c)::BATCH, \(c)::HEIGHT, \(c)::WIDTH, \(c)::KERNEL_H, \(c)::KERNEL_W, \(c)::STRIDE, \(c)::PADDING, \(c)::SHIFT);\n"
        case let .maxPool(_, _, wd, win):
            local("best", max(1, wd / win))
            plan.code += "    intarsia::max_pool_stream<act_t>(in0, best, out, \(c)::CHANNELS, \(c)::HEIGHT, \(c)::WIDTH, \(c)::WINDOW);\n"
        case let .avgPool(_, _, wd, win):
            // The running sums: the activation width plus the bits a sum of win² terms adds.
            let sumBits = a + ceilLog2(win * win)
            local("sums", bits: sumBits, type: "ap_int<\(sumBits)>", max(1, wd / win))
            plan.code += "    intarsia::avg_pool_stream<act_t>(in0, sums, out, \(c)::CHANNELS, \(c)::HEIGHT, \(c)::WIDTH, \(c)::WINDOW);\n"
        case let .upsample(_, _, wd, _):
            local("row", wd)
            plan.code += "    intarsia::upsample_stream<act_t>(in0, row, out, \(c)::CHANNELS, \(c)::HEIGHT, \(c)::WIDTH, \(c)::FACTOR);\n"
        default:
            let code = wholeOperands(d, i, local: { local($0, $1, partition: $2) })
            plan.code += code
            switch s.kind {
            case .gemm where d.point.weightLoad != .blocking: module("gemm_weights.col", bits: w, type: "\(c)::w_t", 2 * KernelCalls.weightTerms(s))
            case .conv2d, .transposedConv2d: module("convolution.filt", bits: w, type: "\(c)::w_t", KernelCalls.weightTerms(s))
            default: break
            }
        }
        return plan
    }

    /// A product of several rows with off-chip weights: from a column-order stream, outer-product
    /// accumulation over A's columns as they arrive; else A held whole, each weight column read
    /// once and reduced against every row, C written column by column where every reader takes
    /// that order (`DataflowHeldBuffers.columnRows`), else held whole and written in row order.
    /// `local` and `module` declare a buffer (name, bits, C++ type, elements[, partition]).
    static func severalRows(_ d: HLSDesign, _ i: Int, local: (String, Int, String, Int, Int) -> Void,
                            module: (String, Int, String, Int) -> Void) -> String {
        let s = d.program.steps[i]
        let c = "cfg_\(sanitize(s.name))"
        let a = d.program.activationFormat.bits, w = s.weightFormat.bits
        guard case let .gemm(m, k, n, _, _) = s.kind else { return "" }
        if d.columnsIn(i) {
            let lanes = max(1, min(d.lanes[i], n))
            local("acc", s.accumulatorBits, "ap_int<\(c)::ACC_W>", m * n, lanes)
            local("w_row", w, "\(c)::w_t", n, lanes)
            return "    intarsia::gemm_outer_cols_stream<\(lanes), \(c)::ACC_W>(in0, acc, w, w_row, out, \(c)::M, \(c)::K, \(c)::N, \(c)::SHIFT, \(d.columnRows[i] > 0));\n"
        }
        local("in0_buf", a, "act_t", m * k, d.unroll[i])
        let toColumns = d.columnRows[i] > 0
        if !toColumns { local("out_buf", a, "act_t", s.outputElements, 1) }
        if d.point.weightLoad != .blocking { module("gemm_weights.col", w, "\(c)::w_t", 2 * k) }
        var code = "    intarsia::read_whole<act_t>(in0, in0_buf, \(c)::IN0_ELEMS);\n"
        if toColumns {
            return code + "    intarsia::gemm_cols_stream<\(c)::LANES, \(c)::ACC_W, \(c)::W_TERMS, \(c)::WEIGHT_LOAD>(in0_buf, w, out, \(c)::M, \(c)::K, \(c)::N, \(c)::SHIFT);\n"
        }
        code += "    " + KernelCalls.call(d, i, ins: ["in0_buf"], w: "w", out: "out_buf") + "\n"
        return code + "    intarsia::write_whole<act_t>(out_buf, out, \(c)::OUT_ELEMS);\n"
    }

    /// A task that reads its activation operands whole into local buffers, computes, and writes
    /// its output whole (weights read column by column, or filter by filter, from its m_axi port).
    static func wholeOperands(_ d: HLSDesign, _ i: Int, local: (String, Int, Int) -> Void) -> String {
        let s = d.program.steps[i]
        let c = "cfg_\(sanitize(s.name))"
        var ins: [String] = []
        for (k, n) in s.inputElements.enumerated() {
            local("in\(k)_buf", n, d.unroll[i])
            ins.append("in\(k)_buf")
        }
        local("out_buf", s.outputElements, 1)
        var code = ""
        for k in s.inputElements.indices { code += "    intarsia::read_whole<act_t>(in\(k), in\(k)_buf, \(c)::IN\(k)_ELEMS);\n" }
        code += "    " + KernelCalls.call(d, i, ins: ins, w: "w", out: "out_buf") + "\n"
        return code + "    intarsia::write_whole<act_t>(out_buf, out, \(c)::OUT_ELEMS);\n"
    }
}

extension HLSDesign {
    /// Whether step `i`'s activation operand arrives as a column-order stream.
    func columnsIn(_ i: Int) -> Bool {
        if case let .task(q)? = program.steps[i].inputs.first(where: { $0 != .weights }) { return columnRows[q] > 0 }
        return false
    }

    /// Whether the model accumulates task `i`'s output as an outer product over its streamed
    /// input (its buffers include accumulators).
    func accumulates(_ i: Int) -> Bool { modelTaskBuffers[i].contains { $0.role == .accumulators } }
}
