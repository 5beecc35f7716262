import Foundation
import Testing
import IntarsiaCore
import IntarsiaFPGA
@testable import IntarsiaDriver

/// Random small workloads (seeded, so the same every run) written as inline specs, emitted in a
/// template each and run in C simulation: shapes the bundled kernels never use (a reduction
/// shorter than the lanes, one-wide outputs, strides, a tensor read twice, Q·Kᵀ-style products of
/// a tensor with itself) must still be bit-exact.
struct RandomWorkloadTests {
    enum Tensor {
        case image(c: Int, h: Int, w: Int)
        case matrix(rows: Int, cols: Int)
        var elements: Int {
            switch self {
            case let .image(c, h, w): return c * h * w
            case let .matrix(r, n): return r * n
            }
        }
    }

    /// An inline spec of 4 to 7 tasks in a chain (with self-products) from `seed`.
    static func spec(seed: UInt64) -> (text: String, outputs: Int) {
        var rng = SplitMix64(seed: seed)
        func pick(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(rng.next() % UInt64(r.count)) }
        let types = ["int8", "int16", "fixed<12,6>", "fixed<16,8>"]
        var x: Tensor = pick(0...1) == 0 ? .image(c: pick(1...3), h: pick(3...8), w: pick(3...8)) : .matrix(rows: pick(1...6), cols: pick(2...16))
        var lines: [String] = []
        var from = "input"
        let acts = ["relu", "silu", "gelu", "sigmoid", "exp"]
        for i in 0..<pick(4...7) {
            let name = "t\(i)"
            var line: String
            switch x {
            case let .image(c, h, w):
                switch pick(0...5) {
                case 0:
                    let f = pick(1...4), k = pick(1...3), s = pick(1...2), p = pick(0...(k / 2))
                    guard h + 2 * p >= k, w + 2 * p >= k else { fallthrough }
                    line = "{name: \(name), op: conv2d, channels: \(c), height: \(h), width: \(w), filters: \(f), kernel: \(k), stride: \(s), padding: \(p), inputs: [\(from)]}"
                    x = .image(c: f, h: (h + 2 * p - k) / s + 1, w: (w + 2 * p - k) / s + 1)
                case 1:
                    let f = pick(1...3), k = pick(1...3), s = pick(1...2), p = pick(0...((k - 1) / 2))
                    let oh = (h - 1) * s - 2 * p + k, ow = (w - 1) * s - 2 * p + k
                    guard oh >= 1, ow >= 1, oh * ow * f <= 400 else { fallthrough }
                    line = "{name: \(name), op: transposed_conv2d, channels: \(c), height: \(h), width: \(w), filters: \(f), kernel: \(k), stride: \(s), padding: \(p), inputs: [\(from)]}"
                    x = .image(c: f, h: oh, w: ow)
                case 2:
                    guard h >= 2, w >= 2 else { fallthrough }
                    line = "{name: \(name), op: pool, channels: \(c), height: \(h), width: \(w), window: 2, inputs: [\(from)]}"
                    x = .image(c: c, h: h / 2, w: w / 2)
                case 3:
                    guard h * w <= 36 else { fallthrough }
                    line = "{name: \(name), op: upsample, channels: \(c), height: \(h), width: \(w), factor: 2, inputs: [\(from)]}"
                    x = .image(c: c, h: 2 * h, w: 2 * w)
                case 4:
                    let n = pick(1...12)
                    line = "{name: \(name), op: matmul, m: \(c), k: \(h * w), n: \(n), inputs: [\(from)]}"
                    x = .matrix(rows: c, cols: n)
                default:
                    line = "{name: \(name), op: \(acts[pick(0...4)]), elements: \(x.elements), inputs: [\(from)]}"
                }
            case let .matrix(r, n):
                switch pick(0...6) {
                case 0:
                    let m = pick(1...12)
                    line = "{name: \(name), op: matmul, m: \(r), k: \(n), n: \(m), inputs: [\(from)]}"
                    x = .matrix(rows: r, cols: m)
                case 1:
                    line = "{name: \(name), op: softmax, rows: \(r), cols: \(n), inputs: [\(from)]}"
                case 2:
                    line = "{name: \(name), op: layernorm, rows: \(r), cols: \(n), inputs: [\(from)]}"
                case 3:
                    // x·xᵀ: B is x itself, held transposed (r × r out).
                    line = "{name: \(name), op: matmul, m: \(r), k: \(n), n: \(r), weights: on_chip, transpose_b: true, inputs: [\(from), \(from)]}"
                    x = .matrix(rows: r, cols: r)
                case 4:
                    line = "{name: \(name), op: \(pick(0...1) == 0 ? "add" : "mul"), elements: \(x.elements), inputs: [\(from), \(from)]}"
                default:
                    line = "{name: \(name), op: \(acts[pick(0...4)]), elements: \(x.elements), inputs: [\(from)]}"
                }
            }
            lines.append("    - " + line)
            from = name
        }
        let text = """
        name: random-\(seed)
        workload:
          name: random-\(seed)
          data_type: \(types[pick(0...3)])
          tasks:
        \(lines.joined(separator: "\n"))
        platform: {name: u280}
        templates:
          dataflow: {lanes: [\(pick(1...8))]}
          sequential: {lanes: [\(pick(1...8))], scratchpad_kib: [\(pick(0...1))]}
          reconfigurable: {lanes: [\(pick(2...8))], compute_units: [\(pick(1...3))], scratchpad_kib: [\(pick(0...1))]}
        objectives: [latency_ms, dsp]

        """
        return (text, x.elements)
    }

    @Test(arguments: Array(UInt64(1)...UInt64(9)))
    func randomWorkloadSimulatesBitExactly(seed: UInt64) throws {
        try CSimTests.requireAPTypes()
        let (text, outputs) = Self.spec(seed: seed)
        let dir = try Toolchain.scratch("random-\(seed)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let specURL = dir.appendingPathComponent("spec.yaml")
        try text.write(to: specURL, atomically: true, encoding: .utf8)
        let template = TemplateKind.allCases[Int(seed % 3)]
        var o = HLSJob.Options(specPath: specURL.path, output: dir.appendingPathComponent("p").path)
        o.sets = ["template=\(template.rawValue)"]
        o.apTypes = Toolchain.apTypes.path
        o.force = true
        _ = try HLSJob.run(o)
        for target in template == .dataflow ? ["csim", "csim-threaded"] : ["csim"] {
            let r = try Toolchain.run("make", ["-s", target], in: dir.appendingPathComponent("p"), environment: ["INTARSIA_STREAM_TIMEOUT": "20"])
            #expect(r.status == 0 && r.stdout.contains("\(outputs) passed, 0 failed"), "seed \(seed), \(template.rawValue), \(target):\n\(text)\n\(r.output.suffix(1500))")
        }
    }
}
