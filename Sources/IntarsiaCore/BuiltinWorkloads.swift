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
    case bertBase = "bert-base"
    case resnet18
    case vgg16
    case resnet20Cifar = "resnet20-cifar"
    case unet
    case mobilenetV2 = "mobilenetv2"
    case mobilenetV1 = "mobilenetv1"

    public static let acceptedNames = allCases.map(\.rawValue).joined(separator: ", ")

    /// Parameters each built-in accepts, with their defaults.
    public var parameters: [String: Int] {
        switch self {
        case .gpt2Block: return ["sequence_length": 256, "size_divisor": 1]
        case .gpt2Medium: return ["sequence_length": 256, "size_divisor": 1, "unrolled": 0]
        case .bertBase: return ["sequence_length": 128]
        case .selfAttention, .mlp, .cnn4l, .gating: return ["size_divisor": 1]
        default: return [:]
        }
    }

    public func make(parameters: [String: Int] = [:], dataType: DataType? = nil) throws -> Workload {
        let p = self.parameters.merging(parameters) { _, new in new }
        let div = max(1, p["size_divisor"] ?? 1)
        var w: Workload
        switch self {
        case .selfAttention: w = try Self.selfAttention(dataType ?? .int16, divisor: div)
        case .mlp: w = try Self.mlp(dataType ?? .int16, divisor: div)
        case .cnn4l: w = try Self.cnn4l(dataType ?? .int16, divisor: div)
        case .vae: w = try Self.vae(dataType ?? .int16)
        case .gating: w = try Self.gating(dataType ?? .int16, divisor: div)
        case .gpt2Block: w = try Self.gpt2(sequenceLength: p["sequence_length"]!, blocks: 1, activations: dataType ?? .int8, divisor: div)
        case .gpt2Medium:
            w = try Self.gpt2(sequenceLength: p["sequence_length"]!, blocks: 24, activations: dataType ?? .int8, divisor: div)
            // `unrolled: 1`: the 24 blocks as 336 tasks of their own (one repetition), so that a
            // schedule may differ from block to block and stages may span two blocks.
            if p["unrolled"] != 0 { w = try Self.unrolled(w, input: "input", output: "ln2") }
        case .bertBase: w = try Self.bertBase(sequenceLength: p["sequence_length"]!, activations: dataType ?? .int8)
        case .resnet18: return try Self.resnet18(dataType ?? .int8)
        case .vgg16: return try Self.vgg16(dataType ?? .int8)
        case .resnet20Cifar: return try Self.resnet20(dataType ?? .int8)
        case .unet: return try Self.unet(dataType ?? .int8)
        case .mobilenetV2: return try Self.mobilenetV2(dataType ?? .int8)
        case .mobilenetV1: return try Self.mobilenetV1(dataType ?? .int8)
        }
        if div > 1 { w.name += "-div\(div)" }
        return w
    }

    /// A size constant of a built-in divided by `size_divisor` (reduced sizes for C simulation;
    /// the default 1 gives the published shapes), never below 1.
    static func reduced(_ size: Int, _ divisor: Int) -> Int { max(1, size / divisor) }

    /// Self-attention: 256 tokens, width 1024, one head of 1024. Q and the softmax output stream
    /// row by row; K and V are held whole by their consumers when produced alongside them, and
    /// stream against a complete Q (resp. softmax output) from an earlier stage (`either`).
    static func selfAttention(_ t: DataType, divisor: Int = 1) throws -> Workload {
        let l = reduced(256, divisor), d = reduced(1024, divisor)
        return try Workload(name: "self-attention", tasks: [
            (Task(name: "q_proj", op: .matmul(m: l, k: d, n: d, weightsOffChip: true), dataType: t), [.init("input", .stream)]),
            (Task(name: "k_proj", op: .matmul(m: l, k: d, n: d, weightsOffChip: true), dataType: t), [.init("input", .stream)]),
            (Task(name: "v_proj", op: .matmul(m: l, k: d, n: d, weightsOffChip: true), dataType: t), [.init("input", .stream)]),
            (Task(name: "qk", op: .matmul(m: l, k: d, n: l, weightsOffChip: false), dataType: t, transposeB: true), [.init("q_proj", .stream), .init("k_proj", .either)]),
            (Task(name: "softmax", op: .softmax(rows: l, cols: l), dataType: t), [.init("qk", .stream)]),
            (Task(name: "sv", op: .matmul(m: l, k: l, n: d, weightsOffChip: false), dataType: t), [.init("softmax", .stream), .init("v_proj", .either)]),
        ])
    }

    /// MLP, batch 1: 256 → 1024 → 2048 → 256 with ReLU after each layer. Each layer is a set of
    /// dot products over the whole previous vector, so it waits for that vector (barrier).
    static func mlp(_ t: DataType, divisor: Int = 1) throws -> Workload {
        let a = reduced(256, divisor), b = reduced(1024, divisor), c = reduced(2048, divisor)
        return try Workload(name: "mlp", tasks: [
            (Task(name: "fc1", op: .matmul(m: 1, k: a, n: b, weightsOffChip: true), dataType: t), [.init("input", .stream)]),
            (Task(name: "relu1", op: .activation(elements: b, kind: "relu"), dataType: t), [.init("fc1", .stream)]),
            (Task(name: "fc2", op: .matmul(m: 1, k: b, n: c, weightsOffChip: true), dataType: t), [.init("relu1", .barrier)]),
            (Task(name: "relu2", op: .activation(elements: c, kind: "relu"), dataType: t), [.init("fc2", .stream)]),
            (Task(name: "fc3", op: .matmul(m: 1, k: c, n: a, weightsOffChip: true), dataType: t), [.init("relu2", .barrier)]),
            (Task(name: "relu3", op: .activation(elements: a, kind: "relu"), dataType: t), [.init("fc3", .stream)]),
        ])
    }

    /// CNN-4L: one channel, 224×224, 3×3 same-padded convolutions with line buffers, so every
    /// edge streams row by row. Intermediates 98 KB, 392 KB, 1.53 MB, 392 KB, 98 KB (int16).
    static func cnn4l(_ t: DataType, divisor: Int = 1) throws -> Workload {
        let s1 = reduced(224, divisor), s2 = 2 * s1, s3 = 4 * s1
        func conv(_ n: String, _ hw: Int) -> Task {
            Task(name: n, op: .conv2d(batch: 1, channels: 1, height: hw, width: hw, filters: 1, kernelH: 3, kernelW: 3, stride: 1, padding: 1), dataType: t)
        }
        func act(_ n: String, _ e: Int) -> Task { Task(name: n, op: .activation(elements: e, kind: "relu"), dataType: t) }
        return try Workload(name: "cnn-4l", tasks: [
            (conv("conv1", s1), [.init("input", .stream)]),
            (act("relu1", s1 * s1), [.init("conv1", .stream)]),
            (Task(name: "up1", op: .upsample(channels: 1, height: s1, width: s1, factor: 2), dataType: t), [.init("relu1", .stream)]),
            (conv("conv2", s2), [.init("up1", .stream)]),
            (act("relu2", s2 * s2), [.init("conv2", .stream)]),
            (Task(name: "up2", op: .upsample(channels: 1, height: s2, width: s2, factor: 2), dataType: t), [.init("relu2", .stream)]),
            (conv("conv3", s3), [.init("up2", .stream)]),
            (Task(name: "pool3", op: .pool(channels: 1, height: s3, width: s3, window: 2), dataType: t), [.init("conv3", .stream)]),
            (act("relu3", s2 * s2), [.init("pool3", .stream)]),
            (conv("conv4", s2), [.init("relu3", .stream)]),
            (act("relu4", s2 * s2), [.init("conv4", .stream)]),
            (Task(name: "pool4", op: .pool(channels: 1, height: s2, width: s2, window: 2), dataType: t), [.init("relu4", .stream)]),
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
    static func gating(_ t: DataType, divisor: Int = 1) throws -> Workload {
        let b = reduced(32, divisor), d = reduced(4096, divisor), h = reduced(11008, divisor)
        return try Workload(name: "gating", tasks: [
            (Task(name: "up", op: .matmul(m: b, k: d, n: h, weightsOffChip: true), dataType: t), [.init("input", .stream)]),
            (Task(name: "silu", op: .activation(elements: b * h, kind: "silu"), dataType: t), [.init("up", .stream)]),
            (Task(name: "gate", op: .matmul(m: b, k: d, n: h, weightsOffChip: true), dataType: t), [.init("input", .stream)]),
            (Task(name: "add", op: .elementwise(elements: b * h, kind: "add"), dataType: t), [.init("silu", .stream), .init("gate", .stream)]),
            (Task(name: "down", op: .matmul(m: b, k: h, n: d, weightsOffChip: true), dataType: t), [.init("add", .stream)]),
        ])
    }

    // MARK: CNNs for the ASIC templates (batch 1, batch norm folded into the convolutions)

    static func conv(_ n: String, _ c: Int, _ hw: Int, _ k: Int, _ r: Int, stride: Int = 1, _ t: DataType) -> Task {
        Task(name: n, op: .conv2d(batch: 1, channels: c, height: hw, width: hw, filters: k, kernelH: r, kernelW: r, stride: stride, padding: r / 2), dataType: t)
    }

    static func relu(_ n: String, _ e: Int, _ t: DataType) -> Task { Task(name: n, op: .activation(elements: e, kind: "relu"), dataType: t) }

    /// Residual stages of basic blocks (two 3×3 convolutions, a 1×1 stride-2 shortcut when the
    /// shape changes), as in ResNet-18 and ResNet-20.
    static func residualStages(_ list: inout [(Task, [Workload.Input])], from input: String, channels c0: Int, size s0: Int,
                               widths: [Int], blocks: Int, _ t: DataType) -> (String, Int, Int) {
        var x = input, c = c0, size = s0
        for (stage, k) in widths.enumerated() {
            for b in 0..<blocks {
                let stride = stage > 0 && b == 0 ? 2 : 1
                let inSize = size
                size = inSize / stride
                let n = "layer\(stage + 1).\(b)"
                list.append((conv(n + ".conv1", c, inSize, k, 3, stride: stride, t), [.init(x, .stream)]))
                list.append((relu(n + ".relu1", k * size * size, t), [.init(n + ".conv1", .stream)]))
                list.append((conv(n + ".conv2", k, size, k, 3, t), [.init(n + ".relu1", .stream)]))
                var shortcut = x
                if stride != 1 || c != k {
                    list.append((conv(n + ".downsample", c, inSize, k, 1, stride: stride, t), [.init(x, .stream)]))
                    shortcut = n + ".downsample"
                }
                list.append((Task(name: n + ".add", op: .elementwise(elements: k * size * size, kind: "add"), dataType: t),
                             [.init(n + ".conv2", .stream), .init(shortcut, .stream)]))
                list.append((relu(n + ".out", k * size * size, t), [.init(n + ".add", .stream)]))
                x = n + ".out"
                c = k
            }
        }
        return (x, c, size)
    }

    /// ResNet-18 on 224×224×3 (1.814 G MACs).
    static func resnet18(_ t: DataType) throws -> Workload {
        var l: [(Task, [Workload.Input])] = [
            (conv("conv1", 3, 224, 64, 7, stride: 2, t), [.init("input", .stream)]),
            (relu("relu1", 64 * 112 * 112, t), [.init("conv1", .stream)]),
            (Task(name: "maxpool", op: .pool(channels: 64, height: 112, width: 112, window: 2), dataType: t), [.init("relu1", .stream)]),
        ]
        let (x, c, size) = residualStages(&l, from: "maxpool", channels: 64, size: 56, widths: [64, 128, 256, 512], blocks: 2, t)
        l.append((Task(name: "avgpool", op: .pool(channels: c, height: size, width: size, window: size, kind: .average), dataType: t), [.init(x, .stream)]))
        l.append((Task(name: "fc", op: .matmul(m: 1, k: 512, n: 1000, weightsOffChip: true), dataType: t), [.init("avgpool", .barrier)]))
        return try Workload(name: "resnet18", tasks: l)
    }

    /// A 3×3 depthwise convolution (groups = channels, padding 1).
    static func depthwise(_ n: String, _ c: Int, _ hw: Int, stride: Int, _ t: DataType) -> Task {
        Task(name: n, op: .conv2d(batch: 1, channels: c, height: hw, width: hw, filters: c, kernelH: 3, kernelW: 3, stride: stride, padding: 1, groups: c), dataType: t)
    }

    /// ReLU6 as ONNX exports it (`Clip` to [0, 6]), so an imported and a built-in network agree.
    static func relu6(_ n: String, _ e: Int, _ t: DataType) -> Task { Task(name: n, op: .activation(elements: e, kind: "clip"), dataType: t) }

    /// MobileNetV2 as torchvision builds it (`mobilenet_v2`, width 1.0, 224×224×3; Sandler et al.,
    /// CVPR 2018, table 2): a 3×3 stride-2 stem of 32, inverted residual blocks (t, c, n, s) =
    /// (1,16,1,1) (6,24,2,2) (6,32,3,2) (6,64,4,2) (6,96,3,1) (6,160,3,2) (6,320,1,1), each a 1×1
    /// expansion to t·C with ReLU6 (absent when t = 1), a 3×3 depthwise convolution with ReLU6 and
    /// a linear 1×1 projection, with a residual add when the stride is 1 and the width stays; a
    /// 1×1 convolution to 1280, global average pooling and a 1280×1000 classifier (300.8 M MACs;
    /// batch norm folded into the convolutions, dropout omitted). Task names follow torchvision's
    /// module paths (`features.N`).
    static func mobilenetV2(_ t: DataType) throws -> Workload {
        var l: [(Task, [Workload.Input])] = [
            (conv("features.0.conv", 3, 224, 32, 3, stride: 2, t), [.init("input", .stream)]),
            (relu6("features.0.relu6", 32 * 112 * 112, t), [.init("features.0.conv", .stream)]),
        ]
        var x = "features.0.relu6", c = 32, size = 112, index = 1
        let settings = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
        for (expansion, width, repeats, firstStride) in settings {
            for r in 0..<repeats {
                let stride = r == 0 ? firstStride : 1
                let n = "features.\(index)", hidden = c * expansion, outSize = size / stride
                var y = x
                if expansion != 1 {
                    l.append((conv(n + ".expand", c, size, hidden, 1, t), [.init(y, .stream)]))
                    l.append((relu6(n + ".expand_relu6", hidden * size * size, t), [.init(n + ".expand", .stream)]))
                    y = n + ".expand_relu6"
                }
                l.append((depthwise(n + ".depthwise", hidden, size, stride: stride, t), [.init(y, .stream)]))
                l.append((relu6(n + ".depthwise_relu6", hidden * outSize * outSize, t), [.init(n + ".depthwise", .stream)]))
                l.append((conv(n + ".project", hidden, outSize, width, 1, t), [.init(n + ".depthwise_relu6", .stream)]))
                y = n + ".project"
                if stride == 1 && c == width {
                    l.append((Task(name: n + ".add", op: .elementwise(elements: width * outSize * outSize, kind: "add"), dataType: t),
                              [.init(y, .stream), .init(x, .stream)]))
                    y = n + ".add"
                }
                x = y
                c = width
                size = outSize
                index += 1
            }
        }
        l.append((conv("features.18.conv", c, size, 1280, 1, t), [.init(x, .stream)]))
        l.append((relu6("features.18.relu6", 1280 * size * size, t), [.init("features.18.conv", .stream)]))
        l.append((Task(name: "avgpool", op: .pool(channels: 1280, height: size, width: size, window: size, kind: .average), dataType: t), [.init("features.18.relu6", .stream)]))
        l.append((Task(name: "classifier", op: .matmul(m: 1, k: 1280, n: 1000, weightsOffChip: true), dataType: t), [.init("avgpool", .barrier)]))
        return try Workload(name: "mobilenetv2", tasks: l)
    }

    /// MobileNetV1 (Howard et al., 2017, table 1; width 1.0, 224×224×3): a 3×3 stride-2 stem of
    /// 32, thirteen depthwise-separable blocks (3×3 depthwise + ReLU, 1×1 pointwise + ReLU) to
    /// 1024 channels, global average pooling and a 1024×1000 classifier (568.7 M MACs; batch norm
    /// folded into the convolutions).
    static func mobilenetV1(_ t: DataType) throws -> Workload {
        var l: [(Task, [Workload.Input])] = [
            (conv("conv0", 3, 224, 32, 3, stride: 2, t), [.init("input", .stream)]),
            (relu("conv0.relu", 32 * 112 * 112, t), [.init("conv0", .stream)]),
        ]
        var x = "conv0.relu", c = 32, size = 112
        let blocks = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]
        for (i, (width, stride)) in blocks.enumerated() {
            let n = "block\(i + 1)", outSize = size / stride
            l.append((depthwise(n + ".depthwise", c, size, stride: stride, t), [.init(x, .stream)]))
            l.append((relu(n + ".depthwise_relu", c * outSize * outSize, t), [.init(n + ".depthwise", .stream)]))
            l.append((conv(n + ".pointwise", c, outSize, width, 1, t), [.init(n + ".depthwise_relu", .stream)]))
            l.append((relu(n + ".pointwise_relu", width * outSize * outSize, t), [.init(n + ".pointwise", .stream)]))
            x = n + ".pointwise_relu"
            c = width
            size = outSize
        }
        l.append((Task(name: "avgpool", op: .pool(channels: c, height: size, width: size, window: size, kind: .average), dataType: t), [.init(x, .stream)]))
        l.append((Task(name: "fc", op: .matmul(m: 1, k: c, n: 1000, weightsOffChip: true), dataType: t), [.init("avgpool", .barrier)]))
        return try Workload(name: "mobilenetv1", tasks: l)
    }

    /// VGG-16 on 224×224×3 (15.47 G MACs).
    static func vgg16(_ t: DataType) throws -> Workload {
        let plan: [[Int]] = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]]
        var l: [(Task, [Workload.Input])] = []
        var x = "input", c = 3, size = 224, k = 0
        for (b, widths) in plan.enumerated() {
            for w in widths {
                k += 1
                l.append((conv("conv\(k)", c, size, w, 3, t), [.init(x, .stream)]))
                l.append((relu("relu\(k)", w * size * size, t), [.init("conv\(k)", .stream)]))
                x = "relu\(k)"
                c = w
            }
            l.append((Task(name: "pool\(b + 1)", op: .pool(channels: c, height: size, width: size, window: 2), dataType: t), [.init(x, .stream)]))
            x = "pool\(b + 1)"
            size /= 2
        }
        l.append((Task(name: "fc1", op: .matmul(m: 1, k: 512 * 7 * 7, n: 4096, weightsOffChip: true), dataType: t), [.init(x, .barrier)]))
        l.append((relu("relu_fc1", 4096, t), [.init("fc1", .stream)]))
        l.append((Task(name: "fc2", op: .matmul(m: 1, k: 4096, n: 4096, weightsOffChip: true), dataType: t), [.init("relu_fc1", .barrier)]))
        l.append((relu("relu_fc2", 4096, t), [.init("fc2", .stream)]))
        l.append((Task(name: "fc3", op: .matmul(m: 1, k: 4096, n: 1000, weightsOffChip: true), dataType: t), [.init("relu_fc2", .barrier)]))
        return try Workload(name: "vgg16", tasks: l)
    }

    /// ResNet-20 for CIFAR-10 (32×32×3; 16, 32, 64 channels; He et al. 2016) with 1×1
    /// projection shortcuts: 40.8 M MACs (40.55 M with parameter-free shortcuts).
    static func resnet20(_ t: DataType) throws -> Workload {
        var l: [(Task, [Workload.Input])] = [
            (conv("conv1", 3, 32, 16, 3, t), [.init("input", .stream)]),
            (relu("relu1", 16 * 32 * 32, t), [.init("conv1", .stream)]),
        ]
        let (x, c, size) = residualStages(&l, from: "relu1", channels: 16, size: 32, widths: [16, 32, 64], blocks: 3, t)
        l.append((Task(name: "avgpool", op: .pool(channels: c, height: size, width: size, window: size, kind: .average), dataType: t), [.init(x, .stream)]))
        l.append((Task(name: "fc", op: .matmul(m: 1, k: 64, n: 10, weightsOffChip: true), dataType: t), [.init("avgpool", .barrier)]))
        return try Workload(name: "resnet20-cifar", tasks: l)
    }

    /// A small U-Net for 64×64×3 segmentation (nuclei, as in NASAIC's second task): 16, 32, 64
    /// channels down, a 128-channel bottleneck, transposed-conv up-sampling with skip
    /// concatenations, and a 1×1 output convolution to one class.
    static func unet(_ t: DataType) throws -> Workload {
        var l: [(Task, [Workload.Input])] = []
        var x = "input", c = 3, size = 64
        var skips: [(String, Int)] = []
        for (i, w) in [16, 32, 64].enumerated() {
            l.append((conv("down\(i + 1).conv1", c, size, w, 3, t), [.init(x, .stream)]))
            l.append((relu("down\(i + 1).relu1", w * size * size, t), [.init("down\(i + 1).conv1", .stream)]))
            l.append((conv("down\(i + 1).conv2", w, size, w, 3, t), [.init("down\(i + 1).relu1", .stream)]))
            l.append((relu("down\(i + 1).relu2", w * size * size, t), [.init("down\(i + 1).conv2", .stream)]))
            skips.append(("down\(i + 1).relu2", w))
            l.append((Task(name: "down\(i + 1).pool", op: .pool(channels: w, height: size, width: size, window: 2), dataType: t), [.init("down\(i + 1).relu2", .stream)]))
            x = "down\(i + 1).pool"
            c = w
            size /= 2
        }
        l.append((conv("bottleneck.conv1", c, size, 128, 3, t), [.init(x, .stream)]))
        l.append((relu("bottleneck.relu1", 128 * size * size, t), [.init("bottleneck.conv1", .stream)]))
        l.append((conv("bottleneck.conv2", 128, size, 128, 3, t), [.init("bottleneck.relu1", .stream)]))
        l.append((relu("bottleneck.relu2", 128 * size * size, t), [.init("bottleneck.conv2", .stream)]))
        x = "bottleneck.relu2"
        c = 128
        for (i, (skip, w)) in skips.reversed().enumerated() {
            let n = "up\(i + 1)"
            l.append((Task(name: n + ".upconv", op: .transposedConv2d(batch: 1, channels: c, height: size, width: size, filters: w, kernelH: 2, kernelW: 2, stride: 2, padding: 0), dataType: t),
                      [.init(x, .stream)]))
            size *= 2
            // The up-sampled map and the skip connection are concatenated: 2w channels in.
            l.append((conv(n + ".conv1", 2 * w, size, w, 3, t), [.init(n + ".upconv", .stream), .init(skip, .barrier)]))
            l.append((relu(n + ".relu1", w * size * size, t), [.init(n + ".conv1", .stream)]))
            l.append((conv(n + ".conv2", w, size, w, 3, t), [.init(n + ".relu1", .stream)]))
            l.append((relu(n + ".relu2", w * size * size, t), [.init(n + ".conv2", .stream)]))
            x = n + ".relu2"
            c = w
        }
        l.append((conv("head", c, size, 1, 1, t), [.init(x, .stream)]))
        return try Workload(name: "unet", tasks: l)
    }
}
