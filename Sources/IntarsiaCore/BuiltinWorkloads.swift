/// The workloads that ship with Intarsia. Shapes are those of the InTAR paper's kernels
/// (FCCM 2025, arXiv 2502.08807, and its public code), as summarised in docs/WORKLOADS.md.
public enum BuiltinWorkload: String, CaseIterable, Sendable {
    case selfAttention = "self-attention"
    case mlp
    case cnn4l = "cnn-4l"
    case vae
    case gating = "gating"
    case gpt2Block = "gpt2-medium-block"
    case gpt2Medium = "gpt2-medium"

    public static let acceptedNames = allCases.map(\.rawValue).joined(separator: ", ")

    /// Parameters each built-in accepts, with their defaults.
    public var parameters: [String: Int] {
        switch self {
        case .gpt2Block, .gpt2Medium: return ["sequence_length": 256]
        default: return [:]
        }
    }

    public func make(parameters: [String: Int] = [:], dataType: DataType? = nil) throws -> Workload {
        let p = self.parameters.merging(parameters) { _, new in new }
        switch self {
        case .selfAttention: return try Self.selfAttention(dataType ?? .int16)
        case .mlp: return try Self.mlp(dataType ?? .int16)
        case .cnn4l: return try Self.cnn4l(dataType ?? .int16)
        case .vae: return try Self.vae(dataType ?? .int16)
        case .gating: return try Self.gating(dataType ?? .int16)
        case .gpt2Block: return try Self.gpt2(sequenceLength: p["sequence_length"]!, blocks: 1, activations: dataType ?? .int8)
        case .gpt2Medium: return try Self.gpt2(sequenceLength: p["sequence_length"]!, blocks: 24, activations: dataType ?? .int8)
        }
    }

    /// Self-attention: 256 tokens, width 1024, one head of 1024. Q and the softmax output stream
    /// row by row; K and V are held whole by their consumers when produced alongside them, and
    /// stream against a complete Q (resp. softmax output) from an earlier stage (`either`).
    static func selfAttention(_ t: DataType) throws -> Workload {
        let l = 256, d = 1024
        return try Workload(name: "self-attention", tasks: [
            (Task(name: "q_proj", op: .matmul(m: l, k: d, n: d, weightsOffChip: true), dataType: t), [.init("input", .stream)]),
            (Task(name: "k_proj", op: .matmul(m: l, k: d, n: d, weightsOffChip: true), dataType: t), [.init("input", .stream)]),
            (Task(name: "v_proj", op: .matmul(m: l, k: d, n: d, weightsOffChip: true), dataType: t), [.init("input", .stream)]),
            (Task(name: "qk", op: .matmul(m: l, k: d, n: l, weightsOffChip: false), dataType: t), [.init("q_proj", .stream), .init("k_proj", .either)]),
            (Task(name: "softmax", op: .softmax(rows: l, cols: l), dataType: t), [.init("qk", .stream)]),
            (Task(name: "sv", op: .matmul(m: l, k: l, n: d, weightsOffChip: false), dataType: t), [.init("softmax", .stream), .init("v_proj", .either)]),
        ])
    }

    /// MLP, batch 1: 256 → 1024 → 2048 → 256 with ReLU after each layer. Each layer is a set of
    /// dot products over the whole previous vector, so it waits for that vector (barrier).
    static func mlp(_ t: DataType) throws -> Workload {
        try Workload(name: "mlp", tasks: [
            (Task(name: "fc1", op: .matmul(m: 1, k: 256, n: 1024, weightsOffChip: true), dataType: t), [.init("input", .stream)]),
            (Task(name: "relu1", op: .activation(elements: 1024, kind: "relu"), dataType: t), [.init("fc1", .stream)]),
            (Task(name: "fc2", op: .matmul(m: 1, k: 1024, n: 2048, weightsOffChip: true), dataType: t), [.init("relu1", .barrier)]),
            (Task(name: "relu2", op: .activation(elements: 2048, kind: "relu"), dataType: t), [.init("fc2", .stream)]),
            (Task(name: "fc3", op: .matmul(m: 1, k: 2048, n: 256, weightsOffChip: true), dataType: t), [.init("relu2", .barrier)]),
            (Task(name: "relu3", op: .activation(elements: 256, kind: "relu"), dataType: t), [.init("fc3", .stream)]),
        ])
    }

