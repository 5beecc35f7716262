import IntarsiaCore

/// A convolution or matrix product as the ASIC templates see it (the loop bounds of
/// K, C, R, S, OH, OW, and the stride), with the padded input size SCALE-Sim expects.
public struct ConvLayer: Hashable, Sendable {
    public var name: String
    public var filters: Int        // K
    public var channels: Int       // C
    public var kernelH: Int        // R
    public var kernelW: Int        // S
    public var outH: Int
    public var outW: Int
    public var stride: Int
    public var batch: Int
    public var dataType: DataType

    public init(name: String, filters: Int, channels: Int, kernelH: Int, kernelW: Int, outH: Int, outW: Int, stride: Int = 1, batch: Int = 1, dataType: DataType = .int8) {
        self.name = name
        self.filters = filters
        self.channels = channels
        self.kernelH = kernelH
        self.kernelW = kernelW
        self.outH = outH
        self.outW = outW
        self.stride = stride
        self.batch = batch
        self.dataType = dataType
    }

    /// From a padded input size, as SCALE-Sim's topology files give it:
    /// out = ceil((H − R + s) / s).
    public init(name: String, paddedInH: Int, paddedInW: Int, kernelH: Int, kernelW: Int, channels: Int, filters: Int, stride: Int, dataType: DataType = .int8) {
        self.init(name: name, filters: filters, channels: channels, kernelH: kernelH, kernelW: kernelW,
                  outH: (paddedInH - kernelH + stride + stride - 1) / stride, outW: (paddedInW - kernelW + stride + stride - 1) / stride,
                  stride: stride, dataType: dataType)
    }

    /// The MAC tasks of a workload (convolutions and matrix products; transposed convolutions as
    /// their input-stationary matrix products).
    public static func layers(of w: Workload) -> [ConvLayer] {
        w.tasks.compactMap { t -> ConvLayer? in
            switch t.op {
            case let .conv2d(b, c, h, wd, k, r, s, st, p, _):
                return ConvLayer(name: t.name, filters: k, channels: c, kernelH: r, kernelW: s,
                                 outH: (h + 2 * p - r) / st + 1, outW: (wd + 2 * p - s) / st + 1, stride: st, batch: b, dataType: t.dataType)
            case let .matmul(m, k, n, _):
                return ConvLayer(name: t.name, filters: n, channels: k, kernelH: 1, kernelW: 1, outH: m, outW: 1, dataType: t.dataType)
            case .transposedConv2d:
                let g = t.op.gemmView!
                return ConvLayer(name: t.name, filters: g.columns, channels: g.reduction, kernelH: 1, kernelW: 1, outH: g.rows, outW: 1, dataType: t.dataType)
            default:
                return nil
            }
        }
    }

    public var macs: Int { batch * filters * channels * kernelH * kernelW * outH * outW }
    public var outputPixels: Int { batch * outH * outW }
    public var reduction: Int { channels * kernelH * kernelW }
    public var bytesPerElement: Double { dataType.bytes }
    public var weightBytes: Double { Double(filters * reduction) * bytesPerElement }
    public var inputBytes: Double {
        let inH = (outH - 1) * stride + kernelH, inW = (outW - 1) * stride + kernelW
        return Double(batch * channels * inH * inW) * bytesPerElement
    }
    /// Input bytes a convolution reads at least once: a kernel smaller than its stride skips the
    /// rows and columns between windows.
    public var neededInputBytes: Double {
        let rows = min((outH - 1) * stride + kernelH, outH * kernelH), cols = min((outW - 1) * stride + kernelW, outW * kernelW)
        return Double(batch * channels * rows * cols) * bytesPerElement
    }
    public var outputBytes: Double { Double(batch * filters * outH * outW) * bytesPerElement }
}
