import Foundation
import Testing
import IntarsiaASIC
import IntarsiaCore
import IntarsiaNAS
@testable import IntarsiaSpec

@Suite struct NetworkTemplateTests {
    static let resnet = try! BuiltinSpaces.named("resnet9-like")
    static let unet = try! BuiltinSpaces.named("unet")
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func macs(_ space: NetworkTemplateSpace, _ arch: String) throws -> Int {
        let i = try #require(space.index(of: arch))
        return try space.workload(i, dataType: .int8).totalMACs
    }

    /// The error parsing `text` raises (nil when it parses).
    func error(_ text: String) -> SpecError? {
        do { _ = try NASSpaceSpec.parse(text: text, file: "t.yaml"); return nil } catch { return error as? SpecError }
    }

    // MARK: Numbering

    @Test func builtinSpacesHaveTheirCountsAndRoundTripEveryArchitecture() {
        // resnet9-like: f0 2, f1 3, k1 2, d1 2, f2 3, k2 2, f3 3, k3 2, d3 2 values.
        #expect(Self.resnet.radices == [2, 3, 2, 2, 3, 2, 3, 2, 2])
        #expect(Self.resnet.count == 1728)
        // unet: d 3, f1 3, k1 2, f2 3, k2 2, f3 3, k3 2, fb 3 values.
        #expect(Self.unet.radices == [3, 3, 2, 3, 2, 3, 2, 3])
        #expect(Self.unet.count == 1944)
        for space in [Self.resnet, Self.unet] {
            #expect((500...20_000).contains(space.count))
            var strings = Set<String>()
            for i in 0..<space.count {
                let d = space.digits(i)
                #expect(zip(d, space.radices).allSatisfy { $0 >= 0 && $0 < $1 })
                #expect(space.index(d) == i)
                let s = space.architectureString(i)
                #expect(space.index(of: s) == i)
                strings.insert(s)
            }
            #expect(strings.count == space.count)
        }
    }

    @Test func choiceZeroIsLeastSignificantAndTheTextHoldsValues() {
        let r = Self.resnet
        #expect(r.architectureString(0) == "f0=32,f1=64,k1=3,d1=1,f2=128,k2=3,f3=256,k3=3,d3=1")
        // Index 1 moves choice 0 (f0) to its second value; index 2 moves choice 1 (f1).
        #expect(r.architectureString(1) == "f0=64,f1=64,k1=3,d1=1,f2=128,k2=3,f3=256,k3=3,d3=1")
        #expect(r.architectureString(2) == "f0=32,f1=96,k1=3,d1=1,f2=128,k2=3,f3=256,k3=3,d3=1")
        #expect(r.digits(r.count - 1) == r.radices.map { $0 - 1 })
        #expect(r.architectureString(r.count - 1) == "f0=64,f1=128,k1=5,d1=2,f2=256,k2=5,f3=512,k3=5,d3=2")
        #expect(r.values(2)["f1"] == 96)
    }

    @Test func architectureTextsThatAreNotArchitecturesAreRejected() {
        let r = Self.resnet
        let good = "f0=32,f1=64,k1=3,d1=1,f2=128,k2=3,f3=256,k3=3,d3=1"
        // Order does not matter, every choice once does.
        #expect(r.index(of: "d3=1,f0=32,f1=64,k1=3,d1=1,f2=128,k2=3,f3=256,k3=3") == 0)
        #expect(r.index(of: good.replacingOccurrences(of: ",d3=1", with: "")) == nil)       // missing choice
        #expect(r.index(of: good + ",d3=1") == nil)                                           // twice
        #expect(r.index(of: good.replacingOccurrences(of: "f1=64", with: "f1=65")) == nil)   // not a value
        #expect(r.index(of: good.replacingOccurrences(of: "f1=64", with: "g1=64")) == nil)   // not a choice
        #expect(r.index(of: good.replacingOccurrences(of: "k1=3", with: "k1=1")) == nil)     // digit, not value
        #expect(r.index(of: "") == nil)
        #expect(r.index(of: "f0") == nil)
    }

