import Testing
import Foundation
import IntarsiaASIC
@testable import IntarsiaSpec

/// The `memory` key of a sub-accelerator (docs/ASIC.md, "Memory styles").
@Suite struct ASICMemorySpecTests {
    func spec(_ accelerator: String) -> String {
        """
        workload: {builtin: resnet20-cifar}
        platform: {asic: 45nm, pe_budget: 1024, bandwidth_bytes_per_cycle: 32}
        accelerators:
          - \(accelerator)
        """
    }

    func error(_ text: String) -> SpecError? {
        do { _ = try ASICDesignSpec.parse(text: text, file: "bad.yaml"); return nil } catch { return error as? SpecError }
    }

    @Test func memoryStylesReachTheAccelerators() throws {
        for (value, style) in [("double_buffered", ASICMemory.doubleBuffered), ("preload_inputs", .preloadInputs), ("scalesim", .scaleSim)] {
            let s = try ASICDesignSpec.parse(text: spec("{dataflow: [systolic_ws, systolic_is], rows: 16, columns: 16, buffer_kib: 192, memory: \(value)}"), file: "m.yaml")
            #expect(s.space.design(0)[0].memory == style && s.space.design(1)[0].memory == style)
        }
        let d = try ASICDesignSpec.parse(text: spec("{dataflow: nvdla, rows: 16, columns: 16, buffer_kib: 192}"), file: "d.yaml")
        #expect(d.space.design(0)[0].memory == .doubleBuffered)
    }

    @Test func badMemoryStylesNameTheKeyTheValueAndWhatIsAccepted() {
        let unknown = error(spec("{dataflow: systolic_ws, rows: 16, columns: 16, buffer_kib: 192, memory: triple_buffered}"))
        #expect(unknown?.key == "accelerators[0].memory" && unknown?.value == "triple_buffered")
        #expect(unknown?.accepted == "double_buffered, preload_inputs, scalesim")
        let list = error(spec("{dataflow: systolic_ws, rows: 16, columns: 16, buffer_kib: 192, memory: [scalesim]}"))
        #expect(list?.key == "accelerators[0].memory")
        let eyeriss = error(spec("{dataflow: [systolic_os, eyeriss], rows: 16, columns: 16, buffer_kib: 192, memory: scalesim}"))
        #expect(eyeriss?.key == "accelerators[0].memory" && eyeriss?.value == "scalesim")
        #expect(eyeriss?.problem.contains("eyeriss") == true && eyeriss?.accepted?.contains("systolic_ws") == true)
        let typo = error(spec("{dataflow: systolic_ws, rows: 16, columns: 16, buffer_kib: 192, memroy: scalesim}"))
        #expect(typo?.key == "accelerators[0].memroy" && typo?.accepted?.contains("memory") == true)
    }
}

/// The `zigzag-tpu-like` technology preset (`platform.asic`; docs/SPEC.md, "ASIC specs").
@Suite struct ASICTechnologyPresetSpecTests {
    static let designs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("designs/asic")

    /// The preset carries ZigZag's bundled tpu_like.yaml per-access energies: MAC 0.04 pJ, DRAM
    /// 700 pJ per 64-bit read and 750 pJ per 64-bit write.
    @Test func presetIsReachableFromASpec() throws {
        for name in ["zigzag-tpu-like", "zigzag_tpu_like"] {
            let text = "workload: {builtin: resnet20-cifar}\nplatform: {asic: \(name), pe_budget: 1024}\naccelerators:\n  - {dataflow: nvdla}\n"
            let s = try ASICDesignSpec.parse(text: text, file: "z.yaml")
            #expect(s.space.technology.name == "zigzag-tpu-like" && s.space.technology.macPicojoulesInt8 == 0.04)
            #expect(s.space.technology.accessEnergies?.dramReadPerByte == 700.0 / 8 && s.space.technology.accessEnergies?.dramWritePerByte == 750.0 / 8)
        }
    }

    /// The bundled spec, evaluated from its YAML, against ZigZag 3.9.1's whole-network figures for
    /// its ResNet-18 on tpu_like (validation/peers/zigzag-figures.csv, TOTAL row): 1.8714e9 pJ
    /// (energy within 1%) and 3,865,041 cycles (latency within 2%).
    @Test func bundledZigZagSpecMatchesZigZagsNetworkTotals() throws {
        let text = try String(contentsOf: Self.designs.appendingPathComponent("resnet18-zigzag-tpu-like.yaml"), encoding: .utf8)
        let s = try ASICDesignSpec.parse(text: text, file: "resnet18-zigzag-tpu-like.yaml")
        #expect(s.space.count == 1)
        let a = s.space.design(0)[0]
        let r = ASICModel.network(s.space.networks[0].layers, on: a, technology: s.space.technology)
        #expect(abs(r.energyPicojoules / 1.8714e9 - 1) <= 0.01, "\(r.energyPicojoules)")
        #expect(abs(r.cycles / 3_865_041 - 1) <= 0.02, "\(r.cycles)")
    }

    @Test func unknownNodeListsThePreset() {
        let text = "workload: {builtin: resnet20-cifar}\nplatform: {asic: zigzag-eyeriss, pe_budget: 1024}\naccelerators:\n  - {dataflow: nvdla}\n"
        do { _ = try ASICDesignSpec.parse(text: text, file: "b.yaml"); Issue.record("accepted") } catch {
            let e = error as? SpecError
            #expect(e?.key == "platform.asic" && e?.value == "zigzag-eyeriss" && e?.accepted == "45nm, 28nm, zigzag-tpu-like")
        }
    }
}
