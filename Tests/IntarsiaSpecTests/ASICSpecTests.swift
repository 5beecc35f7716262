import Testing
import IntarsiaASIC
@testable import IntarsiaSpec

@Suite struct ASICSpecTests {
    let base = """
    workload: {builtin: resnet20-cifar}
    platform: {asic: 45nm, pe_budget: 1024, bandwidth_bytes_per_cycle: 32}
    accelerators:
      - {dataflow: [nvdla, eyeriss], rows: [16, 32], columns: 32, buffer_kib: 256, bandwidth_bytes_per_cycle: 16}
    """

    @Test func readsAnASICSpec() throws {
        #expect(ASICDesignSpec.isASIC(text: base))
        #expect(!ASICDesignSpec.isASIC(text: "workload: {builtin: mlp}\nplatform: u280\ntemplates: {dataflow: {lanes: 16}}\n"))
        let s = try ASICDesignSpec.parse(text: base, file: "a.yaml")
        #expect(s.space.count == 4)
        #expect(s.space.networks.count == 1 && s.space.networks[0].layers.reduce(0) { $0 + $1.macs } == 40_813_184)
        #expect(s.space.design(1)[0].dataflow == .eyeriss && s.space.design(2)[0].rows == 32)
    }

    /// The sniffer does not check keys: an ASIC spec with a misspelled key is still an ASIC spec,
    /// and the ASIC reader names the key against the ASIC keys (it was taken for an FPGA spec).
    @Test func aMisspelledKeyIsReportedByTheASICReader() throws {
        let typo = base + "\nconstraint: {latency_ms: 1}\n"
        #expect(ASICDesignSpec.isASIC(text: typo))
        let e = try #require(error(typo))
        #expect(e.key == "constraint" && e.problem == "unknown key" && e.accepted?.contains("accelerators") == true)
        // Text that is not YAML is no ASIC spec; the loader that runs next reports its syntax error.
        #expect(!ASICDesignSpec.isASIC(text: "platform: {asic: [unclosed\n"))
    }

    /// A node given as a mapping says so (the failure was swallowed into "unknown technology node ''").
    @Test func aNodeThatIsNotOneValueSaysSo() throws {
        let e = try #require(error(base.replacingOccurrences(of: "asic: 45nm", with: "asic: {node: 45nm}")))
        #expect(e.key == "platform.asic" && e.problem.contains("expected a single value"))
    }

    /// A workload mapping with `networks` and another key is read as a list of networks, and the
    /// stray key is named against `networks` (it was read as one workload instead).
    @Test func aStrayKeyBesideNetworksIsNamed() throws {
        let text = base.replacingOccurrences(of: "workload: {builtin: resnet20-cifar}", with: "workload: {networks: [{builtin: resnet20-cifar}], extra: 1}")
        let e = try #require(error(text))
        #expect(e.key == "workload.extra" && e.problem == "unknown key" && e.accepted == "networks")
    }

    func error(_ text: String) -> SpecError? {
        do { _ = try ASICDesignSpec.parse(text: text, file: "bad.yaml"); return nil } catch { return error as? SpecError }
    }

    @Test func badASICSpecsNameTheKey() {
        let zero = error(base.replacingOccurrences(of: "rows: [16, 32]", with: "rows: [0, 32]"))
        #expect(zero?.key == "accelerators[0].rows[0]" && zero?.value == "0")
        let bw = error(base.replacingOccurrences(of: "bandwidth_bytes_per_cycle: 16}", with: "bandwidth_bytes_per_cycle: 64}"))
        #expect(bw?.key == "accelerators[0].bandwidth_bytes_per_cycle" && bw?.problem.contains("above the platform") == true)
        let small = error(base.replacingOccurrences(of: "buffer_kib: 256", with: "buffer_kib: 1"))
        #expect(small?.key == "accelerators[0].buffer_kib" && small?.problem.contains("minimum tile") == true)
        let node = error(base.replacingOccurrences(of: "asic: 45nm", with: "asic: 7nm"))
        #expect(node?.key == "platform.asic" && node?.accepted == "45nm, 28nm, zigzag-tpu-like")
        let flow = error(base.replacingOccurrences(of: "[nvdla, eyeriss]", with: "[tpu]"))
        #expect(flow?.key == "accelerators[0].dataflow[0]")
        let pes = error(base.replacingOccurrences(of: "pe_budget: 1024", with: "pe_budget: 0"))
        #expect(pes?.key == "platform.pe_budget")
        let noPEs = error(base.replacingOccurrences(of: "pe_budget: 1024, ", with: ""))
        #expect(noPEs?.key == "platform.pe_budget" && noPEs?.problem == "missing required key")
        let noNode = error(base.replacingOccurrences(of: "asic: 45nm, ", with: ""))
        #expect(noNode?.key == "platform.asic" && noNode?.problem == "missing required key" && noNode?.accepted == "45nm, 28nm, zigzag-tpu-like")
        let noAccelerators = error(base.split(separator: "\n").prefix(2).joined(separator: "\n"))
        #expect(noAccelerators?.key == "accelerators" && noAccelerators?.problem == "missing required key")
    }

    @Test func heterogeneousPlacementMatchesTheMapper() throws {
        let text = """
        workload:
          networks:
            - {builtin: resnet20-cifar}
            - {builtin: unet}
        platform: {asic: 28nm, pe_budget: 2048, bandwidth_bytes_per_cycle: 32}
        accelerators:
          - {dataflow: [nvdla, shidiannao], rows: 32, columns: 32, buffer_kib: 256, bandwidth_bytes_per_cycle: 16}
          - {dataflow: [eyeriss, systolic_os], rows: 16, columns: 16, buffer_kib: 128, bandwidth_bytes_per_cycle: 16}
        """
        let s = try ASICDesignSpec.parse(text: text, file: "h.yaml")
        for i in 0..<s.space.count {
            let accs = s.space.design(i)
            let d = ASICExplorer.evaluate(s.space, accs, id: i, clockMHz: 1000, constraints: ASICConstraints())
            let h = HeterogeneousASIC(candidates: accs.map { [$0] }, technology: s.space.technology, peBudget: 2048, bandwidthBudgetBytesPerCycle: 32)
            let m = try h.map(s.space.networks)
            #expect(abs(d.latencyCycles - m.latencyCycles) <= 1e-6 * m.latencyCycles)
        }
    }
}
