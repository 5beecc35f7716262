import Testing
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
