import Foundation
import Testing
import IntarsiaFPGA
@testable import IntarsiaDriver

/// The emitted projects, compiled with g++ and run: every bundled InTAR kernel and a GPT-2 block
/// at reduced sizes, in each of the three templates, pass C simulation bit-exactly against the
/// Swift reference, finish with the threaded stream model at the emitted FIFO depths, and lint.
struct CSimTests {
    /// Output elements of each kernel at its designs/hls size, worked out from the shapes:
    /// MLP 256/16; self-attention (256/16) × (1024/16); CNN-4L pool4 of 2·(224/16) → 14 × 14;
    /// VAE 2 × 28 × 28; gating (32/32) × (4096/32); GPT-2 block 32 tokens × 16·(64/16).
    static let outputElements = ["mlp": 16, "self-attention": 1024, "cnn-4l": 196, "vae": 1568, "gating": 128, "gpt2-medium-block": 2048]

    static func requireAPTypes() throws {
        try #require(FileManager.default.fileExists(atPath: Toolchain.apTypes.appendingPathComponent("ap_int.h").path),
                     "the ap_types headers are missing from \(Toolchain.apTypes.path): run scripts/fetch-ap-types.sh (scripts/setup.sh does)")
    }

    static func emit(_ kernel: String, _ template: TemplateKind, overrides: [String: Int] = [:]) throws -> URL {
        let dir = try Toolchain.scratch("\(kernel)-\(template.rawValue)")
        var o = HLSJob.Options(specPath: EmitterTests.spec(kernel), output: dir.path)
        o.sets = ["template=\(template.rawValue)"]
        o.apTypes = Toolchain.apTypes.path
        o.fifoDepthOverrides = overrides
        _ = try HLSJob.run(o)
        return dir
    }

    @Test func everyKernelInEveryTemplatePassesCSimThreadedAndLint() throws {
        try Self.requireAPTypes()
        let cases = Self.outputElements.keys.sorted().flatMap { k in TemplateKind.allCases.map { (k, $0) } }
        let failures = Mutex<[String]>([])
        let projects = try cases.map { try Self.emit($0.0, $0.1) }
        DispatchQueue.concurrentPerform(iterations: cases.count) { i in
            let (kernel, template) = cases[i]
            let name = "\(kernel) \(template.rawValue)"
            let n = Self.outputElements[kernel]!
            do {
                let csim = try Toolchain.run("make", ["-s", "csim"], in: projects[i])
                if csim.status != 0 || !csim.stdout.contains("\(n) passed, 0 failed") {
                    failures.withLock { $0.append("\(name): make csim (status \(csim.status)):\n\(csim.output.suffix(1500))") }
                }
                let threaded = try Toolchain.run("make", ["-s", "csim-threaded"], in: projects[i], environment: ["INTARSIA_STREAM_TIMEOUT": "30"])
                if threaded.status != 0 || !threaded.stdout.contains("\(n) passed, 0 failed") || threaded.stderr.contains("left over") {
                    failures.withLock { $0.append("\(name): make csim-threaded (status \(threaded.status)):\n\(threaded.output.suffix(1500))") }
                }
                let lint = try Toolchain.run("make", ["-s", "lint"], in: projects[i])
                if lint.status != 0 || !lint.output.contains("clean") {
                    failures.withLock { $0.append("\(name): make lint (status \(lint.status)):\n\(lint.output.suffix(1500))") }
                }
            } catch {
                failures.withLock { $0.append("\(name): \(error)") }
            }
        }
        let all = failures.withLock { $0 }
        #expect(all.isEmpty, "\(all.count) failure(s):\n\(all.joined(separator: "\n\n"))")
        for p in projects { try? FileManager.default.removeItem(at: p) }
    }

    /// Every operator the emitter knows, in a fixed<16,10> workload (the ap_fixed path; the bundled
    /// kernels are integer), with strided and padded (transposed) convolutions, a depthwise and a
    /// grouped convolution and a grouped transposed one, window-3 max and
    /// average pools,
    /// two forks whose branches meet again, five outputs, and (sequential, no scratchpad) spills.
    static let coverageSpec = """
    name: ops-coverage
    workload:
      name: ops
      data_type: fixed<16,10>
      tasks:
        - {name: conv, op: conv2d, channels: 3, height: 9, width: 9, filters: 4, kernel: 3, stride: 2, padding: 1}
        - {name: act, op: silu, elements: 100, inputs: [conv]}
        - {name: dw, op: conv2d, channels: 4, height: 5, width: 5, filters: 4, kernel: 3, padding: 1, groups: 4, inputs: [act]}
        - {name: gconv, op: conv2d, channels: 4, height: 5, width: 5, filters: 2, kernel: 1, groups: 2, inputs: [act]}
        - {name: gtconv, op: transposed_conv2d, channels: 2, height: 5, width: 5, filters: 4, kernel: 3, stride: 2, padding: 1, groups: 2, inputs: [gconv]}
        - {name: tconv, op: transposed_conv2d, channels: 4, height: 5, width: 5, filters: 2, kernel: 3, stride: 2, padding: 1, inputs: [act]}
        - {name: up, op: upsample, channels: 2, height: 9, width: 9, factor: 2, inputs: [tconv]}
        - {name: pool, op: pool, channels: 2, height: 18, width: 18, window: 3, inputs: [up]}
        - {name: apool, op: pool, kind: avg, channels: 2, height: 18, width: 18, window: 3, inputs: [up]}
        - {name: fc, op: matmul, m: 8, k: 9, n: 12, inputs: [pool]}
        - {name: ln, op: layernorm, rows: 8, cols: 12, inputs: [fc]}
        - {name: sm, op: softmax, rows: 8, cols: 12, inputs: [ln]}
        - {name: g, op: gelu, elements: 96, inputs: [fc]}
        - {name: sg, op: sigmoid, elements: 96, inputs: [g]}
        - {name: ex, op: exp, elements: 96, inputs: [ln]}
        - {name: prod, op: mul, elements: 96, inputs: [sm, sg]}
        - {name: total, op: add, elements: 96, inputs: [prod, ex]}
        - {name: relu_out, op: relu, elements: 96, inputs: [fc]}
    platform:
      name: u280
    templates:
      dataflow:
        lanes: [4]
      sequential:
        lanes: [4]
        scratchpad_kib: [0]
      reconfigurable:
        lanes: [4]
        compute_units: [2]
        scratchpad_kib: [1]
    objectives: [latency_ms, dsp]
    """

    @Test func everyOperatorInFixedPointInEveryTemplate() throws {
        try Self.requireAPTypes()
        let dir = try Toolchain.scratch("coverage")
        defer { try? FileManager.default.removeItem(at: dir) }
        let specURL = dir.appendingPathComponent("ops.yaml")
        try Self.coverageSpec.write(to: specURL, atomically: true, encoding: .utf8)
        for t in TemplateKind.allCases {
            let out = dir.appendingPathComponent(t.rawValue)
            var o = HLSJob.Options(specPath: specURL.path, output: out.path)
            o.sets = ["template=\(t.rawValue)"]
            o.apTypes = Toolchain.apTypes.path
            _ = try HLSJob.run(o)
            let params = try String(contentsOf: out.appendingPathComponent("src/params.h"), encoding: .utf8)
            #expect(params.contains("typedef ap_fixed<16, 6, AP_RND, AP_SAT> act_t;"))
            // Two outputs of 8 × 12, the average pool's 2 × 6 × 6, the depthwise convolution's
            // 4 × 5 × 5 and the grouped transposed one's 4 × 9 × 9 (the grouped convolution feeds it).
            for target in ["csim", "csim-threaded"] {
                let r = try Toolchain.run("make", ["-s", target], in: out)
                #expect(r.status == 0 && r.stdout.contains("688 passed, 0 failed"), "\(t.rawValue) \(target): \(r.output.suffix(1500))")
            }
            if t == .sequential {
                let top = try String(contentsOf: out.appendingPathComponent("src/top.cpp"), encoding: .utf8)
                let conv = try #require(top.split(separator: "\n").first { $0.hasSuffix("// act") })
                #expect(conv.contains("LOC_OFF_CHIP"), "with no scratchpad, act reads the spilled conv output: \(conv)")
            }
        }
    }

    @Test(arguments: ["buffered", "blocking"])
    func otherWeightLoadsSimulateBitExactly(_ load: String) throws {
        try Self.requireAPTypes()
        // The default spec value is double_buffered (covered above); the others change the module.
        for (kernel, template) in [("gpt2-medium-block", TemplateKind.dataflow), ("vae", .reconfigurable)] {
            let dir = try Toolchain.scratch("\(kernel)-\(load)")
            defer { try? FileManager.default.removeItem(at: dir) }
            var o = HLSJob.Options(specPath: EmitterTests.spec(kernel), output: dir.path)
            o.sets = ["template=\(template.rawValue)", "weight_load=\(load)"]
            o.apTypes = Toolchain.apTypes.path
            _ = try HLSJob.run(o)
            let code = load == "blocking" ? 2 : 1
            let params = try String(contentsOf: dir.appendingPathComponent("src/params.h"), encoding: .utf8)
            #expect(params.contains("static const int WEIGHT_LOAD = \(code);"))
            let csim = try Toolchain.run("make", ["-s", "csim"], in: dir)
            #expect(csim.status == 0 && csim.stdout.contains("\(Self.outputElements[kernel]!) passed, 0 failed"), "\(kernel) \(load): \(csim.output.suffix(1500))")
        }
    }

    @Test func tooShallowFIFOIsCaughtByTheThreadedModelOnly() throws {
        try Self.requireAPTypes()
        // GPT-2's ln1 feeds ffn1 (which reads its operand whole before writing) and residual2
        // (which pairs ffn2's output with ln1's element by element): with one slot on
        // ln1 → residual2 the fork blocks before ffn1 has its operand, and nothing moves.
        let dir = try Self.emit("gpt2-medium-block", .dataflow, overrides: ["ln1_to_residual2": 1])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try String(contentsOf: dir.appendingPathComponent("src/top.cpp"), encoding: .utf8).contains("hls::stream<act_t, 1> ln1_to_residual2"))
        let threaded = try Toolchain.run("make", ["-s", "csim-threaded"], in: dir, timeoutSeconds: 120, environment: ["INTARSIA_STREAM_TIMEOUT": "10"])
        #expect(threaded.status != 0)
        #expect(threaded.stderr.contains("deadlock") && threaded.stderr.contains("ln1_to_residual2"), "\(threaded.output.suffix(2000))")
        // Vitis-style C simulation (unbounded FIFOs, one process after another) cannot see it.
        let csim = try Toolchain.run("make", ["-s", "csim"], in: dir)
        #expect(csim.status == 0 && csim.stdout.contains("2048 passed, 0 failed"), "\(csim.output.suffix(1500))")
    }
}

/// A lock around a value, for collecting results from concurrent work.
final class Mutex<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ v: Value) { value = v }
    func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
