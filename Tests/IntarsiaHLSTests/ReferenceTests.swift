import Testing
import IntarsiaCore
@testable import IntarsiaHLS

/// The Swift reference on cases worked out by hand (raw int16 values, 8 fraction bits: 256 = 1.0).
struct ReferenceTests {
    static func step(_ op: Operator, _ t: DataType = .int16, heads: Int = 1, transposeB: Bool = false, inputs: Int = 1) throws -> HLSProgram.Step {
        var tasks: [(Task, [Workload.Input])] = []
        var names: [Workload.Input] = []
        for i in 0..<inputs {
            // Producers of the right size (copies of the graph input would all be one tensor).
            let e = ReferenceTests.inputElements(op, operand: i, heads: heads)
            tasks.append((Task(name: "src\(i)", op: .activation(elements: e, kind: "relu"), dataType: t), [.init("input", .stream)]))
            names.append(.init("src\(i)", .stream))
        }
        tasks.append((Task(name: "op", op: op, dataType: t, heads: heads, transposeB: transposeB), names))
        let p = try HLSProgram(try Workload(name: "t", tasks: tasks))
        return p.steps.last!
    }

    static func inputElements(_ op: Operator, operand: Int, heads: Int) -> Int {
        switch op {
        case let .matmul(m, k, n, _): return operand == 0 ? m * heads * k : k * n
        case let .conv2d(b, c, h, w, _, _, _, _, _, _), let .transposedConv2d(b, c, h, w, _, _, _, _, _, _): return b * c * h * w
        case let .pool(c, h, w, _, _, _, _), let .upsample(c, h, w, _): return c * h * w
        default: return op.outputElements
        }
    }

    @Test func gemmRequantisesByTheWeightFractionBits() throws {
        let s = try Self.step(.matmul(m: 2, k: 2, n: 2, weightsOffChip: true))
        #expect(s.requantizeShift == 8)
        #expect(s.accumulatorBits == 16 + 16 + 1)
        // A = [[1, 2], [3, 4]], W = [[0.5, -1], [1.5, 2]]: A·W = [[3.5, 3], [7.5, 5]].
        let c = Reference.evaluate(s, inputs: [[256, 512, 768, 1024]], weights: [128, -256, 384, 512])
        #expect(c == [896, 768, 1920, 1280])
    }

    @Test func requantisationRoundsHalfUpAndSaturates() throws {
        let s = try Self.step(.matmul(m: 1, k: 1, n: 1, weightsOffChip: true))
        // 1/256 · 0.5 = 1/512: exactly half an LSB, rounds up to 1; −1/512 rounds up to 0.
        #expect(Reference.evaluate(s, inputs: [[1]], weights: [128]) == [1])
        #expect(Reference.evaluate(s, inputs: [[-1]], weights: [128]) == [0])
        #expect(Reference.evaluate(s, inputs: [[-3]], weights: [128]) == [-1])  // −1.5 LSB → −1
        #expect(Reference.evaluate(s, inputs: [[32767]], weights: [32767]) == [32767])
        #expect(Reference.evaluate(s, inputs: [[-32768]], weights: [32767]) == [-32768])
    }

    @Test func multiHeadProductIsEachHeadsProductSideBySide() throws {
        // Two heads: A is 2 × (2·3), B (held transposed, like K in Q·Kᵀ) is 2 × (2·3); each head
        // h multiplies A[:, 3h..<3h+3] by B[:, 3h..<3h+3]ᵀ into C[:, 2h..<2h+2].
        let s = try Self.step(.matmul(m: 2, k: 3, n: 4, weightsOffChip: false), heads: 2, transposeB: true, inputs: 2)
        let a: [Int64] = (0..<12).map { Int64($0 - 5) * 256 }
        let b: [Int64] = (0..<12).map { Int64(($0 * 7) % 5 - 2) * 256 }
        let c = Reference.evaluate(s, inputs: [a, b], weights: [])
        for h in 0..<2 {
            for i in 0..<2 {
                for j in 0..<2 {
                    var sum: Int64 = 0
                    for t in 0..<3 { sum += (a[i * 6 + h * 3 + t] / 256) * (b[j * 6 + h * 3 + t] / 256) }
                    #expect(c[i * 4 + h * 2 + j] == sum * 256, "head \(h) C[\(i)][\(j)]")
                }
            }
        }
    }

    @Test func convolutionSumsItsWindowWithZeroPadding() throws {
        // 3×3 input 1..9, a 3×3 filter of ones, padding 1: corners sum 4 values, the centre all 9.
        let s = try Self.step(.conv2d(batch: 1, channels: 1, height: 3, width: 3, filters: 1, kernelH: 3, kernelW: 3, stride: 1, padding: 1))
        let x: [Int64] = (1...9).map { Int64($0) * 256 }
        let y = Reference.evaluate(s, inputs: [x], weights: Array(repeating: 256, count: 9))
        #expect(y.map { $0 / 256 } == [12, 21, 16, 27, 45, 33, 24, 39, 28])
    }

