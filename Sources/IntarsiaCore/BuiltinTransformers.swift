/// The transformer built-ins (GPT-2 medium, BERT-base).
extension BuiltinWorkload {
    /// One GPT-2 medium transformer block (d_model 1024, 16 heads of 64, FFN 4096), prefill of
    /// `sequenceLength` tokens, W4A8. The 16 heads are batched into one task per step
    /// (same MACs and bytes); the causal mask is not exploited (all L×L scores are computed).
    static func gpt2(sequenceLength l: Int, blocks: Int, activations a: DataType, divisor: Int = 1) throws -> Workload {
        let heads = 16, dh = reduced(64, divisor), d = heads * dh, ffn = 4 * d
        func proj(_ n: String, _ k: Int, _ cols: Int) -> Task {
            Task(name: n, op: .matmul(m: l, k: k, n: cols, weightsOffChip: true), dataType: a, weightDataType: .int4)
        }
        return try Workload(name: blocks == 1 ? "gpt2-medium-block-L\(l)" : "gpt2-medium-L\(l)", tasks: [
            (proj("q_proj", d, d), [.init("input", .stream)]),
            (proj("k_proj", d, d), [.init("input", .stream)]),
            (proj("v_proj", d, d), [.init("input", .stream)]),
            (Task(name: "qk", op: .matmul(m: l, k: dh, n: heads * l, weightsOffChip: false), dataType: a, heads: heads, transposeB: true), [.init("q_proj", .stream), .init("k_proj", .either)]),
            (Task(name: "softmax", op: .softmax(rows: heads * l, cols: l), dataType: a), [.init("qk", .stream)]),
            (Task(name: "sv", op: .matmul(m: l, k: l, n: heads * dh, weightsOffChip: false), dataType: a, heads: heads), [.init("softmax", .stream), .init("v_proj", .either)]),
        ] + encoderTail(attention: [.init("sv", .stream)], tokens: l, width: d, ffn: ffn, a, proj), repetitions: blocks)
    }

    /// `w`'s repetitions as tasks of their own, copy `b` named `b<b>.<task>`, each copy's
    /// `input` the previous copy's `output` task.
    static func unrolled(_ w: Workload, input: String, output: String) throws -> Workload {
        var list: [(Task, [Workload.Input])] = []
        for b in 0..<w.repetitions {
            for (i, t) in w.tasks.enumerated() {
                var copy = t
                copy.name = "b\(b).\(t.name)"
                let inputs = w.operands[i].map { o -> Workload.Input in
                    guard o != Workload.graphInput else { return Workload.Input(b == 0 ? input : "b\(b - 1).\(output)", .stream) }
                    let kind = w.edges.first { $0.producer == o && $0.consumer == i }!.kind
                    return Workload.Input("b\(b).\(w.tasks[o].name)", kind)
                }
                list.append((copy, inputs))
            }
        }
        return try Workload(name: w.name + "-unrolled", tasks: list, repetitions: 1)
    }

    /// A BERT-base encoder layer (Devlin et al. 2019, arXiv 1810.04805, §3: L=12 layers as
    /// `repetitions`, H=768, A=12 heads of 64, feed-forward 4H = 3072), `sequenceLength` tokens,
    /// int8, layer norm after each residual as in the paper. Unlike `gpt2`, each head is a chain of tasks of its own
    /// (`qk<h>` → `softmax<h>` → `sv<h>`, reading its 64 columns of the shared Q, K and V
    /// projections), so that a schedule may run heads in any grouping; edge kinds mirror `gpt2`.
    static func bertBase(sequenceLength l: Int, activations a: DataType) throws -> Workload {
        let heads = 12, dh = 64, d = heads * dh, ffn = 4 * d
        func proj(_ n: String, _ k: Int, _ cols: Int) -> Task {
            Task(name: n, op: .matmul(m: l, k: k, n: cols, weightsOffChip: true), dataType: a)
        }
        var list: [(Task, [Workload.Input])] = [
            (proj("q_proj", d, d), [.init("input", .stream)]),
            (proj("k_proj", d, d), [.init("input", .stream)]),
            (proj("v_proj", d, d), [.init("input", .stream)]),
        ]
        for h in 0..<heads {
            list.append((Task(name: "qk\(h)", op: .matmul(m: l, k: dh, n: l, weightsOffChip: false), dataType: a, heads: 1, transposeB: true),
                         [.init("q_proj", .stream), .init("k_proj", .either)]))
            list.append((Task(name: "softmax\(h)", op: .softmax(rows: l, cols: l), dataType: a), [.init("qk\(h)", .stream)]))
            list.append((Task(name: "sv\(h)", op: .matmul(m: l, k: l, n: dh, weightsOffChip: false), dataType: a, heads: 1),
                         [.init("softmax\(h)", .stream), .init("v_proj", .either)]))
        }
        list += encoderTail(attention: (0..<heads).map { .init("sv\($0)", .stream) }, tokens: l, width: d, ffn: ffn, a, proj)
        return try Workload(name: "bert-base-L\(l)", tasks: list, repetitions: 12)
    }

    /// What follows the attention in a transformer block: the output projection of the heads'
    /// results (`attention`), residual and layer norm, the feed-forward pair with GELU, residual
    /// and layer norm; `proj` makes a weight-stationary projection.
    static func encoderTail(attention: [Workload.Input], tokens l: Int, width d: Int, ffn: Int, _ a: DataType,
                            _ proj: (String, Int, Int) -> Task) -> [(Task, [Workload.Input])] {
        [
            (proj("o_proj", d, d), attention),
            (Task(name: "residual1", op: .elementwise(elements: l * d, kind: "add"), dataType: a), [.init("o_proj", .stream), .init("input", .stream)]),
            (Task(name: "ln1", op: .layerNorm(rows: l, cols: d), dataType: a), [.init("residual1", .stream)]),
            (proj("ffn1", d, ffn), [.init("ln1", .stream)]),
            (Task(name: "gelu", op: .activation(elements: l * ffn, kind: "gelu"), dataType: a), [.init("ffn1", .stream)]),
            (proj("ffn2", ffn, d), [.init("gelu", .stream)]),
            (Task(name: "residual2", op: .elementwise(elements: l * d, kind: "add"), dataType: a), [.init("ffn2", .stream), .init("ln1", .stream)]),
            (Task(name: "ln2", op: .layerNorm(rows: l, cols: d), dataType: a), [.init("residual2", .stream)]),
        ]
    }
}
