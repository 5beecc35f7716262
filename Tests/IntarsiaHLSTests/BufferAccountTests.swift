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
    /// by hand: fc1 reads the graph input, held whole (256 elements: nothing to accumulate over)
    /// for its dot products, so
    /// fc2 accumulates an outer product over relu1 as it streams: 2,048 accumulators of
    /// 16 + 16 + log2(1024) = 42 bits, and a FIFO of two of relu1's 1024 / 64 = 16 pieces (128
    /// elements); fc2's outputs exist only at its end, so fc3 holds relu2 whole (2,048 elements);
    /// the FIFOs after fc1, fc2 and fc3 hold two of their 1024, 2048 and 256 single-output pieces.
    /// One-row products have no weight buffer.
    @Test func theMLPsBuffersWorkedOutByHand() throws {
        let spec = try DesignSpec.load(path: Toolchain.root.appendingPathComponent("designs/intar/mlp-u280.yaml").path)
        let (p, _, tasks) = try Self.evaluated(spec, ["template=dataflow", "matvec=auto"])
        let got = spec.model.onChipBuffers(p, tasks: tasks).joined().map { "\(spec.workload.tasks[$0.task].name) \($0.role.rawValue) \(Int($0.elementBits))x\(Int($0.elements))" }
        #expect(got == ["fc1 whole_input 16x256", "relu1 fifo 16x2", "fc2 accumulators 42x2048", "fc2 fifo 16x128", "relu2 fifo 16x2", "fc3 operand 16x2048", "relu3 fifo 16x2"])
    }

    /// A full-size project without testbench data in a scratch directory (the caller removes it).
    static func emitFull(_ spec: String, _ template: String, extra: [String] = [], params: [String: Int] = [:]) throws -> (HLSJob.Result, URL) {
        let dir = try Toolchain.scratch("bytes-\(template)")
        var o = HLSJob.Options(specPath: Toolchain.root.appendingPathComponent(spec).path, output: dir.path)
        o.sets = ["template=\(template)"] + extra
        o.parameters = params
        o.force = true
        o.golden = .never
        return (try HLSJob.run(o), dir)
    }

    /// Full size, dataflow, every bundled InTAR kernel, GPT-2 medium (designs/intar) and the GPT-2
    /// block (L = 256), and the MLP with matvec outer and dot: the bytes the emitted code declares,
    /// read from its text (`declaredBytes`), are the project's own account and within 5% of the
    /// bytes the model counts. (bert-base-schedule and resnet50-schedule are refused by the
    /// emitter: a head split and batch norm have no HLS module.)
    @Test func declaredBytesMatchTheModelsAtFullSize() throws {
        try CSimTests.requireAPTypes()
        let cases: [(String, [String], [String: Int])] = [
            ("designs/intar/mlp-u280.yaml", [], [:]), ("designs/intar/mlp-u280.yaml", ["matvec=outer"], [:]),
            ("designs/intar/mlp-u280.yaml", ["matvec=dot"], [:]),
            ("designs/intar/self-attention-u280.yaml", [], [:]), ("designs/intar/cnn-4l-u280.yaml", [], [:]),
            ("designs/intar/vae-u280.yaml", [], [:]), ("designs/intar/gating-u280.yaml", [], [:]),
            ("designs/intar/gating-u280.yaml", ["weight_load=blocking"], [:]),
            ("designs/intar/gpt2-medium-u280.yaml", [], [:]),
            ("designs/hls/gpt2-medium-block-small.yaml", [], ["size_divisor": 1, "sequence_length": 256]),
        ]
        for (spec, extra, params) in cases {
            let (r, dir) = try Self.emitFull(spec, "dataflow", extra: extra, params: params)
            defer { try? FileManager.default.removeItem(at: dir) }
            let declared = try Self.declaredBytes(dir)
            #expect(abs(declared - Double(r.emittedBufferBytes)) <= 1, "\(spec) \(extra): \(declared) bytes in the code, \(r.emittedBufferBytes) in its account")
            let ratio = declared / Double(r.modelBufferBytes)
            #expect(abs(ratio - 1) <= 0.05, "\(spec) \(extra): \(declared) bytes declared, \(r.modelBufferBytes) counted")
        }
    }

    /// Gating at full size (x 32 × 4096; up and gate 4096 → 11008, down 11008 → 4096, int16,
    /// double-buffered weights), worked out by hand: up and gate each hold the graph input whole
    /// (32 · 4096 · 2 = 262,144 bytes) and a pair of weight columns (2 · 4096 · 2 = 16,384), and
    /// write their columns as they complete (no output buffer); down takes add's columns as they
    /// stream and accumulates outer products: 32 · 4096 accumulators of 16 + 16 + ceil(log2
    /// 11008) = 46 bits (753,664 bytes) and a row of 4096 weights (8,192), no weight column; the
    /// FIFOs hold two 32-element columns of up and gate (128 bytes each) and two 64-element
    /// pieces of silu and add (256 each). Down's accumulators leave column by column, and the
    /// store process writes them to their row-major places.
    @Test func gatingsBuffersWorkedOutByHand() throws {
        let (r, dir) = try Self.emitFull("designs/intar/gating-u280.yaml", "dataflow")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(r.modelBufferBytes == 2 * 262_144 + 753_664 + 8_192 + 2 * 16_384 + 2 * 128 + 2 * 256)
        let top = try String(contentsOf: dir.appendingPathComponent("src/top.cpp"), encoding: .utf8)
        #expect(!top.contains("out_buf"))
        #expect(top.contains("intarsia::gemm_cols_stream<cfg_up::LANES") && top.contains("intarsia::gemm_cols_stream<cfg_gate::LANES"))
        #expect(top.contains("intarsia::gemm_outer_cols_stream<") && top.contains("static ap_int<cfg_down::ACC_W> acc[131072];"))
        #expect(top.contains("intarsia::store_stream_cols<act_t>(down_to_output, out_down, 32, 4096)"))
    }

    /// Bytes an emitted dataflow project declares, read from its code: each `static T name[N];`
    /// and `hls::stream<act_t, D>` of src/top.cpp at the element width src/params.h gives its type
    /// (`act_t`, a task's `w_t` or `ACC_W`, `ap_int<N>`, `long long`), and the module library's own
    /// buffers (sized by template arguments) from the README's rows declared in a module.
    static func declaredBytes(_ dir: URL) throws -> Double {
        let top = try String(contentsOf: dir.appendingPathComponent("src/top.cpp"), encoding: .utf8)
        let params = try String(contentsOf: dir.appendingPathComponent("src/params.h"), encoding: .utf8)
        let readme = try String(contentsOf: dir.appendingPathComponent("README.md"), encoding: .utf8)
        func width(_ typedef: String) -> Double? {
            guard let lt = typedef.firstIndex(of: "<") else { return typedef.hasPrefix("long long") ? 64 : nil }
            return Double(typedef[typedef.index(after: lt)...].prefix { $0.isNumber })
        }
        func cfg(_ task: String, _ key: String) -> String? {
            guard let at = params.range(of: "struct cfg_\(task) {") else { return nil }
            let body = params[at.upperBound...].prefix { $0 != "}" }
            return body.split(separator: "\n").first { $0.contains(key) }.map(String.init)
        }
        let act = params.split(separator: "\n").first { $0.hasPrefix("typedef") && $0.hasSuffix(" act_t;") }.flatMap { width(String($0.dropFirst(8))) }
        var bytes = 0.0
        for line in top.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("hls::stream<act_t, "), let a = act {
                bytes += Double(line.dropFirst(19).prefix { $0.isNumber })! * a / 8
            } else if line.hasPrefix("static "), line.hasSuffix("];"), let open = line.lastIndex(of: "[") {
                let type = String(line.dropFirst(7)[..<open]).split(separator: " ").dropLast().joined(separator: " ")
                let elements = Double(line[line.index(after: open)...].prefix { $0.isNumber })!
                var bits: Double?
                if type == "act_t" { bits = act }
                else if type.hasPrefix("cfg_"), type.hasSuffix("::w_t") { bits = cfg(String(type.dropFirst(4).dropLast(5)), "w_t;").flatMap { width($0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "typedef ", with: "")) } }
                else if type.hasPrefix("ap_int<cfg_") { bits = cfg(String(type.dropFirst(11).prefix { $0 != ":" }), "ACC_W =").flatMap { Double($0.split(separator: "=").last!.trimmingCharacters(in: .whitespaces).dropLast()) } }
                else { bits = width(type) }
                guard let b = bits else { Issue.record("\(dir.lastPathComponent): no width for '\(type)'"); continue }
                bytes += elements * b / 8
            }
        }
        for row in readme.split(separator: "\n") where row.contains("| module |") {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            bytes += Double(cells[5]) ?? 0
        }
        return bytes
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
