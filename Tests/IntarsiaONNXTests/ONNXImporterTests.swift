import Foundation
import Testing
import IntarsiaCore
@testable import IntarsiaONNX

@Suite struct ONNXImporterTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test func resnet18MACsMatchTheKnownTotal() throws {
        let w = try ONNXImporter.load(path: Self.fixtures.appendingPathComponent("resnet18-shapes.onnx").path)
        let macs = Dictionary(uniqueKeysWithValues: w.tasks.map { ($0.name, $0.op.macs) })
        // Worked by hand: output pixels × filters × input channels × kernel area.
        #expect(macs["conv1"] == 112 * 112 * 64 * 3 * 49)
        #expect(macs["layer1.0.conv1"] == 56 * 56 * 64 * 64 * 9)
        #expect(macs["layer2.0.conv1"] == 28 * 28 * 128 * 64 * 9)
        #expect(macs["layer2.0.downsample"] == 28 * 28 * 128 * 64)
        #expect(macs["layer4.1.conv2"] == 7 * 7 * 512 * 512 * 9)
        #expect(macs["fc"] == 512 * 1000)
        // 1.814 GMAC for a 224×224 image (the figure torchvision and the paper report as 1.8 G).
        #expect(w.totalMACs == 1_814_073_344)
        #expect(w.tasks.filter { $0.op.gemmView != nil }.count == 21)
        // The residual adds wait on both branches; the max pool halves 112 to 56.
        let add = w.tasks.firstIndex { $0.name == "layer1.0.add" }!
        #expect(w.edges.filter { $0.consumer == add }.count == 2)
        #expect(w.tasks.first { $0.name == "maxpool" }!.op.outputElements == 64 * 56 * 56)
        #expect(w.tasks.first { $0.name == "avgpool" }!.op.outputElements == 512)
        // GlobalAveragePool is an average, MaxPool a max (the HLS emitter computes what they say).
        #expect(w.tasks.first { $0.name == "avgpool" }!.op == .pool(channels: 512, height: 7, width: 7, window: 7, kind: .average))
        if case let .pool(_, _, _, _, _, _, kind) = w.tasks.first(where: { $0.name == "maxpool" })!.op { #expect(kind == .max) }
        else { Issue.record("maxpool is not a pool") }
    }

    @Test func attentionShapesAndLayoutOperators() throws {
        let w = try ONNXImporter.load(path: Self.fixtures.appendingPathComponent("attention.onnx").path, dataType: .int8)
        // Reshape and Transpose make no task; their consumers read the projections directly.
        #expect(w.tasks.map(\.name) == ["q_proj", "k_proj", "v_proj", "qk", "softmax", "sv", "o_proj", "residual", "ln"])
        let t = Dictionary(uniqueKeysWithValues: w.tasks.map { ($0.name, $0) })
        #expect(t["q_proj"]!.op.macs == 64 * 128 * 128)
        #expect(t["qk"]!.op.macs == 4 * 64 * 32 * 64)   // 4 heads of 64×32 · 32×64
        #expect(t["sv"]!.op.macs == 4 * 64 * 64 * 32)
        #expect(t["softmax"]!.op == .softmax(rows: 4 * 64, cols: 64))
        #expect(t["ln"]!.op == .layerNorm(rows: 64, cols: 128))
        #expect(t["qk"]!.op.gemmView!.weightsOffChip == false)
        #expect(t["q_proj"]!.op.gemmView!.weightsOffChip == true)
        #expect(t["q_proj"]!.dataType == .int8)
        let qk = w.tasks.firstIndex { $0.name == "qk" }!
        #expect(Set(w.edges.filter { $0.consumer == qk }.map { w.tasks[$0.producer].name }) == ["q_proj", "k_proj"])
    }

    @Test func anUnsupportedOperatorNamesItsNode() {
        #expect {
            _ = try ONNXImporter.load(path: Self.fixtures.appendingPathComponent("unsupported-op.onnx").path)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("'pick_best'") && text.contains("'TopK'") && text.contains("supported:")
        }
    }

    @Test func notAnONNXFile() {
        #expect(throws: ONNXImporter.ImportError.self) { _ = try ONNXImporter.load(path: #filePath) }
        #expect(throws: ONNXImporter.ImportError.self) { _ = try ONNXImporter.load(path: "/nonexistent.onnx") }
    }

    /// A depthwise Conv (group = channels = 8, weights [8, 1, 3, 3]) keeps its groups: 8 filters
    /// of one channel each, 16·16·8·9 MACs (not the 8× more of a dense convolution).
    @Test func groupedConvKeepsItsGroups() throws {
        let w = try ONNXImporter.load(path: Self.fixtures.appendingPathComponent("depthwise.onnx").path)
        let t = w.tasks[0]
        #expect(t.op == .conv2d(batch: 1, channels: 8, height: 16, width: 16, filters: 8, kernelH: 3, kernelW: 3, stride: 1, padding: 1, groups: 8))
        #expect(t.op.macs == 16 * 16 * 8 * 9)
        #expect(t.op.gemmView?.weightElements == 8 * 9)
    }

    /// Weights [8, 2, 3, 3] with group 8 over 8 channels: 2 channels per filter × 8 groups ≠ 8;
    /// the error names the node and the weight.
    @Test func inconsistentGroupedWeightsNameTheNode() {
        do {
            _ = try ONNXImporter.load(path: Self.fixtures.appendingPathComponent("grouped-bad-weights.onnx").path)
            Issue.record("accepted")
        } catch {
            let text = String(describing: error)
            #expect(text.contains("dw_conv") && text.contains("'w'") && text.contains("[K, C/group, R, S]"), "\(text)")
        }
    }
}

