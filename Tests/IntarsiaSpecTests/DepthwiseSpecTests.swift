import Foundation
import IntarsiaASIC
import IntarsiaCore
import Testing
@testable import IntarsiaSpec

/// Grouped and depthwise convolutions, non-MAC operators and the on-chip knobs in ASIC specs
/// (issue 12; docs/ASIC.md).
@Suite struct DepthwiseSpecTests {
    static let designs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("designs/asic")

    func error(_ text: String) -> SpecError? {
        do { _ = try ASICDesignSpec.parse(text: text, file: "bad.yaml"); return nil } catch { return error as? SpecError }
    }

    func asic(workload: String, accelerator: String = "{dataflow: nvdla}", platform: String = "") -> String {
        "workload: \(workload)\nplatform: {asic: 45nm, pe_budget: 1024, bandwidth_bytes_per_cycle: 32\(platform)}\naccelerators:\n  - \(accelerator)\n"
    }

    /// ZigZag's own MAC count of MobileNetV2 (validation/peers/zigzag-mobilenetv2.csv, TOTAL)
    /// and MobileNetV1's worked out from Howard et al.'s table 1 (stem 3·32·9·112², then per block
    /// C·9·O² + C·K·O², and the 1024×1000 classifier).
    @Test func builtinDepthwiseNetworksHaveTheirPublishedMACs() throws {
        #expect(try BuiltinWorkload.mobilenetV2.make().totalMACs == 300_774_272)
        #expect(try BuiltinWorkload.mobilenetV1.make().totalMACs == 568_740_352)
        let w = try BuiltinWorkload.mobilenetV2.make()
        #expect(w.tasks.filter { if case let .conv2d(_, c, _, _, _, _, _, _, _, g) = $0.op { return g == c && g > 1 } else { return false } }.count == 17)
    }

