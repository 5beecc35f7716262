import Foundation
import Testing
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaSpec
@testable import IntarsiaDriver
@testable import IntarsiaHLS
import IntarsiaReports

/// Emitted fragments of small designs, checked against values worked out from the workload and
/// the design point (not pasted from the emitter's output).
struct EmitterTests {
    static func spec(_ name: String) -> String { Toolchain.root.appendingPathComponent("designs/hls/\(name)-small.yaml").path }

    /// Emits a project and returns its files by path.
    static func emit(_ kernel: String, _ sets: [String], force: Bool = false, overrides: [String: Int] = [:]) throws -> (URL, [String: String]) {
        let dir = try Toolchain.scratch("\(kernel)-emit")
        var o = HLSJob.Options(specPath: spec(kernel), output: dir.path)
        o.sets = sets
        o.force = force
        o.apTypes = Toolchain.apTypes.path
        o.fifoDepthOverrides = overrides
        let r = try HLSJob.run(o)
        var files: [String: String] = [:]
        for f in r.files { files[f] = try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8) }
        return (dir, files)
    }

    @Test func dataflowTopCarriesInterfacesStreamsAndLanes() throws {
        // MLP at size_divisor 16: 16 → 64 → 128 → 16, int16, 16 lanes in the spec.
        let (_, f) = try Self.emit("mlp", ["template=dataflow"])
        let top = try #require(f["src/top.cpp"])
        #expect(top.contains("#pragma HLS DATAFLOW"))
        #expect(top.contains("#pragma HLS INTERFACE s_axilite port=return"))
        // Weights of fc2: 64 × 128 = 8192 elements on their own m_axi port.
        #expect(top.contains("#pragma HLS INTERFACE m_axi port=w_fc2 offset=slave bundle=gmem"))
        #expect(top.contains("depth=8192"))
        // fc1 (1 × 64 outputs, 64 pieces) to relu1: the model's FIFO holds two pieces = 2 elements.
        #expect(top.contains("hls::stream<act_t, 2> fc1_to_relu1(\"fc1_to_relu1\");"))
        #expect(top.contains("#pragma HLS STREAM variable=fc1_to_relu1 depth=2"))
        // relu3 is the sink: stored to out_relu3 (16 elements).
        #expect(top.contains("intarsia::store_stream<act_t>(relu3_to_output, out_relu3, 16)"))
        let params = try #require(f["src/params.h"])
        #expect(params.contains("typedef ap_int<16> act_t;"))
        // fc3 reduces over 128 terms: accumulator 16 + 16 + 7 bits, requantised by 8.
        #expect(params.contains("struct cfg_fc3 {\n    static const int M = 1;\n    static const int K = 128;\n    static const int N = 16;"))
        #expect(params.contains("static const int ACC_W = 39;"))
        #expect(params.contains("static const int SHIFT = 8;"))
        // Each MAC task's lanes in the model (its allocation) become its reduction unroll,
        // min(lanes, K), and the cyclic partition factor of the input it holds (x); fc2, which
        // the model accumulates as an outer product over relu1 (matvec auto after fc1's dot
        // products), partitions its accumulators by min(lanes, N = 128) instead.
        let spec = try DesignSpec.load(path: Self.spec("mlp"))
        let point = try EvaluateJob.point(spec: spec, template: nil, sets: ["template=dataflow"])
        var rec = BreakdownRecorder()
        _ = spec.solvingModel.evaluate(point, recorder: &rec)
        for (task, k) in [("fc1", 16), ("fc2", 64), ("fc3", 128)] {
            let lanes = try #require(rec.tasks.first { $0.task == task }).lanes
            let unroll = min(lanes, k)
            #expect(params.contains("struct cfg_\(task) {") && params.components(separatedBy: "struct cfg_\(task) {")[1].contains("static const int LANES = \(unroll);"))
            let body = top.components(separatedBy: "static void task_\(task)(")[1].components(separatedBy: "\n}\n")[0]
            if task == "fc2" {
                let across = min(lanes, 128)
                if across > 1 { #expect(body.contains("#pragma HLS ARRAY_PARTITION variable=acc cyclic factor=\(across) dim=1"), "\(task): \(body)") }
                #expect(body.contains("intarsia::gemv_outer_stream<\(across), cfg_fc2::ACC_W>(in0, acc, w, out,"), "\(task): \(body)")
            } else {
                if unroll > 1 { #expect(body.contains("#pragma HLS ARRAY_PARTITION variable=x cyclic factor=\(unroll) dim=1"), "\(task): \(body)") }
                #expect(body.contains("intarsia::gemv_dot_stream<cfg_\(task)::LANES, cfg_\(task)::ACC_W>(in0, x, w, out,"), "\(task): \(body)")
            }
        }
        #expect(f["src/modules.h"]!.contains("#pragma HLS UNROLL"))
        #expect(params.contains("#define INTARSIA_MAC_LOOP _Pragma(\"HLS PIPELINE II=1\") _Pragma(\"HLS LOOP_FLATTEN\")"))
        let (_, g) = try Self.emit("mlp", ["template=dataflow", "pipelined=false", "flatten_loops=false"])
        #expect(g["src/params.h"]!.contains("#define INTARSIA_MAC_LOOP _Pragma(\"HLS PIPELINE off\") _Pragma(\"HLS LOOP_FLATTEN off\")"))
    }

    @Test func reconfigurableInstructionListFollowsTheModelsSchedule() throws {
        let (_, f) = try Self.emit("self-attention", ["template=reconfigurable"])
        let top = try #require(f["src/top.cpp"])
        // Self-attention at size_divisor 16: L = 16, d = 64, int16 (shift 8).
        #expect(top.contains("{OP_GEMM_W, 0, 0, {16, 64, 64, 1, 0, 0, 0, 0, 0, 0}, 8, 0, LOC_OFF_CHIP, 0,"))  // q_proj reads the input at 0
        // Q·Kᵀ: 16 × 64 × 16, one head, B transposed; softmax over 16 rows of 16.
        #expect(top.contains("{16, 64, 16, 1, 1, 0, 0, 0, 0, 0}, 8, 0, LOC_ON_CHIP"))
        #expect(top.contains("{OP_SOFTMAX,"))
        #expect(top.contains("{16, 16, 0, 0, 0, 0, 0, 0, 0, 0}"))
        #expect(top.contains("template <int U, int LANES>\nstatic void compute_unit(const instr_t& ins"))
        #expect(top.contains("case 1: compute_unit<1,"))  // two units in the spec
        // Every instruction's stage is the model's stage of its task.
        let spec = try DesignSpec.load(path: Self.spec("self-attention"))
        let p = try EvaluateJob.point(spec: spec, template: nil, sets: ["template=reconfigurable"])
        var rec = BreakdownRecorder()
        _ = spec.solvingModel.evaluate(p, recorder: &rec)
        for t in rec.tasks {
            let line = try #require(top.split(separator: "\n").first { $0.hasSuffix("// \(t.task)") }, "no instruction for \(t.task)")
            let stage = line.split(separator: ",")[1].trimmingCharacters(in: .whitespaces)
            #expect(stage == String(t.stage), "\(t.task): stage \(stage), the model says \(t.stage)")
        }
    }

    @Test func vendorScriptsNameThePartClockTopAndEveryFile() throws {
        for t in TemplateKind.allCases {
            let (_, f) = try Self.emit("gating", ["template=\(t.rawValue)"])
            let tcl = try #require(f["run_hls.tcl"]), cfg = try #require(f["hls_config.cfg"])
            // U280: xcu280-fsvh2892-2L-e at 300 MHz (3.333 ns).
            #expect(tcl.contains("set_part {xcu280-fsvh2892-2L-e}") && cfg.contains("part=xcu280-fsvh2892-2L-e"))
            #expect(tcl.contains("create_clock -period 3.333") && cfg.contains("clock=3.333ns"))
            #expect(tcl.contains("set_top intarsia_top") && cfg.contains("syn.top=intarsia_top"))
            for path in f.keys where path.hasPrefix("src/") {
                #expect(tcl.contains("add_files \(path)") && cfg.contains("syn.file=\(path)"), "\(path) missing from the vendor scripts")
            }
            #expect(tcl.contains("add_files -tb tb/tb_top.cpp") && tcl.contains("add_files -tb tb/data"))
            #expect(cfg.contains("tb.file=tb/tb_top.cpp") && cfg.contains("tb.file=tb/data"))
            // The open ap headers are for g++ only: no include path to them for the vendor tools.
            for text in [tcl, cfg] { #expect(!text.contains("ap_types") && !text.contains("-isystem") && !text.contains("sim/")) }
            for (path, text) in f where path.hasPrefix("src/") { #expect(!text.contains("ap_types"), "\(path) names the ap_types directory") }
            #expect(f["Makefile"]!.contains("-isystem $(AP_TYPES)"))
        }
    }

    @Test func infeasibleDesignsAreRefusedUnlessForced() throws {
        // 1,048,576 lanes need far more DSPs than a U280 has.
        do {
            _ = try Self.emit("mlp", ["template=sequential", "lanes=1048576"])
            Issue.record("an infeasible design was emitted")
        } catch {
            #expect("\(error)".contains("infeasible") && "\(error)".contains("dsp") && "\(error)".contains("--force"))
        }
        let (_, f) = try Self.emit("mlp", ["template=sequential", "lanes=1048576"], force: true)
        #expect(f["README.md"]!.contains("no (emitted with --force)"))
        #expect(f["design.json"]!.contains("\"feasible\" : false"))
    }

    @Test func badRequestsGetClearErrors() throws {
        func message(_ o: HLSJob.Options) -> String {
            do { _ = try HLSJob.run(o); return "accepted" } catch { return "\(error)" }
        }
        let asic = HLSJob.Options(specPath: Toolchain.root.appendingPathComponent("designs/asic/cifar-unet-hetero-28nm.yaml").path, output: "/tmp/unused")
        #expect(message(asic).contains("an ASIC spec"))
        var fifo = HLSJob.Options(specPath: Self.spec("mlp"), output: try Toolchain.scratch("fifo").path)
        fifo.fifoDepthOverrides = ["nope": 3]
        let m = message(fifo)
        #expect(m.contains("'nope'") && m.contains("fc1_to_relu1"), "\(m)")
        let unwritable = HLSJob.Options(specPath: Self.spec("mlp"), output: "/dev/null/project")
        #expect(message(unwritable).contains("/dev/null is not a directory"))
        var csv = HLSJob.Options(specPath: Self.spec("mlp"), output: "/tmp/unused")
        csv.csv = Self.spec("mlp")  // a YAML file, not a results CSV
        #expect(message(csv).contains("a CSV written by 'intarsia search'"))
    }

    @Test func designJSONRecordsThePointAndAStableHash() throws {
        let (_, a) = try Self.emit("vae", ["template=sequential"])
        let (_, b) = try Self.emit("vae", ["template=sequential"])
        struct Record: Decodable {
            var design: [String: String]
            var part: String
            var contentHash: String
            var tasks: [Task]
            struct Task: Decodable { var name: String; var location: String }
        }
        let ra = try JSONDecoder().decode(Record.self, from: Data(a["design.json"]!.utf8))
        let rb = try JSONDecoder().decode(Record.self, from: Data(b["design.json"]!.utf8))
        #expect(ra.design["template"] == "sequential" && ra.design["lanes"] == "16" && ra.part == "xcu280-fsvh2892-2L-e")
        #expect(ra.contentHash == rb.contentHash && ra.contentHash.count == 16)
        #expect(ra.tasks.map(\.name) == ["enc1", "enc1_relu", "enc2", "enc2_relu", "reparam", "dec1", "dec2", "dec2_relu"])
        #expect(ra.tasks.last?.location == "off_chip")  // the output
    }

    @Test func spilledTensorsLiveOffChip() throws {
        // With no scratchpad every tensor that crosses a stage boundary is spilled (spill: overflow).
        let (_, f) = try Self.emit("self-attention", ["template=sequential", "scratchpad_kib=0"])
        let top = try #require(f["src/top.cpp"])
        let qk = try #require(top.split(separator: "\n").first { $0.hasSuffix("// qk") })
        #expect(qk.contains("LOC_OFF_CHIP"), "qk should read spilled Q and K: \(qk)")
    }

    @Test func fromAResultsCSVRow() throws {
        let dir = try Toolchain.scratch("csv")
        let csv = dir.appendingPathComponent("r.csv")
        // The knob and ranking columns as written; every other column of the design CSV (the
        // reader takes only whole design CSVs) filled with a placeholder figure.
        let given = """
        id,template,lanes,allocation,compute_units,scratchpad_kib,weight_load,flatten_loops,word_bits,spill,pipelined,matvec,stream_elements,latency_cycles,latency_ms,feasible
        0,dataflow,16,proportional,,,double_buffered,true,512,,true,auto,0,900,0.003,true
        1,reconfigurable,32,,3,64,double_buffered,true,512,overflow,true,auto,0,500,0.0017,true
        2,sequential,64,,,64,double_buffered,true,512,overflow,true,,,100,0.0003,false
        """.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = DesignColumns.header
        var text = header.joined(separator: ",") + "\n"
        for row in given.dropFirst() {
            text += header.map { c in given[0].firstIndex(of: c).map { row[$0] } ?? (c == "violations" ? "" : c == "pareto" ? "false" : "1") }
                .joined(separator: ",") + "\n"
        }
        try text.write(to: csv, atomically: true, encoding: .utf8)
        let best = try HLSJob.sets(fromCSV: csv.path, rank: 1, id: nil, metric: "latency_cycles")
        #expect(best.contains("template=reconfigurable") && best.contains("lanes=32") && best.contains("compute_units=3"))
        let byID = try HLSJob.sets(fromCSV: csv.path, rank: nil, id: 0, metric: "latency_cycles")
        #expect(byID.contains("template=dataflow") && byID.contains("lanes=16"))
        #expect(throws: UserError.self) { try HLSJob.sets(fromCSV: csv.path, rank: 3, id: nil, metric: "latency_cycles") }
    }
}

/// Full-size designs, as handed to synthesis: the published shapes in params.h and a clean lint;
/// testbench data only where the reference stays small (MLP 2.9 M, CNN-4L 11.3 M, VAE 0.1 M MACs),
/// not for self-attention (805 M), gating (4.3 G) or the GPT-2 block (L = 256: 1.1 G).
struct FullSizeEmissionTests {
    static let cases: [(spec: String, params: [String: Int], shape: String)] = [
        ("designs/intar/mlp-u280.yaml", [:], "struct cfg_fc2 {\n    static const int M = 1;\n    static const int K = 1024;\n    static const int N = 2048;"),
        ("designs/intar/self-attention-u280.yaml", [:], "struct cfg_qk {\n    static const int M = 256;\n    static const int K = 1024;\n    static const int N = 256;"),
        ("designs/intar/cnn-4l-u280.yaml", [:], "struct cfg_conv3 {\n    static const int BATCH = 1;\n    static const int CHANNELS = 1;\n    static const int HEIGHT = 896;"),
        ("designs/intar/vae-u280.yaml", [:], "struct cfg_dec1 {\n    static const int BATCH = 1;\n    static const int CHANNELS = 1;\n    static const int HEIGHT = 18;"),
        ("designs/intar/gating-u280.yaml", [:], "struct cfg_down {\n    static const int M = 32;\n    static const int K = 11008;\n    static const int N = 4096;"),
        ("designs/hls/gpt2-medium-block-small.yaml", ["size_divisor": 1, "sequence_length": 256],
         "struct cfg_qk {\n    static const int M = 256;\n    static const int K = 64;\n    static const int N = 4096;\n    static const int HEADS = 16;"),
    ]

    @Test func fullSizeDesignsEmitWithoutDataAndLint() throws {
        try CSimTests.requireAPTypes()
        var emitted: [(String, URL)] = []
        for c in Self.cases {
            for t in TemplateKind.allCases {
                let dir = try Toolchain.scratch("full-\(t.rawValue)")
                var o = HLSJob.Options(specPath: Toolchain.root.appendingPathComponent(c.spec).path, output: dir.path)
                o.sets = ["template=\(t.rawValue)"]
                o.parameters = c.params
                o.force = true
                o.apTypes = Toolchain.apTypes.path
                let r = try HLSJob.run(o)
                let small = ["mlp", "cnn-4l", "vae"].contains { c.spec.contains("/\($0)-") }
                #expect(r.summary.contains("no testbench data") == !small, "\(c.spec) \(t.rawValue): \(r.summary)")
                #expect(r.files.contains { $0.hasSuffix(".dat") } == small)
                let params = try String(contentsOf: dir.appendingPathComponent("src/params.h"), encoding: .utf8)
                #expect(params.contains(c.shape), "\(c.spec): shape not found in params.h")
                emitted.append(("\(c.spec) \(t.rawValue)", dir))
            }
        }
        let failures = Mutex<[String]>([])
        let projects = emitted
        DispatchQueue.concurrentPerform(iterations: projects.count) { i in
            do {
                let lint = try Toolchain.run("make", ["-s", "lint"], in: projects[i].1)
                if lint.status != 0 || !lint.output.contains("clean") { failures.withLock { $0.append("\(projects[i].0): \(lint.output.suffix(1200))") } }
            } catch { failures.withLock { $0.append("\(projects[i].0): \(error)") } }
        }
        let all = failures.withLock { $0 }
        #expect(all.isEmpty, "\(all.joined(separator: "\n\n"))")
        for p in projects { try? FileManager.default.removeItem(at: p.1) }
    }
}

/// The vendor flow, only where Vitis HLS is installed (it is not on the CI machines: skipped, and
/// the test list says so).
struct VendorFlowTests {
    static let vitis: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let p = "\(dir)/vitis_hls"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }()

    @Test(.enabled(if: vitis != nil, "vitis_hls is not on PATH: the vendor flow is not run here"))
    func vitisCSimulationOfAnEmittedProject() throws {
        let (dir, _) = try EmitterTests.emit("mlp", ["template=dataflow"])
        let tcl = dir.appendingPathComponent("csim_only.tcl")
        let text = try String(contentsOf: dir.appendingPathComponent("run_hls.tcl"), encoding: .utf8)
            .replacingOccurrences(of: "csynth_design\n", with: "").replacingOccurrences(of: "export_design -format xo\n", with: "")
        try text.write(to: tcl, atomically: true, encoding: .utf8)
        let r = try Toolchain.run(Self.vitis!, ["-f", tcl.path], in: dir, timeoutSeconds: 1800)
        #expect(r.status == 0 && r.output.contains("16 passed, 0 failed"), "\(r.output.suffix(3000))")
    }
}