    /// CNN-4L: one channel, 224×224, 3×3 same-padded convolutions with line buffers, so every
    /// edge streams row by row. Intermediates 98 KB, 392 KB, 1.53 MB, 392 KB, 98 KB (int16).
    static func cnn4l(_ t: DataType) throws -> Workload {
        func conv(_ n: String, _ hw: Int) -> Task {
            Task(name: n, op: .conv2d(batch: 1, channels: 1, height: hw, width: hw, filters: 1, kernelH: 3, kernelW: 3, stride: 1, padding: 1), dataType: t)
        }
        func act(_ n: String, _ e: Int) -> Task { Task(name: n, op: .activation(elements: e, kind: "relu"), dataType: t) }
        return try Workload(name: "cnn-4l", tasks: [
            (conv("conv1", 224), [.init("input", .stream)]),
            (act("relu1", 224 * 224), [.init("conv1", .stream)]),
            (Task(name: "up1", op: .upsample(channels: 1, height: 224, width: 224, factor: 2), dataType: t), [.init("relu1", .stream)]),
            (conv("conv2", 448), [.init("up1", .stream)]),
            (act("relu2", 448 * 448), [.init("conv2", .stream)]),
            (Task(name: "up2", op: .upsample(channels: 1, height: 448, width: 448, factor: 2), dataType: t), [.init("relu2", .stream)]),
            (conv("conv3", 896), [.init("up2", .stream)]),
            (Task(name: "pool3", op: .pool(channels: 1, height: 896, width: 896, window: 2), dataType: t), [.init("conv3", .stream)]),
            (act("relu3", 448 * 448), [.init("pool3", .stream)]),
            (conv("conv4", 448), [.init("relu3", .stream)]),
            (act("relu4", 448 * 448), [.init("conv4", .stream)]),
            (Task(name: "pool4", op: .pool(channels: 1, height: 448, width: 448, window: 2), dataType: t), [.init("relu4", .stream)]),
        ])
    }

    /// VAE: 2×28×28 in; conv 8×8 (2→2) → 21×21, conv 4×4 (2→2) → 18×18 (mean and log-variance,
    /// 324 each); reparameterisation; transposed conv 8×8 (1→2) → 25×25; transposed conv 4×4
    /// (2→2) → 28×28; ReLU. The reparameterisation needs both latent channels whole (barrier).
    static func vae(_ t: DataType) throws -> Workload {
        try Workload(name: "vae", tasks: [
            (Task(name: "enc1", op: .conv2d(batch: 1, channels: 2, height: 28, width: 28, filters: 2, kernelH: 8, kernelW: 8, stride: 1, padding: 0), dataType: t), [.init("input", .stream)]),
            (Task(name: "enc1_relu", op: .activation(elements: 2 * 21 * 21, kind: "relu"), dataType: t), [.init("enc1", .stream)]),
            (Task(name: "enc2", op: .conv2d(batch: 1, channels: 2, height: 21, width: 21, filters: 2, kernelH: 4, kernelW: 4, stride: 1, padding: 0), dataType: t), [.init("enc1_relu", .stream)]),
            (Task(name: "enc2_relu", op: .activation(elements: 2 * 18 * 18, kind: "relu"), dataType: t), [.init("enc2", .stream)]),
            (Task(name: "reparam", op: .elementwise(elements: 18 * 18, kind: "reparameterise"), dataType: t), [.init("enc2_relu", .barrier)]),
            (Task(name: "dec1", op: .transposedConv2d(batch: 1, channels: 1, height: 18, width: 18, filters: 2, kernelH: 8, kernelW: 8, stride: 1, padding: 0), dataType: t), [.init("reparam", .stream)]),
            (Task(name: "dec2", op: .transposedConv2d(batch: 1, channels: 2, height: 25, width: 25, filters: 2, kernelH: 4, kernelW: 4, stride: 1, padding: 0), dataType: t), [.init("dec1", .stream)]),
            (Task(name: "dec2_relu", op: .activation(elements: 2 * 28 * 28, kind: "relu"), dataType: t), [.init("dec2", .stream)]),
        ])
    }

