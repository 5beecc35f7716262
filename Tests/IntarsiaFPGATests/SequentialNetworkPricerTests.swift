import Testing
import IntarsiaCore
@testable import IntarsiaFPGA

/// The sequential networks put together task by task cost what the model costs for the same
/// workload's sequential design.
@Suite struct SequentialNetworkPricerTests {
    static let u280 = PlatformCatalog.u280

    /// The workload's tasks as layers: layer i is task i; a task that reads the graph's input says so.
    static func layers(of w: Workload) throws -> Workload {
        let layers = try Workload(name: "layers", tasks: w.tasks.indices.map { i in
            (w.tasks[i], w.externalInputBytes[i] > 0 ? [.init("input", .stream)] : [])
        })
        #expect(layers.externalInputBytes == w.externalInputBytes)
        return layers
    }

    /// The workload put together from its layers with its own edges, and priced.
    static func price(_ w: Workload, on pricer: inout SequentialNetworkPricer) -> SequentialNetworkPricer.Figures {
        pricer.begin()
        for i in w.tasks.indices {
            #expect(pricer.append(i) == i)
            for e in w.edges where e.consumer == i { pricer.read(e.producer, kind: e.kind) }
        }
        return pricer.price()
    }

    static func price(_ w: Workload, _ p: DesignPoint, platform: FPGAPlatform = u280) throws -> SequentialNetworkPricer.Figures {
        var pricer = SequentialNetworkPricer(layers: try layers(of: w), platform: platform, point: p)
        return price(w, on: &pricer)
    }

    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1) }

    /// A 4×32×8 product on 16 lanes (CostModelTests.flattenedAndUnflattenedLoopNests): 2
    /// reduction steps × 4 rows × 8 columns, pipeline depth 6 + log2(16) = 10, a 6-cycle switch.
    @Test func oneLayerByHand() throws {
        let w = try Workload(name: "one", tasks: [
            (Task(name: "a", op: .matmul(m: 4, k: 32, n: 8, weightsOffChip: false), dataType: .int16), [.init("input", .stream)]),
        ])
        let f = try Self.price(w, DesignPoint(template: .sequential, lanes: 16))
        #expect(f.cycles == 8 * 4 * 2 + 10 + 6)
    }

    /// Points that reach every weight load, spills over a small scratchpad and every tensor spilled.
    static let points = [
        DesignPoint(template: .sequential, lanes: 256),
        DesignPoint(template: .sequential, lanes: 64, scratchpadKiB: 16, weightLoad: .buffered, wordBits: 128),
        DesignPoint(template: .sequential, lanes: 96, scratchpadKiB: 0, weightLoad: .blocking, wordBits: 256, spill: .always),
        DesignPoint(template: .sequential, lanes: 1024, scratchpadKiB: 64, streamElements: 4, matVec: .outer),
    ]

    /// The pricer's figures are the model's for the same workload on `p`.
    static func expectModelFigures(_ f: SequentialNetworkPricer.Figures, _ model: FPGAModel, _ p: DesignPoint, _ what: String) {
        let e = model.evaluate(p)
        let sh = Self.u280.shell
        #expect(Self.close(f.cycles, e.latencyCycles), "\(what) \(p): \(f.cycles) vs \(e.latencyCycles)")
        let dynamic = e.energyMJ * 1e9 - Self.u280.staticPowerW * e.latencyMs / 1e3 * 1e12
        #expect(Self.close(f.dynamicEnergyPicojoules, dynamic), "\(what) \(p): \(f.dynamicEnergyPicojoules) vs \(dynamic)")
        // The U280 holds the scratchpad in URAM (32 KiB a block): the BRAM is the stages'.
        let scratchURAM = (Double(p.scratchpadKiB) / 32).rounded(.up)
        #expect(Int(f.stageBram18k) == e.bram18k - sh.bram18k)
        #expect(Int(f.stageUram + scratchURAM) == e.uram - sh.uram)
    }

    /// Built-in workloads with stream, barrier and either edges, on `points`.
    @Test(arguments: [BuiltinWorkload.selfAttention, .mlp, .cnn4l, .vae, .gating, .resnet20Cifar])
    func equalsTheModel(workload: BuiltinWorkload) throws {
        let w = try workload.make()
        let model = FPGAModel(workload: w, platform: Self.u280)
        for p in Self.points {
            Self.expectModelFigures(try Self.price(w, p), model, p, "\(workload)")
        }
    }

    /// A residual network appended block by block (each block a ReLU, a 3×3 convolution reading
    /// it, and the sum of the convolution and the block's input; then a block whose output is
    /// its input, its convolution read by nothing, and a ReLU reading the network so far) costs
    /// what the model costs for the same network written out as a workload. The block's input
    /// is alive across the convolution's stage, so the small scratchpads spill it.
    @Test func blocksEqualTheModel() throws {
        let elements = 16 * 32 * 32
        func conv(_ name: String) -> Task {
            Task(name: name, op: .conv2d(batch: 1, channels: 16, height: 32, width: 32, filters: 16, kernelH: 3, kernelW: 3, stride: 1, padding: 1), dataType: .int8)
        }
        func relu(_ name: String) -> Task { Task(name: name, op: .activation(elements: elements, kind: "relu"), dataType: .int8) }
        let layers = try Workload(name: "layers", tasks: [(conv("stem"), [.init("input", .stream)]), (relu("relu"), []), (conv("conv"), []),
                                                          (Task(name: "add", op: .elementwise(elements: elements, kind: "add"), dataType: .int8), [])])
        var tasks: [(Task, [Workload.Input])] = [(conv("stem"), [.init("input", .stream)])]
        var x = "stem"
        for k in 0..<3 {
            tasks.append((relu("relu\(k)"), [.init(x, .stream)]))
            tasks.append((conv("conv\(k)"), [.init("relu\(k)", .stream)]))
            tasks.append((Task(name: "add\(k)", op: .elementwise(elements: elements, kind: "add"), dataType: .int8), [.init("conv\(k)", .stream), .init(x, .stream)]))
            x = "add\(k)"
        }
        tasks.append((relu("deadRelu"), [.init(x, .stream)]))
        tasks.append((conv("deadConv"), [.init("deadRelu", .stream)]))
        tasks.append((relu("last"), [.init(x, .barrier)]))
        let model = FPGAModel(workload: try Workload(name: "residual", tasks: tasks), platform: Self.u280)

        typealias Block = SequentialNetworkPricer.Block
        var residual = Block()
        let r = residual.append(1, reading: Block.input)
        let c = residual.append(2, reading: r)
        residual.output = residual.append(3, reading: c, Block.input)
        #expect([r, c, residual.output] == [1, 2, 3])
        var dead = Block()
        dead.append(2, reading: dead.append(1, reading: Block.input))
        #expect(dead.output == Block.input)
        for p in Self.points {
            var pricer = SequentialNetworkPricer(layers: layers, platform: Self.u280, point: p)
            pricer.begin()
            var y = pricer.append(0)
            for _ in 0..<3 { y = pricer.append(residual, reading: y) }
            #expect(y == 9)
            #expect(pricer.append(dead, reading: y) == 9)
            #expect(pricer.append(1, reading: y, kind: .barrier) == 12)
            Self.expectModelFigures(pricer.price(), model, p, "residual")
        }
    }

    /// The pricer is reused: after another network of the same layers (the first layer alone,
    /// one stage), a network costs what it costs on a fresh pricer.
    @Test func reuseGivesTheSameFigures() throws {
        let w = try BuiltinWorkload.cnn4l.make()
        let p = DesignPoint(template: .sequential, lanes: 128, scratchpadKiB: 8)
        let alone = try Self.price(w, p)
        var pricer = SequentialNetworkPricer(layers: try Self.layers(of: w), platform: Self.u280, point: p)
        pricer.begin()
        pricer.append(0)
        let first = pricer.price()
        #expect(first.cycles > 0 && first.cycles < alone.cycles)
        #expect(Self.price(w, on: &pricer) == alone)
        #expect(Self.price(w, on: &pricer) == alone)
    }
}