    @Test func transposedConvolutionScattersEveryInputPixel() throws {
        // [[1, 2], [3, 4]] through a 2×2 filter of ones: stride 1 overlaps, stride 2 tiles.
        let x: [Int64] = [1, 2, 3, 4].map { $0 * 256 }
        let s1 = try Self.step(.transposedConv2d(batch: 1, channels: 1, height: 2, width: 2, filters: 1, kernelH: 2, kernelW: 2, stride: 1, padding: 0))
        #expect(Reference.evaluate(s1, inputs: [x], weights: [256, 256, 256, 256]).map { $0 / 256 } == [1, 3, 2, 4, 10, 6, 3, 7, 4])
        let s2 = try Self.step(.transposedConv2d(batch: 1, channels: 1, height: 2, width: 2, filters: 1, kernelH: 2, kernelW: 2, stride: 2, padding: 0))
        #expect(Reference.evaluate(s2, inputs: [x], weights: [256, 256, 256, 256]).map { $0 / 256 }
            == [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
    }

    /// Depthwise: each filter sees its own channel only (a dense convolution would mix them).
    /// int16 weights read with 8 fraction bits: 512 is 2.0 and 768 is 3.0.
    @Test func depthwiseConvolutionKeepsChannelsApart() throws {
        let s = try Self.step(.conv2d(batch: 1, channels: 2, height: 2, width: 2, filters: 2, kernelH: 1, kernelW: 1, stride: 1, padding: 0, groups: 2))
        #expect(Reference.evaluate(s, inputs: [[1, 2, 3, 4, 5, 6, 7, 8]], weights: [512, 768]) == [2, 4, 6, 8, 15, 18, 21, 24])
        // Two groups of two channels, one filter each: filter 1 sums channels 2 and 3 only.
        let g = try Self.step(.conv2d(batch: 1, channels: 4, height: 1, width: 1, filters: 2, kernelH: 1, kernelW: 1, stride: 1, padding: 0, groups: 2))
        #expect(Reference.evaluate(g, inputs: [[1, 2, 3, 4]], weights: [256, 256, 256, 512]) == [3, 11])
        // Transposed, two groups of one channel and one filter, 1×1 kernel, stride 2: each input
        // pixel lands on its own group's filter only, at even positions, zeros between.
        let t = try Self.step(.transposedConv2d(batch: 1, channels: 2, height: 1, width: 2, filters: 2, kernelH: 1, kernelW: 1, stride: 2, padding: 0, groups: 2))
        #expect(Reference.evaluate(t, inputs: [[1, 2, 3, 4]], weights: [512, 768]) == [2, 0, 4, 9, 0, 12])
    }

    @Test func poolingAndUpsampling() throws {
        let pool = try Self.step(.pool(channels: 1, height: 4, width: 4, window: 2))
        let x: [Int64] = [1, 5, 2, 0, -3, 4, 9, 1, 0, 0, -1, -2, 7, 0, -5, -4]
        #expect(Reference.evaluate(pool, inputs: [x], weights: []) == [5, 9, 7, -1])
        // Average: window sums 7, 12, 6 and -10 over 4, rounded half up (1.75, 3, 1.5, -2.5).
        let avg = try Self.step(.pool(channels: 1, height: 4, width: 4, window: 2, kind: .average))
        let xa: [Int64] = [1, 5, 2, 0, -3, 4, 9, 1, 0, 0, -1, -2, 6, 0, -3, -4]
        #expect(Reference.evaluate(avg, inputs: [xa], weights: []) == [2, 3, 2, -2])
        let up = try Self.step(.upsample(channels: 1, height: 2, width: 2, factor: 2))
        #expect(Reference.evaluate(up, inputs: [[1, 2, 3, 4]], weights: []) == [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
    }

    @Test func elementwiseAddSaturates() throws {
        let s = try Self.step(.elementwise(elements: 3, kind: "add"), inputs: 2)
        #expect(Reference.evaluate(s, inputs: [[100, 32000, -32000], [-50, 1000, -1000]], weights: []) == [50, 32767, -32768])
    }

    @Test func unsupportedWorkloadsAreRefusedWithTheReason() throws {
        let fp = try Workload(name: "f", tasks: [(Task(name: "a", op: .activation(elements: 4, kind: "relu"), dataType: .fp32), [.init("input", .stream)])])
        #expect(throws: HLSProgram.Unsupported.self) { try HLSProgram(fp) }
        do { _ = try HLSProgram(fp) } catch { #expect("\(error)".contains("fp32") && "\(error)".contains("int4, int8, int16")) }
        let tanh = try Workload(name: "t", tasks: [(Task(name: "a", op: .activation(elements: 4, kind: "tanh"), dataType: .int8), [.init("input", .stream)])])
        do { _ = try HLSProgram(tanh); Issue.record("tanh was accepted") } catch { #expect("\(error)".contains("'tanh'") && "\(error)".contains("relu, silu, gelu")) }
    }
}

/// What the HLS module library cannot emit yet is refused by task name, never emitted as
/// something else: a strided, padded pool.
@Suite struct HLSRefusalTests {
    func refusal(_ op: Operator) -> String? {
        do {
            _ = try HLSProgram(try Workload(name: "r", tasks: [(Task(name: "the_task", op: op, dataType: .int16), [.init("input", .stream)])]))
            return nil
        } catch { return String(describing: error) }
    }

    @Test func groupedAndStridedPoolsAreRefused() {
        #expect(refusal(.transposedConv2d(batch: 1, channels: 8, height: 8, width: 8, filters: 8, kernelH: 3, kernelW: 3, stride: 2, padding: 1, groups: 2)) == nil)
        #expect(refusal(.conv2d(batch: 1, channels: 8, height: 8, width: 8, filters: 8, kernelH: 3, kernelW: 3, stride: 1, padding: 1, groups: 8)) == nil)
        let pool = refusal(.pool(channels: 8, height: 8, width: 8, window: 3, stride: 1, padding: 1))
        #expect(pool?.contains("the_task") == true && pool?.contains("stride 1") == true, "\(String(describing: pool))")
        #expect(refusal(.pool(channels: 8, height: 8, width: 8, window: 2)) == nil)
    }
}
