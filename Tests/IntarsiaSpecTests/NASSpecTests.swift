import Testing
@testable import IntarsiaSpec

@Suite struct NASSpecTests {
    let base = """
    tasks:
      - {dataset: cifar10, weight: 1}
      - {dataset: cifar100, weight: 1, oracle: {command: "toy {arch} {task}"}}
    platform: {asic: 28nm, pe_budget: 1024, bandwidth_bytes_per_cycle: 32}
    accelerators:
      - {dataflow: nvdla, rows: 16, columns: 16, buffer_kib: 64, bandwidth_bytes_per_cycle: 16}
    constraints: {latency_ms: 2}
    """

    func error(_ text: String) -> SpecError? {
        do { _ = try NASDesignSpec.parse(text: text, file: "nas.yaml"); return nil } catch { return error as? SpecError }
    }

    @Test func readsANASSpecAndNamesItAfterTheFile() throws {
        #expect(NASDesignSpec.isNAS(text: base))
        let s = try NASDesignSpec.parse(text: base, file: "dir/two-tasks.yaml")
        #expect(s.name == "two-tasks")
    }

    @Test func missingKeysAreNamedWithTheirPath() {
        let noDataset = error(base.replacingOccurrences(of: "{dataset: cifar10, weight: 1}", with: "{weight: 1}"))
        #expect(noDataset?.key == "tasks[0].dataset" && noDataset?.problem == "missing required key")
        let noCommand = error(base.replacingOccurrences(of: "{command: \"toy {arch} {task}\"}", with: "{timeout_s: 5}"))
        #expect(noCommand?.key == "tasks[1].oracle.command" && noCommand?.accepted?.contains("{arch}") == true)
        // A platform without its technology node is an error, not a crash.
        let noNode = error(base.replacingOccurrences(of: "asic: 28nm, ", with: ""))
        #expect(noNode?.key == "platform.asic" && noNode?.problem == "missing required key")
    }
}