    /// The bundled ONNX spec against ZigZag's network totals (22,573,199 cycles, 1.9181e9 pJ),
    /// and the same network written inline (the built-in, whose depthwise tasks carry `groups`)
    /// gives the same figures as the ONNX import.
    @Test func mobileNetV2OnTPULikeMatchesZigZagFromONNXAndInline() throws {
        let path = Self.designs.appendingPathComponent("mobilenetv2-zigzag-tpu-like.yaml").path
        let s = try ASICDesignSpec.parse(text: try String(contentsOfFile: path, encoding: .utf8), file: path)
        let a = s.space.design(0)[0]
        let onnx = ASICModel.network(s.space.networks[0].layers, on: a, technology: s.space.technology)
        #expect(abs(onnx.cycles / 22_573_199 - 1) <= 0.05, "\(onnx.cycles)")
        #expect(abs(onnx.energyPicojoules / 1.9181e9 - 1) <= 0.05, "\(onnx.energyPicojoules)")
        let inline = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "workload:\n  onnx: ../onnx/mobilenetv2-shapes.onnx\n  data_type: int8", with: "workload: {builtin: mobilenetv2}")
        let b = try ASICDesignSpec.parse(text: inline, file: path)
        let built = ASICModel.network(b.space.networks[0].layers, on: a, technology: b.space.technology)
        #expect(b.space.networks[0].layers.count == 53)
        #expect(abs(built.cycles / onnx.cycles - 1) < 1e-9 && abs(built.energyPicojoules / onnx.energyPicojoules - 1) < 1e-9)
    }

    /// `groups:` in an inline task: an integer or `depthwise`; one group's filters see only its
    /// channels, so a depthwise layer has K·9 weights and 1/C of the dense MACs.
    @Test func inlineGroups() throws {
        func layer(_ groups: String) throws -> ConvLayer {
            let text = asic(workload: "{tasks: [{name: dw, op: conv2d, channels: 32, height: 16, width: 16, filters: 32, kernel: 3, padding: 1, groups: \(groups)}]}")
            return try ASICDesignSpec.parse(text: text, file: "g.yaml").space.networks[0].layers[0]
        }
        let dw = try layer("depthwise"), four = try layer("4")
        #expect(dw.groups == 32 && dw.macs == 16 * 16 * 32 * 9 && dw.weightBytes == 32 * 9 * dw.bytesPerElement)
        #expect(four.groups == 4 && four.macs == 16 * 16 * 32 * 8 * 9)
    }

    @Test func badGroupsNameTheKey() {
        let e = error(asic(workload: "{tasks: [{name: g, op: conv2d, channels: 32, height: 8, width: 8, filters: 30, kernel: 3, groups: 4}]}"))
        #expect(e?.key == "workload.tasks[0].groups" && e?.value == "4" && e?.accepted?.contains("common divisor") == true, "\(String(describing: e))")
        let z = error(asic(workload: "{tasks: [{name: g, op: conv2d, channels: 32, height: 8, width: 8, filters: 32, kernel: 3, groups: 0}]}"))
        #expect(z?.key == "workload.tasks[0].groups", "\(String(describing: z))")
    }

    @Test func badOnChipKnobsNameTheKey() {
        let noc = error(asic(workload: "{builtin: resnet20-cifar}", accelerator: "{dataflow: nvdla, noc_elements_per_cycle: 0}"))
        #expect(noc?.key == "accelerators[0].noc_elements_per_cycle", "\(String(describing: noc))")
        let negative = error(asic(workload: "{builtin: resnet20-cifar}", accelerator: "{dataflow: nvdla, noc_elements_per_cycle: [64, -1]}"))
        #expect(negative?.key == "accelerators[0].noc_elements_per_cycle[1]", "\(String(describing: negative))")
        let l1 = error(asic(workload: "{builtin: resnet20-cifar}", accelerator: "{dataflow: eyeriss, l1_bytes: 8}"))
        #expect(l1?.key == "accelerators[0].l1_bytes" && l1?.accepted == "at least 16 bytes", "\(String(describing: l1))")
        let buffer = error(asic(workload: "{builtin: resnet20-cifar}", accelerator: "{dataflow: nvdla, rows: 32, columns: 32, buffer_kib: 1}"))
        #expect(buffer?.key == "accelerators[0].buffer_kib", "\(String(describing: buffer))")
        let zeroBuffer = error(asic(workload: "{builtin: resnet20-cifar}", accelerator: "{dataflow: nvdla, buffer_kib: 0}"))
        #expect(zeroBuffer?.key == "accelerators[0].buffer_kib", "\(String(describing: zeroBuffer))")
        let calc = error(asic(workload: "{builtin: resnet20-cifar}", accelerator: "{dataflow: nvdla, scalesim_bandwidth: calc}"))
        #expect(calc?.key == "accelerators[0].scalesim_bandwidth", "\(String(describing: calc))")
        let size = error(asic(workload: "{builtin: resnet20-cifar}", platform: ", output_size: round"))
        #expect(size?.key == "platform.output_size" && size?.accepted == "floor, ceil", "\(String(describing: size))")
    }

    /// Non-MAC operators are priced by default: ResNet-20's ReLUs after convolutions are fused
    /// (no traffic), its residual adds and pooling are layers of their own; `ignore` leaves them out.
    @Test func nonMACOperatorsArePricedUnlessIgnored() throws {
        let priced = try ASICDesignSpec.parse(text: asic(workload: "{builtin: resnet20-cifar}"), file: "p.yaml").space.networks[0].layers
        let ignored = try ASICDesignSpec.parse(text: asic(workload: "{builtin: resnet20-cifar}", platform: ", non_mac_operators: ignore"), file: "i.yaml")
            .space.networks[0].layers
        #expect(ignored.allSatisfy { !$0.isVector })
        #expect(priced.filter { !$0.isVector }.count == ignored.count)
        let adds = priced.filter { if case .vector(.elementwise, _) = $0.operation { return true } else { return false } }
        #expect(adds.count == 9 && adds.allSatisfy { !$0.fusedIntoProducer })
        #expect(priced.contains { $0.fusedIntoProducer })
    }

    /// SCALE-Sim's output size: a 230-pixel padded input, 7×7 kernel, stride 2 gives 113 outputs
    /// under `ceil` (SCALE-Sim) and 112 under `floor`.
    @Test func outputSizeConvention() throws {
        let task = "{tasks: [{name: c, op: conv2d, channels: 3, height: 230, width: 230, filters: 64, kernel: 7, stride: 2}]}"
        let floor = try ASICDesignSpec.parse(text: asic(workload: task), file: "f.yaml").space.networks[0].layers[0]
        let ceil = try ASICDesignSpec.parse(text: asic(workload: task, platform: ", output_size: ceil"), file: "c.yaml").space.networks[0].layers[0]
        #expect(floor.outH == 112 && ceil.outH == 113)
    }
}
