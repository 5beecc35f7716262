import Foundation
import Testing
import IntarsiaCore
import IntarsiaASIC
import IntarsiaSpec
@testable import IntarsiaDriver

/// An ASIC dataflow written entirely in this file: a broadcast array whose PEs each do one MAC a
/// cycle of any layer (perfect packing), plus one cycle per row to fill; every operand is read
/// from the buffer once. It reads only `rows` (1 to 64), `columns` (1 to 64), `buffer_kib` and
/// `bandwidth_bytes_per_cycle`, and only the double-buffered memory style. Adding it touches no
/// other file: it is registered in a registry of this test's own, which the spec reader, the
/// explorer (through `intarsia search`) and the listings take.
enum ToyBroadcastDataflow: ASICDataflowTemplate {
    static let identifier = "toy_broadcast"
    static let summary = "a test's toy: every PE does one MAC a cycle of any layer"
    static let knobs: [ASICKnobRule] = [ASICKnobRule(.rows, .integers(1...64)), ASICKnobRule(.columns, .integers(1...64)),
                                        .standard(.bufferKiB), .standard(.bandwidthBytesPerCycle)]
    static let systolicForm: SystolicForm? = nil
    static let stepWalk = ASICStepWalk.none
    static let sramAccess = SRAMAccessPattern.perReread
    static func computeCycles(_ l: ConvLayer, on a: ASICAccelerator) -> (cycles: Double, folds: (rows: Int, cols: Int)) {
        let passes = (l.macs + a.processingElements - 1) / a.processingElements
        return (Double(passes) + fillCycles(a), (passes, 1))
    }
    static func fillCycles(_ a: ASICAccelerator) -> Double { Double(a.rows) }
    static func bufferRereads(_ l: ConvLayer, on a: ASICAccelerator, folds: (rows: Int, cols: Int)) -> OperandRereads {
        OperandRereads(weights: 1, inputs: 1, partialSums: 0)
    }
    static func weightBytesPerPE(_ l: ConvLayer, on a: ASICAccelerator) -> Double { l.weightBytes / Double(a.processingElements) }
    static func minimumTileBytes(rows: Int, columns: Int) -> Double { Double(rows * columns * 2) }
    static let minimumL1Bytes: Double = 6
}

@Suite struct ToyASICTemplateTests {
    static let dataflows = try! ASICDataflows.builtin.adding(ToyBroadcastDataflow.self)

    /// MLP at size_divisor 16: three matrix products 16→64, 64→128, 128→16 (1,024, 8,192 and
    /// 2,048 MACs); non-MAC operators left out, so the layers are the three products.
    static let specText = """
        name: toy-asic
        workload: {builtin: mlp, parameters: {size_divisor: 16}}
        platform: {asic: 45nm, pe_budget: 4096, bandwidth_bytes_per_cycle: 1000000, non_mac_operators: ignore}
        accelerators:
          - {dataflow: toy_broadcast, rows: [4, 8], columns: 8, bandwidth_bytes_per_cycle: 1000000}
        objectives: [latency_cycles, area_mm2]
        """

    func error(_ text: String, _ dataflows: ASICDataflows = Self.dataflows) -> SpecError? {
        do { _ = try ASICDesignSpec.parse(text: text, file: "toy.yaml", dataflows: dataflows); return nil } catch { return error as? SpecError }
    }

    @Test func theSpecReaderAcceptsTheToyOnlyWhenRegisteredAndWithinItsKnobs() throws {
        let spec = try ASICDesignSpec.parse(text: Self.specText, file: "toy.yaml", dataflows: Self.dataflows)
        #expect(spec.space.count == 2 && spec.space.design(0)[0].dataflow == ASICDataflow(ToyBroadcastDataflow.self))
        #expect(spec.space.design(1)[0].rows == 8)
        // Unregistered: unknown, and the error lists the built-in dataflows.
        let unknown = try #require(error(Self.specText, .builtin))
        #expect(unknown.key == "accelerators[0].dataflow" && unknown.value == "toy_broadcast" && unknown.accepted == ASICDataflow.acceptedNames)
        // Its own range: 128 rows are fine for the built-in arrays (up to 4096), not for the toy.
        let rows = try #require(error(Self.specText.replacingOccurrences(of: "rows: [4, 8]", with: "rows: [4, 128]")))
        #expect(rows.key == "accelerators[0].rows[1]" && rows.value == "128")
        #expect(rows.accepted == "an integer from 1 to 64 with toy_broadcast; 128 with " + ASICDataflow.allCases.map(\.rawValue).joined(separator: ", "))
        #expect(rows.problem.contains("toy_broadcast"))
        // A knob it does not declare.
        let l1 = try #require(error(Self.specText.replacingOccurrences(of: "columns: 8", with: "columns: 8, l1_bytes: 1024")))
        #expect(l1.key == "accelerators[0].l1_bytes" && l1.problem == "not a knob of dataflow toy_broadcast")
        #expect(l1.accepted == "the knobs of toy_broadcast: dataflow, rows, columns, buffer_kib, bandwidth_bytes_per_cycle")
        // Listed beside a built-in dataflow, a key must be a knob of both.
        let mixed = try #require(error(Self.specText.replacingOccurrences(of: "dataflow: toy_broadcast", with: "dataflow: [eyeriss, toy_broadcast], memory: preload_inputs")))
        #expect(mixed.key == "accelerators[0].memory" && mixed.problem == "not a knob of dataflow toy_broadcast")
    }

