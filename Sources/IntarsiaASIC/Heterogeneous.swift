import Foundation
import IntarsiaCore
import IntarsiaMapping

/// Several sub-accelerators on one chip running several networks at once (NASAIC): each network
/// runs its layers in order on one sub-accelerator; sub-accelerators run concurrently. Latency is
/// the largest per-sub-accelerator sum, energy the sum, area the sum of the sub-accelerators'.
/// Which network goes where, and how a PE and bandwidth budget is split among the
/// sub-accelerators, is solved exactly by `SubAcceleratorMapper` (GLPK).
public struct HeterogeneousASIC: Sendable {
    /// Candidate sizes for each sub-accelerator (one is chosen per sub-accelerator).
    public var candidates: [[ASICAccelerator]]
    public var technology: ASICTechnology
    public var peBudget: Int
    public var bandwidthBudgetBytesPerCycle: Double

    public init(candidates: [[ASICAccelerator]], technology: ASICTechnology, peBudget: Int, bandwidthBudgetBytesPerCycle: Double) {
        self.candidates = candidates
        self.technology = technology
        self.peBudget = peBudget
        self.bandwidthBudgetBytesPerCycle = bandwidthBudgetBytesPerCycle
    }

    public struct Result: Sendable {
        public var accelerators: [ASICAccelerator]
        /// Sub-accelerator per network.
        public var assignment: [Int]
        public var latencyCycles: Double
        public var energyPicojoules: Double
        public var areaSquareMillimetres: Double
        public var method: String
    }

    /// The mapping problem: every network's cycles and energy on every candidate size.
    public func problem(_ networks: [(name: String, layers: [ConvLayer])], goal: SubAcceleratorMapper.Goal,
                        maxLatency: Double? = nil, maxEnergy: Double? = nil) -> SubAcceleratorMapper.Problem {
        var latency: [[[Double]]] = [], energy: [[[Double]]] = []
        for n in networks {
            var la: [[Double]] = [], ea: [[Double]] = []
            for options in candidates {
                let costs = options.map { ASICModel.network(n.layers, on: $0, technology: technology) }
                la.append(costs.map(\.cycles))
                ea.append(costs.map(\.energyPicojoules))
            }
            latency.append(la)
            energy.append(ea)
        }
        let sizes = candidates.map { $0.map { SubAcceleratorMapper.Size(name: "\($0.dataflow.rawValue) \($0.rows)x\($0.columns)", processingElements: $0.processingElements, bandwidthGBps: $0.dramBytesPerCycle) } }
        return SubAcceleratorMapper.Problem(jobs: networks.map(\.name), accelerators: candidates.indices.map { "sub\($0)" }, sizes: sizes,
                                            latency: latency, energy: energy, peBudget: peBudget, bandwidthBudgetGBps: bandwidthBudgetBytesPerCycle,
                                            goal: goal, maxLatency: maxLatency, maxEnergy: maxEnergy)
    }

    /// The optimal mapping and split (GLPK).
    public func map(_ networks: [(name: String, layers: [ConvLayer])], goal: SubAcceleratorMapper.Goal = .latency,
                    maxLatency: Double? = nil, maxEnergy: Double? = nil) throws -> Result {
        let p = problem(networks, goal: goal, maxLatency: maxLatency, maxEnergy: maxEnergy)
        let m = try SubAcceleratorMapper.solve(p)
        let chosen = zip(candidates, m.sizes).map { $0[$1] }
        let area = chosen.reduce(0) { $0 + ASICModel.areaSquareMillimetres($1, technology: technology) }
        return Result(accelerators: chosen, assignment: m.assignment, latencyCycles: m.latency, energyPicojoules: m.energy,
                      areaSquareMillimetres: area, method: m.method)
    }
}

/// Layers of the networks the ASIC designs use, with their exact shapes.
public enum ASICNetworks {
    /// ResNet-18 on 224×224 ImageNet (conv layers with the output sizes of the padded
    /// convolutions, and the final fully connected layer as a 1×1 convolution over one pixel).
    public static func resnet18(_ t: DataType = .int8) -> [ConvLayer] {
        var l: [ConvLayer] = [ConvLayer(name: "conv1", filters: 64, channels: 3, kernelH: 7, kernelW: 7, outH: 112, outW: 112, stride: 2, dataType: t)]
        var c = 64, size = 56
        for (stage, k) in [64, 128, 256, 512].enumerated() {
            for block in 0..<2 {
                let stride = stage > 0 && block == 0 ? 2 : 1
                if stride == 2 { size /= 2 }
                let name = "layer\(stage + 1).\(block)"
                l.append(ConvLayer(name: name + ".conv1", filters: k, channels: c, kernelH: 3, kernelW: 3, outH: size, outW: size, stride: stride, dataType: t))
                l.append(ConvLayer(name: name + ".conv2", filters: k, channels: k, kernelH: 3, kernelW: 3, outH: size, outW: size, dataType: t))
                if stride == 2 || c != k {
                    l.append(ConvLayer(name: name + ".downsample", filters: k, channels: c, kernelH: 1, kernelW: 1, outH: size, outW: size, stride: stride, dataType: t))
                }
                c = k
            }
        }
        l.append(ConvLayer(name: "fc", filters: 1000, channels: 512, kernelH: 1, kernelW: 1, outH: 1, outW: 1, dataType: t))
        return l
    }

    /// VGG-16 on 224×224: thirteen 3×3 convolutions and three fully connected layers.
    public static func vgg16(_ t: DataType = .int8) -> [ConvLayer] {
        let plan: [(Int, Int)] = [(64, 224), (64, 224), (128, 112), (128, 112), (256, 56), (256, 56), (256, 56),
                                  (512, 28), (512, 28), (512, 28), (512, 14), (512, 14), (512, 14)]
        var c = 3
        var l: [ConvLayer] = []
        for (i, (k, s)) in plan.enumerated() {
            l.append(ConvLayer(name: "conv\(i + 1)", filters: k, channels: c, kernelH: 3, kernelW: 3, outH: s, outW: s, dataType: t))
            c = k
        }
        l.append(ConvLayer(name: "fc1", filters: 4096, channels: 512 * 7 * 7, kernelH: 1, kernelW: 1, outH: 1, outW: 1, dataType: t))
        l.append(ConvLayer(name: "fc2", filters: 4096, channels: 4096, kernelH: 1, kernelW: 1, outH: 1, outW: 1, dataType: t))
        l.append(ConvLayer(name: "fc3", filters: 1000, channels: 4096, kernelH: 1, kernelW: 1, outH: 1, outW: 1, dataType: t))
        return l
    }
}
