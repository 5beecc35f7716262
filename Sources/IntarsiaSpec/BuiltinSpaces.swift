import IntarsiaNAS

/// The built-in NAS search spaces, NASAIC-style backbones as template text. The same text is in
/// designs/nas/spaces/<name>.yaml for users to copy (a test keeps the two equal).
public enum BuiltinSpaces {
    public static let names = ["resnet9-like", "unet"]

    /// The YAML text of a built-in space, or nil for an unknown name.
    public static func text(_ name: String) -> String? {
        switch name {
        case "resnet9-like": return resnet9Like
        case "unet": return unet
        default: return nil
        }
    }

    /// The built-in space `name`, parsed and validated; an unknown name is a SpecError listing the
    /// built-in names.
    public static func named(_ name: String) throws -> NetworkTemplateSpace {
        guard let t = text(name) else {
            throw SpecError(file: "built-in spaces", key: "space", value: name, problem: "unknown built-in space", accepted: names.joined(separator: ", "))
        }
        return try NASSpaceSpec.parse(text: t, file: "builtin:\(name)")
    }

    static let resnet9Like = #"""
# resnet9-like: a NASAIC-style search space for CIFAR-10 classification (32×32×3 in, 10 classes).
#
# What NASAIC used: NASAIC (Yang et al., "Co-Exploration of Neural Architectures and
# Heterogeneous ASIC Accelerator Designs Targeting Multiple Tasks", DAC 2020, arXiv 2002.04116)
# pairs a ResNet-9 backbone for CIFAR-10 with a U-Net for nuclei segmentation and searches the
# backbones' hyperparameters (filter counts among them) together with the accelerators.
#
# What is ours: the value lists, the kernel and depth choices, and the exact layer plan below are
# Intarsia's, not the paper's. The plan follows the usual ResNet-9 for CIFAR-10 (D. Page, "How to
# train your ResNet", 2018; DAWNBench): a prep convolution, three convolution + 2×2 max-pool
# stages, residual blocks of two 3×3 convolutions after stages 1 and 3, and a linear classifier.
# Batch norm is folded into the convolutions (it costs nothing on the accelerators we model), and
# the final 4×4 pool is a global pool. The published ResNet-9 is architecture
#   f0=64,f1=128,k1=3,d1=1,f2=256,k2=3,f3=512,k3=3,d3=1
#
# 2·3·2·2·3·2·3·2·2 = 1,728 architectures. Architecture text lists the choices in this order.
name: resnet9-like
input: {channels: 3, height: 32, width: 32}
choices:
  f0: [32, 64]          # prep convolution filters (ResNet-9: 64)
  f1: [64, 96, 128]     # stage 1 filters, also its residual blocks' (ResNet-9: 128)
  k1: [3, 5]            # stage 1 main convolution kernel (ResNet-9: 3)
  d1: [1, 2]            # residual blocks after stage 1 (ResNet-9: 1)
  f2: [128, 192, 256]   # stage 2 filters (ResNet-9: 256)
  k2: [3, 5]            # stage 2 kernel (ResNet-9: 3)
  f3: [256, 384, 512]   # stage 3 filters, also its residual blocks' (ResNet-9: 512)
  k3: [3, 5]            # stage 3 main convolution kernel (ResNet-9: 3)
  d3: [1, 2]            # residual blocks after stage 3 (ResNet-9: 1)
network:
  # prep: 3×32×32 → f0×32×32
  - conv: {filters: $f0, kernel: 3}
  - relu
  # stage 1: → f1×16×16, then residual blocks at 16×16
  - conv: {filters: $f1, kernel: $k1}
  - relu
  - pool: {kind: max, size: 2}
  - name: res1
    repeat: $d1
    residual: true
    layers:
      - conv: {filters: $f1, kernel: 3}
      - relu
      - conv: {filters: $f1, kernel: 3}
      - relu
  # stage 2: → f2×8×8
  - conv: {filters: $f2, kernel: $k2}
  - relu
  - pool: {kind: max, size: 2}
  # stage 3: → f3×4×4, then residual blocks at 4×4 (their kernel stays 3: a 5×5 would exceed 4×4)
  - conv: {filters: $f3, kernel: $k3}
  - relu
  - pool: {kind: max, size: 2}
  - name: res3
    repeat: $d3
    residual: true
    layers:
      - conv: {filters: $f3, kernel: 3}
      - relu
      - conv: {filters: $f3, kernel: 3}
      - relu
  # classifier
  - global_pool
  - linear: {outputs: 10}

"""#

    static let unet = #"""
# unet: a NASAIC-style search space for nuclei segmentation (64×64×3 in, a one-channel mask out).
#
# What NASAIC used: NASAIC (Yang et al., DAC 2020, arXiv 2002.04116) pairs a U-Net for the
# Nuclei segmentation task with a ResNet-9 for CIFAR-10 and searches the backbones'
# hyperparameters (filter counts among them) together with the accelerators.
#
# What is ours: the 64×64 input, the three-level plan and every value list below are Intarsia's,
# not the paper's. The plan follows U-Net (Ronneberger et al., MICCAI 2015) at a smaller scale:
# per level, convolution + ReLU repeated d times, 2×2 max pooling down; a bottleneck at 8×8; on
# the way up a 2× nearest-neighbour up-sampling and a 3×3 convolution (in place of the paper's
# 2×2 up-convolution: same padding here needs odd kernels), concatenation with the encoder's
# output at that level, and d convolutions; a 1×1 convolution to the mask. Each decoder level
# uses its encoder level's filters and kernel.
#
# 3·3·2·3·2·3·2·3 = 1,944 architectures. Architecture text lists the choices in this order.
name: unet
input: {channels: 3, height: 64, width: 64}
choices:
  d: [1, 2, 3]          # convolutions per level, encoder, bottleneck and decoder alike (U-Net: 2)
  f1: [8, 16, 32]       # level 1 filters, 64×64 (U-Net: 64 at full scale)
  k1: [3, 5]            # level 1 kernel (U-Net: 3)
  f2: [16, 32, 64]      # level 2 filters, 32×32
  k2: [3, 5]            # level 2 kernel
  f3: [32, 64, 128]     # level 3 filters, 16×16
  k3: [3, 5]            # level 3 kernel
  fb: [64, 128, 256]    # bottleneck filters, 8×8 (kernel 3)
network:
  - name: enc1
    repeat: $d
    layers: [{conv: {filters: $f1, kernel: $k1}}, relu]
  - pool: {kind: max, size: 2}
  - name: enc2
    repeat: $d
    layers: [{conv: {filters: $f2, kernel: $k2}}, relu]
  - pool: {kind: max, size: 2}
  - name: enc3
    repeat: $d
    layers: [{conv: {filters: $f3, kernel: $k3}}, relu]
  - pool: {kind: max, size: 2}
  - name: bottleneck
    repeat: $d
    layers: [{conv: {filters: $fb, kernel: 3}}, relu]
  # level 3 up: 8×8 → 16×16
  - upsample: {factor: 2}
  - conv: {filters: $f3, kernel: 3}
  - name: up3
    relu:
  - {name: cat3, from: [up3, enc3], concat: {}}
  - name: dec3
    repeat: $d
    layers: [{conv: {filters: $f3, kernel: $k3}}, relu]
  # level 2 up: → 32×32
  - upsample: {factor: 2}
  - conv: {filters: $f2, kernel: 3}
  - name: up2
    relu:
  - {name: cat2, from: [up2, enc2], concat: {}}
  - name: dec2
    repeat: $d
    layers: [{conv: {filters: $f2, kernel: $k2}}, relu]
  # level 1 up: → 64×64
  - upsample: {factor: 2}
  - conv: {filters: $f1, kernel: 3}
  - name: up1
    relu:
  - {name: cat1, from: [up1, enc1], concat: {}}
  - name: dec1
    repeat: $d
    layers: [{conv: {filters: $f1, kernel: $k1}}, relu]
  # the mask
  - conv: {filters: 1, kernel: 1}

"""#
}
