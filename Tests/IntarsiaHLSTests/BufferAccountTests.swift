import Foundation
import IntarsiaCore
import IntarsiaDriver
import IntarsiaFPGA
import IntarsiaHLS
import IntarsiaSpec
import Testing

/// The one account of on-chip buffers (IntarsiaFPGA `OnChipBuffers`): the model's BRAM18K and
/// URAM figures are its buffers' blocks, and the emitted code declares what it lists.
struct BufferAccountTests {
    static let kernels = ["mlp", "self-attention", "cnn-4l", "vae", "gating", "gpt2-medium"]

    static func evaluated(_ spec: DesignSpec, _ sets: [String]) throws -> (DesignPoint, Evaluation, [TaskRecord]) {
        let point = try EvaluateJob.point(spec: spec, template: nil, sets: sets)
        var recorder = BreakdownRecorder()
        let e = spec.model.evaluate(point, recorder: &recorder)
        return (point, e, recorder.tasks)
    }

    /// Every bundled InTAR spec in each template, with the knobs that change the buffers: the
    /// largest stage's blocks of the listed buffers, plus the scratchpad and the shell, are the
    /// evaluation's BRAM18K and URAM (the two are counted by different code paths).
    @Test func theListedBuffersAreTheModelsBlocks() throws {
        for k in Self.kernels {
            let spec = try DesignSpec.load(path: Toolchain.root.appendingPathComponent("designs/intar/\(k)-u280.yaml").path)
            for t in TemplateKind.allCases {
                // `matvec` is the dataflow template's knob only.
                let extras = t == .dataflow ? [[], ["matvec=outer", "weight_load=blocking"], ["matvec=dot", "lanes=384"]]
                    : [[], ["weight_load=blocking"], ["lanes=384"]]
                for extra in extras {
                    let sets = ["template=\(t.rawValue)"] + extra
                    let (p, e, tasks) = try Self.evaluated(spec, sets)
                    let stages = spec.model.onChipBuffers(p, tasks: tasks)
                    let bram = stages.map { $0.reduce(0) { $0 + $1.blocks.bram18k } }.max() ?? 0
                    let uram = stages.map { $0.reduce(0) { $0 + $1.blocks.uram } }.max() ?? 0
                    // The scratchpad as `evaluate` charges it (every template, the knob's value).
                    let scratch = Double(p.scratchpadKiB) * 1024
                    let scratchUram = scratch > 0 ? (scratch / FPGAPlatform.uramBytes).rounded(.up) : 0
                    #expect(Int(bram) + spec.platform.shell.bram18k == e.bram18k, "\(k) \(sets): bram18k")
                    #expect(Int(uram + scratchUram) + spec.platform.shell.uram == e.uram, "\(k) \(sets): uram")
                }
            }
        }
    }

    /// The MLP at full size (256 → 1024 → 2048 → 256, int16), dataflow, matvec auto, worked out
    /// by hand: fc1 reads the graph input (no buffer) and makes its outputs as dot products, so
    /// fc2 accumulates an outer product over relu1 as it streams: 2,048 accumulators of
    /// 16 + 16 + log2(1024) = 42 bits, and a FIFO of two of relu1's 1024 / 64 = 16 pieces (128
    /// elements); fc2's outputs exist only at its end, so fc3 holds relu2 whole (2,048 elements);
    /// the FIFOs after fc1, fc2 and fc3 hold two of their 1024, 2048 and 256 single-output pieces.
    /// One-row products have no weight buffer.
    @Test func theMLPsBuffersWorkedOutByHand() throws {
        let spec = try DesignSpec.load(path: Toolchain.root.appendingPathComponent("designs/intar/mlp-u280.yaml").path)
        let (p, _, tasks) = try Self.evaluated(spec, ["template=dataflow", "matvec=auto"])
        let got = spec.model.onChipBuffers(p, tasks: tasks).joined().map { "\(spec.workload.tasks[$0.task].name) \($0.role.rawValue) \(Int($0.elementBits))x\(Int($0.elements))" }
        #expect(got == ["relu1 fifo 16x2", "fc2 accumulators 42x2048", "fc2 fifo 16x128", "relu2 fifo 16x2", "fc3 operand 16x2048", "relu3 fifo 16x2"])
    }

    static func emitFull(_ spec: String, _ template: String, extra: [String] = [], params: [String: Int] = [:], force: Bool = true) throws -> HLSJob.Result {
        let dir = try Toolchain.scratch("bytes-\(template)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var o = HLSJob.Options(specPath: Toolchain.root.appendingPathComponent(spec).path, output: dir.path)
        o.sets = ["template=\(template)"] + extra
        o.parameters = params
        o.force = force
        o.golden = .never
        return try HLSJob.run(o)
    }

    /// Full size, dataflow: the bytes the emitted code declares (local buffers and FIFOs) are
    /// within 5% of the bytes the model counts where the emitted tasks stream as modelled (the
    /// MLP's matrix-vector products, matvec auto and outer). With matvec dot fc1 holds the graph
    /// input (512 bytes) the model does not count, 8% over; the other kernels are not there yet
    /// (docs/HLS.md, "Not done yet", lists their figures).
    @Test func declaredBytesMatchTheModelsWhereTheTasksStream() throws {
        for mode in [MatVecMode.auto, .outer] {
            let r = try Self.emitFull("designs/intar/mlp-u280.yaml", "dataflow", extra: ["matvec=\(mode.rawValue)"])
            let ratio = Double(r.emittedBufferBytes) / Double(r.modelBufferBytes)
            #expect(abs(ratio - 1) <= 0.05, "mlp \(mode): \(r.emittedBufferBytes) bytes declared, \(r.modelBufferBytes) counted")
        }
    }

    /// A design whose declared buffers exceed the part is refused with the bytes per storage
    /// kind (declared, available), and emitted with --force. Gating at full size, reconfigurable,
    /// no scratchpad in the model: the emitted scratchpad holds the stages' inner tensors
    /// (1,409,024 bytes, URAM), and the unit stages its off-chip MAC operand (down's spilled A,
    /// 32 × 11,008 int16) and output (up's and gate's, 32 × 11,008 int16) through two buffers of
    /// 704,512 bytes each (URAM): 2,818,048 bytes, more than 40 URAMs (40 · 32,768 = 1,310,720
    /// bytes) hold, while the model's own figures fit such a part.
    @Test func buffersThatDoNotFitAreRefusedUnlessForced() throws {
        let yaml = try String(contentsOf: Toolchain.root.appendingPathComponent("designs/intar/gating-u280.yaml"), encoding: .utf8)
        let dir = try Toolchain.scratch("fit")
        defer { try? FileManager.default.removeItem(at: dir) }
        let specFile = dir.appendingPathComponent("gating-40-urams.yaml")
        try yaml.replacingOccurrences(of: "platform:\n  name: u280", with: "platform:\n  name: u280\n  uram: 40")
            .write(to: specFile, atomically: true, encoding: .utf8)
        var o = HLSJob.Options(specPath: specFile.path, output: dir.appendingPathComponent("out").path)
        o.sets = ["template=reconfigurable", "scratchpad_kib=0"]
        o.golden = .never
        do {
            _ = try HLSJob.run(o)
            Issue.record("a design whose buffers exceed the part was emitted")
        } catch {
            #expect("\(error)".contains("do not fit xcu280-fsvh2892-2L-e (uram: 2818048 bytes declared, 1310720 available"), "\(error)")
        }
        o.force = true
        let r = try HLSJob.run(o)
        #expect(r.emittedBufferBytes > 1_310_720)
    }
}