    @Test func neighboursChangeExactlyOneChoice() {
        for space in [Self.resnet, Self.unet] {
            for i in [0, space.count / 3, space.count - 1] {
                let n = space.neighbours(of: i)
                // Every other value of every choice: sum of (radix - 1).
                #expect(n.count == space.radices.reduce(0) { $0 + $1 - 1 })
                #expect(Set(n).count == n.count && !n.contains(i))
                let d = space.digits(i)
                for j in n { #expect(zip(d, space.digits(j)).filter { $0 != $1 }.count == 1) }
            }
        }
        // resnet9-like: 1+2+1+1+2+1+2+1+1 = 12.
        #expect(Self.resnet.neighbours(of: 0).count == 12)
    }

    // MARK: MACs worked out by hand (conv: K·C·R·S·OH·OW; linear: inputs·outputs)

    @Test func resnet9LikeMACs() throws {
        let r = Self.resnet
        // Smallest, f0=32 f1=64 k1=3 d1=1 f2=128 k2=3 f3=256 k3=3 d3=1:
        //   prep    32·3·3·3·32·32     =    884,736
        //   stage 1 64·32·3·3·32·32    = 18,874,368   (conv at 32×32, then pool to 16×16)
        //   res1    2 × 64·64·3·3·16·16 = 2 × 9,437,184 = 18,874,368
        //   stage 2 128·64·3·3·16·16   = 18,874,368
        //   stage 3 256·128·3·3·8·8    = 18,874,368
        //   res3    2 × 256·256·3·3·4·4 = 18,874,368
        //   linear  256·10             =      2,560
        //   total 884,736 + 5 × 18,874,368 + 2,560 = 95,259,136
        #expect(try macs(r, "f0=32,f1=64,k1=3,d1=1,f2=128,k2=3,f3=256,k3=3,d3=1") == 95_259_136)
        // The published ResNet-9 widths, f0=64 f1=128 f2=256 f3=512, kernels 3, one block each:
        //   prep 64·3·9·1024 = 1,769,472; stage 1 128·64·9·1024 = 75,497,472;
        //   res1 2 × 128·128·9·256 = 75,497,472; stage 2 256·128·9·256 = 75,497,472;
        //   stage 3 512·256·9·64 = 75,497,472; res3 2 × 512·512·9·16 = 75,497,472; linear 5,120
        //   total 1,769,472 + 5 × 75,497,472 + 5,120 = 379,261,952
        #expect(try macs(r, "f0=64,f1=128,k1=3,d1=1,f2=256,k2=3,f3=512,k3=3,d3=1") == 379_261_952)
        // Largest, kernels 5 and two blocks per residual stage:
        //   prep 1,769,472; stage 1 128·64·25·1024 = 209,715,200;
        //   res1 4 × 128·128·9·256 = 4 × 37,748,736 = 150,994,944;
        //   stage 2 256·128·25·256 = 209,715,200; stage 3 512·256·25·64 = 209,715,200;
        //   res3 4 × 512·512·9·16 = 150,994,944; linear 5,120
        //   total 1,769,472 + 3 × 209,715,200 + 2 × 150,994,944 + 5,120 = 932,910,080
        #expect(try macs(r, "f0=64,f1=128,k1=5,d1=2,f2=256,k2=5,f3=512,k3=5,d3=2") == 932_910_080)
        #expect(try r.workload(r.count - 1, dataType: .int8).totalMACs == 932_910_080)
    }

    @Test func unetMACs() throws {
        let u = Self.unet
        // Smallest, d=1 f1=8 k1=3 f2=16 k2=3 f3=32 k3=3 fb=64; levels at 64², 32², 16², bottleneck 8²:
        //   enc1 8·3·9·4096 = 884,736;  enc2 16·8·9·1024 = 1,179,648;  enc3 32·16·9·256 = 1,179,648
        //   bottleneck 64·32·9·64 = 1,179,648
        //   up3 32·64·9·256 = 4,718,592;  dec3 (32+32 channels in) 32·64·9·256 = 4,718,592
        //   up2 16·32·9·1024 = 4,718,592; dec2 (16+16) 16·32·9·1024 = 4,718,592
        //   up1 8·16·9·4096 = 4,718,592;  dec1 (8+8) 8·16·9·4096 = 4,718,592
        //   head 1·8·1·1·4096 = 32,768
        //   total 884,736 + 3 × 1,179,648 + 6 × 4,718,592 + 32,768 = 32,768,000
        #expect(try macs(u, "d=1,f1=8,k1=3,f2=16,k2=3,f3=32,k3=3,fb=64") == 32_768_000)
        #expect(try u.workload(0, dataType: .int8).totalMACs == 32_768_000)
        // d=2 adds one f→f convolution at each of the 7 repeated levels, each 2,359,296:
        //   enc1/dec1 8·8·9·4096, enc2/dec2 16·16·9·1024, enc3/dec3 32·32·9·256, bottleneck 64·64·9·64
        //   total 32,768,000 + 7 × 2,359,296 = 49,283,072
        #expect(try macs(u, "d=2,f1=8,k1=3,f2=16,k2=3,f3=32,k3=3,fb=64") == 49_283_072)
        // k1=5 changes enc1 to 8·3·25·4096 = 2,457,600 (+1,572,864) and dec1 to 8·16·25·4096 =
        // 13,107,200 (+8,388,608): 32,768,000 + 1,572,864 + 8,388,608 = 42,729,472
        #expect(try macs(u, "d=1,f1=8,k1=5,f2=16,k2=3,f3=32,k3=3,fb=64") == 42_729_472)
    }

    @Test func theASICModelSeesTheSameLayers() throws {
        // 11 convolutions in the smallest U-Net (4 down, 3 up, 3 decoder, the head); 8 in the smallest
        // ResNet-9-like (prep, 3 stages, 2 × 2 residual) plus the classifier as a 1×1 layer.
        let w = try Self.unet.workload(0, dataType: .int8)
        let layers = ConvLayer.layers(of: w)
        #expect(layers.count == 11)
        #expect(layers.reduce(0) { $0 + $1.macs } == 32_768_000)
        #expect(layers.allSatisfy { $0.outH == $0.outW })
        let r = ConvLayer.layers(of: try Self.resnet.workload(0, dataType: .int8))
        #expect(r.count == 9)
        #expect(r.reduce(0) { $0 + $1.macs } == 95_259_136)
    }

    @Test func theTaskGraphHasTheTemplatesShape() throws {
        let w = try Self.unet.workload(0, dataType: .int8)
        let byName = Dictionary(uniqueKeysWithValues: w.tasks.enumerated().map { ($1.name, $0) })
        // cat3 joins up3 (32×16×16) and enc3 (32×16×16): 64·16·16 = 16,384 elements, no MACs.
        let cat3 = try #require(byName["cat3"])
        #expect(w.tasks[cat3].op == .elementwise(elements: 16_384, kind: "concat"))
        // A repeat block's name stands for its last repetition's output: enc3 (network[4]) is its
        // body's relu (layers[1]) in repetition 1.
        let up3 = try #require(byName["up3"]), enc3 = try #require(byName["relu.4.1_1"])
        #expect(Set(w.operands[cat3]) == [up3, enc3])
        #expect(w.tasks[up3].op == .activation(elements: 32 * 16 * 16, kind: "relu"))
        // A named repeat's output is its last repetition's; names inside get _i.
        let d3 = try Self.unet.workload(Self.unet.index(of: "d=3,f1=8,k1=3,f2=16,k2=3,f3=32,k3=3,fb=64")!, dataType: .int8)
        #expect(d3.tasks.contains { $0.name == "conv.0.0_3" })
        #expect(d3.tasks.filter { $0.op.kindName == "upsample" }.map(\.op) == [
            .upsample(channels: 64, height: 8, width: 8, factor: 2),
            .upsample(channels: 32, height: 16, width: 16, factor: 2),
            .upsample(channels: 16, height: 32, width: 32, factor: 2)])
        let r = try Self.resnet.workload(Self.resnet.count - 1, dataType: .int8)
        #expect(r.tasks.map(\.name).filter { $0.hasSuffix(".add") } == ["res1_1.add", "res1_2.add", "res3_1.add", "res3_2.add"])
        #expect(r.tasks.last?.op == .matmul(m: 1, k: 512, n: 10, weightsOffChip: true))
        #expect(r.name == "resnet9-like:" + Self.resnet.architectureString(Self.resnet.count - 1))
    }

    @Test func aResidualBodyThatChangesShapeGetsAStridedProjection() throws {
        let s = try NASSpaceSpec.parse(text: """
        input: {channels: 4, height: 8, width: 8}
        choices: {f: [8, 16]}
        network:
          - {name: blk, repeat: 1, residual: true, layers: [{conv: {filters: $f, kernel: 3, stride: 2}}]}
        """, file: "dir/proj.yaml")
        #expect(s.name == "proj")
        // f=8: the body 8·4·3·3·4·4 = 4,608; the projection 1×1 stride 2: 8·4·1·1·4·4 = 512.
        let w = try s.workload(0, dataType: .int8)
        #expect(w.totalMACs == 5_120)
        #expect(w.tasks.map(\.name).sorted() == ["blk_1.add", "blk_1.proj", "conv.0.0_1"])
        #expect(w.tasks.first { $0.name == "blk_1.proj" }?.op == .conv2d(batch: 1, channels: 4, height: 8, width: 8, filters: 8, kernelH: 1, kernelW: 1, stride: 2, padding: 0))
    }

    // MARK: Errors name the key path, the value and what is accepted

    let small = """
    input: {channels: 3, height: 8, width: 8}
    choices:
      f: [8, 16]
      k: [1, 3]
    network:
      - conv: {filters: $f, kernel: $k}
      - relu
    """

    @Test func theSmallSpaceParses() throws {
        let s = try NASSpaceSpec.parse(text: small, file: "t.yaml")
        #expect(s.count == 4 && s.name == "t")
        #expect(s.architectureString(3) == "f=16,k=3")
    }

    @Test func unknownChoiceReference() {
        let e = error(small.replacingOccurrences(of: "filters: $f,", with: "filters: $g,"))
        #expect(e?.file == "t.yaml" && e?.key == "network[0].conv.filters" && e?.value == "$g" && e?.problem == "unknown choice")
        #expect(e?.accepted == "$f, $k")
    }

    @Test func kernelLargerThanItsInput() {
        let e = error(small.replacingOccurrences(of: "k: [1, 3]", with: "k: [3, 9]"))
        #expect(e?.key == "network[0].conv.kernel" && e?.value == "$k = 9" && e?.accepted == "at most 8")
        #expect(e?.problem.contains("larger than its 3×8×8 input") == true)
        #expect(e?.problem.contains("architecture f=8,k=9") == true)
    }

    @Test func evenKernel() {
        let e = error(small.replacingOccurrences(of: "k: [1, 3]", with: "k: [1, 2]"))
        #expect(e?.key == "network[0].conv.kernel" && e?.value == "$k = 2" && e?.accepted == "an odd integer")
    }

    @Test func depthZero() {
        let e = error("""
        input: {channels: 3, height: 8, width: 8}
        choices: {d: [0, 1]}
        network:
          - {name: body, repeat: $d, layers: [relu]}
        """)
        #expect(e?.key == "network[0].repeat" && e?.value == "$d = 0" && e?.accepted == "an integer from 1 to 1024")
    }

    @Test func shapeMismatchInAdd() {
        let e = error(small + """

          - {name: a, conv: {filters: 4, kernel: 1}}
          - {name: b, from: input, conv: {filters: 5, kernel: 1}}
          - {from: [a, b], add: {}}
        """)
        #expect(e?.key == "network[4].from" && e?.value == "a, b")
        #expect(e?.problem.contains("equal shape, got 4×8×8, 5×8×8") == true)
    }

    @Test func concatOfDifferentSizes() {
        let e = error(small + """

          - {name: a, pool: {kind: avg, size: 2}}
          - {name: b, from: input, relu: ~}
          - {name: c, from: [a, b], concat: {}}
        """)
        #expect(e?.key == "network[4].from" && e?.problem.contains("layer 'c': concat needs inputs of equal height and width") == true)
    }

    @Test func unknownLayerName() {
        let e = error(small + "\n  - {from: nope, relu: {}}")
        #expect(e?.key == "network[2].from" && e?.value == "nope" && e?.accepted == "input")
    }

    @Test func addWithOneInput() {
        let e = error(small + "\n  - add")
        #expect(e?.key == "network[2].from" && e?.problem == "add needs two or more inputs")
    }

    @Test func tooManyArchitectures() {
        // 21 choices of 2 values: 2^21 > ArchitectureSpaceLimits.maximumCount = 2^20.
        let choices = (0..<21).map { "  c\($0): [1, 2]" }.joined(separator: "\n")
        let layers = (0..<21).map { "  - {upsample: {factor: $c\($0)}}" }.joined(separator: "\n")
        let e = error("input: {channels: 1, height: 1, width: 1}\nchoices:\n\(choices)\nnetwork:\n\(layers)")
        #expect(e?.key == "choices" && e?.problem == "the space has too many architectures" && e?.accepted?.hasPrefix("at most 1048576") == true)
    }

    @Test func unusedChoice() {
        let e = error(small.replacingOccurrences(of: "  k: [1, 3]", with: "  k: [1, 3]\n  z: [1, 2]"))
        #expect(e?.key == "choices.z" && e?.problem.contains("used by no layer") == true)
    }

    @Test func repeatedValueAndDuplicateName() {
        let e = error(small.replacingOccurrences(of: "f: [8, 16]", with: "f: [8, 8]"))
        #expect(e?.key == "choices.f" && e?.value == "8, 8")
        let d = error(small + "\n  - {name: x, relu: {}}\n  - {name: x, relu: {}}")
        #expect(d?.key == "network[3].name" && d?.value == "x" && d?.problem == "layer name used twice in the same list")
    }

    @Test func malformedLayers() {
        let two = error(small.replacingOccurrences(of: "  - relu", with: "  - {relu: {}, global_pool: {}}"))
        #expect(two?.key == "network[1]" && two?.accepted == "exactly one of conv, pool, upsample, add, concat, relu, global_pool, linear, repeat")
        let typo = error(small.replacingOccurrences(of: "  - conv:", with: "  - cnv:"))
        #expect(typo?.key == "network[0].cnv" && typo?.problem == "unknown key")
        let word = error(small.replacingOccurrences(of: "  - relu", with: "  - sigmoid"))
        #expect(word?.key == "network[1]" && word?.value == "sigmoid")
        let notInt = error(small.replacingOccurrences(of: "kernel: $k", with: "kernel: three"))
        #expect(notInt?.key == "network[0].conv.kernel" && notInt?.value == "three" && notInt?.accepted == "an integer, or one of $f, $k")
        let pool = error(small + "\n  - pool: {kind: median, size: 2}")
        #expect(pool?.key == "network[2].pool.kind" && pool?.value == "median" && pool?.accepted == "max, avg")
        let residual = error(small + "\n  - {relu: {}, residual: true}")
        #expect(residual?.key == "network[2].residual")
    }

    /// Sizes beyond what the cost models take are errors at load, not an arithmetic overflow or a
    /// load that never ends.
    @Test func oversizedFieldsAreErrors() {
        let up = error("name: up\ninput: {channels: 4, height: 1, width: 1}\nchoices: {f: [4294967296, 2]}\nnetwork: [{upsample: {factor: $f}}, relu]")
        #expect(up?.key == "network[0].upsample.factor" && up?.value?.hasPrefix("$f = 4294967296") == true && up?.accepted == "an integer from 1 to 64")
        let rep = error("name: r\ninput: {channels: 4, height: 4, width: 4}\nchoices: {d: [1, 1000000000]}\nnetwork: [{repeat: $d, layers: [relu]}]")
        #expect(rep?.key == "network[0].repeat" && rep?.accepted == "an integer from 1 to 1024")
        // Up-sampling within its bound, repeated until the tensor is too large: five up-samplings
        // by 16 take 4×1×1 to 4×2^20×2^20, 2^42 elements (the limit is 2^40).
        let big = error("name: b\ninput: {channels: 4, height: 1, width: 1}\nchoices: {f: [16, 64]}\nnetwork: [{repeat: 5, layers: [{upsample: {factor: $f}}]}]")
        #expect(big?.problem.contains("too large") == true && big?.key.hasPrefix("network[0].layers[0]") == true, "\(String(describing: big))")
    }

    @Test func errorsInsideARepeatNameTheNestedLayer() {
        let e = error("""
        input: {channels: 3, height: 4, width: 4}
        choices: {k: [3, 5]}
        network:
          - repeat: 2
            layers:
              - relu
              - conv: {filters: 4, kernel: $k}
        """)
        #expect(e?.key == "network[0].layers[1].conv.kernel" && e?.value == "$k = 5")
    }

    @Test func largeSpacesStillTryEveryValueOfEveryChoice() {
        // 12 two-valued filter choices and a kernel choice of 3: 3 · 2^12 = 12,288 architectures,
        // above the exhaustive limit (4,096), and only kernel 7 fails on the 6×6 input.
        let filters = (0..<12).map { "  f\($0): [4, 8]" }.joined(separator: "\n")
        let convs = (0..<12).map { "  - conv: {filters: $f\($0), kernel: \($0 == 11 ? "$k" : "1")}" }.joined(separator: "\n")
        let text = "input: {channels: 1, height: 6, width: 6}\nchoices:\n\(filters)\n  k: [3, 5, 7]\nnetwork:\n\(convs)"
        #expect(12_288 > NetworkTemplateSpace.exhaustiveValidationLimit)
        let e = error(text)
        #expect(e?.key == "network[11].conv.kernel" && e?.value == "$k = 7")
        #expect(error(text.replacingOccurrences(of: "[3, 5, 7]", with: "[3, 5, 1]")) == nil)
    }

    @Test func unknownBuiltinSpace() {
        #expect(throws: SpecError.self) { _ = try BuiltinSpaces.named("vgg") }
        #expect(BuiltinSpaces.names.allSatisfy { BuiltinSpaces.text($0) != nil })
    }

    @Test func theExampleInDocsParses() throws {
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/NAS.md"), encoding: .utf8)
        let section = try #require(doc.range(of: "### User-defined spaces (network templates)"))
        let after = doc[section.upperBound...]
        let start = try #require(after.range(of: "```yaml\n")), end = try #require(after.range(of: "```", range: start.upperBound..<after.endIndex))
        let s = try NASSpaceSpec.parse(text: String(after[start.upperBound..<end.lowerBound]), file: "docs/NAS.md")
        #expect(s.name == "tiny" && s.count == 8 && s.architectureString(0) == "f=16,k=3,d=1")
    }

    // MARK: The copies in designs/

    @Test func designFilesEqualTheEmbeddedText() throws {
        for name in BuiltinSpaces.names {
            let url = Self.root.appendingPathComponent("designs/nas/spaces/\(name).yaml")
            let file = try String(contentsOf: url, encoding: .utf8)
            #expect(file == BuiltinSpaces.text(name), "designs/nas/spaces/\(name).yaml differs from BuiltinSpaces.text(\"\(name)\")")
            // The file parses to the same space as the built-in.
            let parsed = try NASSpaceSpec.parse(text: file, file: url.path)
            let builtin = try BuiltinSpaces.named(name)
            #expect(parsed.name == name && parsed.count == builtin.count)
        }
    }
}