    /// Gated FFN (LLaMA-7B style), batch 32: up = SiLU(X·W_up), gate = X·W_gate,
    /// combined = up + gate, out = combined·W_down. Weights 4096×11008 each; the down
    /// projection accumulates an outer product over combined's columns as they stream.
    static func gating(_ t: DataType) throws -> Workload {
        let b = 32, d = 4096, h = 11008
        return try Workload(name: "gating", tasks: [
            (Task(name: "up", op: .matmul(m: b, k: d, n: h, weightsOffChip: true), dataType: t), [.init("input", .stream)]),
            (Task(name: "silu", op: .activation(elements: b * h, kind: "silu"), dataType: t), [.init("up", .stream)]),
            (Task(name: "gate", op: .matmul(m: b, k: d, n: h, weightsOffChip: true), dataType: t), [.init("input", .stream)]),
            (Task(name: "add", op: .elementwise(elements: b * h, kind: "add"), dataType: t), [.init("silu", .stream), .init("gate", .stream)]),
            (Task(name: "down", op: .matmul(m: b, k: h, n: d, weightsOffChip: true), dataType: t), [.init("add", .stream)]),
        ])
    }

    /// One GPT-2 medium transformer block (d_model 1024, 16 heads of 64, FFN 4096), prefill of
    /// `sequenceLength` tokens, W4A8. The 16 heads are batched into one task per step
    /// (same MACs and bytes); the causal mask is not exploited (all L×L scores are computed).
    static func gpt2(sequenceLength l: Int, blocks: Int, activations a: DataType) throws -> Workload {
        let d = 1024, heads = 16, dh = 64, ffn = 4096
        func proj(_ n: String, _ k: Int, _ cols: Int) -> Task {
            Task(name: n, op: .matmul(m: l, k: k, n: cols, weightsOffChip: true), dataType: a, weightDataType: .int4)
        }
        return try Workload(name: blocks == 1 ? "gpt2-medium-block-L\(l)" : "gpt2-medium-L\(l)", tasks: [
            (proj("q_proj", d, d), [.init("input", .stream)]),
            (proj("k_proj", d, d), [.init("input", .stream)]),
            (proj("v_proj", d, d), [.init("input", .stream)]),
            (Task(name: "qk", op: .matmul(m: l, k: dh, n: heads * l, weightsOffChip: false), dataType: a), [.init("q_proj", .stream), .init("k_proj", .either)]),
            (Task(name: "softmax", op: .softmax(rows: heads * l, cols: l), dataType: a), [.init("qk", .stream)]),
            (Task(name: "sv", op: .matmul(m: l, k: l, n: heads * dh, weightsOffChip: false), dataType: a), [.init("softmax", .stream), .init("v_proj", .either)]),
            (proj("o_proj", d, d), [.init("sv", .stream)]),
            (Task(name: "residual1", op: .elementwise(elements: l * d, kind: "add"), dataType: a), [.init("o_proj", .stream), .init("input", .stream)]),
            (Task(name: "ln1", op: .layerNorm(rows: l, cols: d), dataType: a), [.init("residual1", .stream)]),
            (proj("ffn1", d, ffn), [.init("ln1", .stream)]),
            (Task(name: "gelu", op: .activation(elements: l * ffn, kind: "gelu"), dataType: a), [.init("ffn1", .stream)]),
            (proj("ffn2", ffn, d), [.init("gelu", .stream)]),
            (Task(name: "residual2", op: .elementwise(elements: l * d, kind: "add"), dataType: a), [.init("ffn2", .stream), .init("ln1", .stream)]),
            (Task(name: "ln2", op: .layerNorm(rows: l, cols: d), dataType: a), [.init("residual2", .stream)]),
        ], repetitions: blocks)
    }
}