    /// The built-in dataflows declare their knobs too: SCALE-Sim's memory system and bandwidth mode
    /// are the systolic arrays' only.
    @Test func builtInDataflowsRejectKnobsTheyDoNotHave() throws {
        let base = "workload: {builtin: resnet20-cifar}\nplatform: {asic: 45nm, pe_budget: 1024}\naccelerators:\n  - {dataflow: eyeriss, rows: 16, columns: 16"
        let memory = try #require(error(base + ", memory: scalesim}\n", .builtin))
        #expect(memory.key == "accelerators[0].memory" && memory.value == "scalesim" && memory.accepted == "double_buffered, preload_inputs with eyeriss; scalesim with systolic_ws, systolic_os, systolic_is")
        let mode = try #require(error(base + ", scalesim_bandwidth: calc}\n", .builtin))
        #expect(mode.key == "accelerators[0].scalesim_bandwidth" && mode.problem == "not a knob of dataflow eyeriss")
        #expect(error(base.replacingOccurrences(of: "eyeriss", with: "systolic_ws") + ", memory: scalesim, scalesim_bandwidth: calc}\n", .builtin) == nil)
    }

    /// The explorer prices the toy by its own formulas: with an unbounded port nothing stalls, so
    /// a design's latency is Σ ⌈MACs / PEs⌉ + rows over the three products, worked out by hand:
    /// 4×8 = 32 PEs: (32 + 4) + (256 + 4) + (64 + 4) = 364 cycles; 8×8 = 64 PEs: (16 + 8) +
    /// (128 + 8) + (32 + 8) = 200 cycles.
    @Test func theExplorerRunsTheToyThroughSearch() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("toy-asic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let specPath = dir.appendingPathComponent("toy.yaml").path, csvPath = dir.appendingPathComponent("toy.csv").path
        try Self.specText.write(toFile: specPath, atomically: true, encoding: .utf8)
        let spec = try ASICDesignSpec.parse(text: Self.specText, file: specPath, dataflows: Self.dataflows)
        #expect(spec.space.networks[0].layers.map(\.macs) == [1024, 8192, 2048])
        let (designs, front) = ASICExplorer.explore(spec.space, clockMHz: spec.clockMHz, constraints: spec.constraints, objectives: spec.objectives, workers: 1)
        #expect(designs.map(\.latencyCycles) == [364, 200])
        #expect(front == [0, 1])  // faster but larger
        _ = try ASICJob.search(specPath: specPath, output: csvPath, workers: 1, dataflows: Self.dataflows, stderr: { _ in })
        let csv = try String(contentsOfFile: csvPath, encoding: .utf8).split(separator: "\n")
        let header = csv[0].split(separator: ",").map(String.init)
        let flow = try #require(header.firstIndex(of: "acc0_dataflow")), cycles = try #require(header.firstIndex(of: "latency_cycles"))
        #expect(csv.dropFirst().map { $0.split(separator: ",")[flow] } == ["toy_broadcast", "toy_broadcast"])
        #expect(csv.dropFirst().map { Double($0.split(separator: ",")[cycles]) } == [364, 200])
    }

    @Test func theListingsShowItsLineAndKnobs() throws {
        let text = PlatformListing.dataflows(Self.dataflows)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("toy_broadcast ") })
        #expect(line.contains("rows columns buffer_kib bandwidth_bytes_per_cycle") && line.contains(ToyBroadcastDataflow.summary))
        #expect(!PlatformListing.dataflows().contains("toy_broadcast"))
        let knobs = try PlatformListing.listing("knobs", template: "toy_broadcast", dataflows: Self.dataflows)
        #expect(knobs.contains("an integer from 1 to 64") && !knobs.contains("l1_bytes"))
        #expect(throws: UserError.self) { try PlatformListing.listing("knobs", template: "toy_broadcast") }
    }
}
