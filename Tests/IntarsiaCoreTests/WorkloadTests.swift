import Testing
@testable import IntarsiaCore

@Suite struct DataTypeTests {
    @Test func parsesNamesAndFixedPoint() {
        #expect(DataType(name: "int8") == .int8)
        #expect(DataType(name: "FP32") == .fp32)
        #expect(DataType(name: "fixed<16,8>") == .fixed(totalBits: 16, fractionBits: 8))
        #expect(DataType(name: "fixed<8,8>") == nil)
        #expect(DataType(name: "int7") == nil)
        #expect(DataType.int4.bytes == 0.5)
        #expect(DataType.bf16.bits == 16)
    }
}

@Suite struct OperatorTests {
    @Test func convolutionShapesByHand() {
        // 224×224, 3×3, pad 1, stride 1: 224×224 outputs, 9 MACs each.
        let c = Operator.conv2d(batch: 1, channels: 1, height: 224, width: 224, filters: 1, kernelH: 3, kernelW: 3, stride: 1, padding: 1)
        #expect(c.outputElements == 50_176)
        #expect(c.macs == 451_584)
        // VAE encoder: 28×28, 8×8, no padding: 21×21 per filter, 2 filters of 2×8×8.
        let e = Operator.conv2d(batch: 1, channels: 2, height: 28, width: 28, filters: 2, kernelH: 8, kernelW: 8, stride: 1, padding: 0)
        #expect(e.outputElements == 2 * 21 * 21)
        #expect(e.macs == 2 * 21 * 21 * 2 * 64)
        // Transposed conv 18×18 → (18−1)+8 = 25.
        let t = Operator.transposedConv2d(batch: 1, channels: 1, height: 18, width: 18, filters: 2, kernelH: 8, kernelW: 8, stride: 1, padding: 0)
        #expect(t.outputElements == 2 * 25 * 25)
        #expect(t.macs == 18 * 18 * 1 * 2 * 64)
        #expect(Operator.pool(channels: 1, height: 896, width: 896, window: 2).outputElements == 448 * 448)
        #expect(Operator.upsample(channels: 1, height: 224, width: 224, factor: 2).outputElements == 448 * 448)
    }
}

@Suite struct BuiltinWorkloadTests {
    @Test func cnn4lIntermediatesMatchThePaper() throws {
        // InTAR: 98 KB, 392 KB, 1.53 MB, 392 KB, 98 KB (int16).
        let w = try BuiltinWorkload.cnn4l.make()
        let bytes = Dictionary(uniqueKeysWithValues: w.tasks.map { ($0.name, Int($0.outputBytes)) })
        #expect(bytes["conv1"] == 224 * 224 * 2)   // 100,352 B = 98 KiB
        #expect(bytes["conv2"] == 448 * 448 * 2)   // 392 KiB
        #expect(bytes["conv3"] == 896 * 896 * 2)   // 1,605,632 B = 1.53 MiB
        #expect(bytes["conv4"] == 448 * 448 * 2)
        #expect(bytes["pool4"] == 224 * 224 * 2)
    }

    @Test func macCountsWorkedByHand() throws {
        #expect(try BuiltinWorkload.mlp.make().totalMACs == 256 * 1024 + 1024 * 2048 + 2048 * 256)
        // Q, K, V: 3·256·1024·1024; Q·Kᵀ: 256·1024·256; S·V: 256·256·1024.
        #expect(try BuiltinWorkload.selfAttention.make().totalMACs == 3 * 256 * 1024 * 1024 + 2 * 256 * 1024 * 256)
        #expect(try BuiltinWorkload.gating.make().totalMACs == 3 * 32 * 4096 * 11008)
        // GPT-2 block: 4 projections L·1024², FFN 2·L·1024·4096, attention 2·L²·1024.
        let l = 256
        let block = 4 * l * 1024 * 1024 + 2 * l * 1024 * 4096 + 2 * l * l * 1024
        #expect(try BuiltinWorkload.gpt2Block.make(parameters: ["sequence_length": l]).totalMACs == block)
        #expect(try BuiltinWorkload.gpt2Medium.make(parameters: ["sequence_length": l]).totalMACs == 24 * block)
    }

    @Test func gatingIntermediateIs688KiB() throws {
        let w = try BuiltinWorkload.gating.make()
        #expect(w.tasks.first { $0.name == "up" }!.outputBytes == 704_512)
        #expect(w.tasks.first { $0.name == "up" }!.weightBytes == 4096 * 11008 * 2)
    }

    @Test func gpt2WeightsAreInt4() throws {
        let w = try BuiltinWorkload.gpt2Block.make(parameters: ["sequence_length": 128])
        #expect(w.tasks.first { $0.name == "ffn1" }!.weightBytes == 1024 * 4096 / 2)
    }

    @Test func barriersWhereTheWholeTensorIsNeeded() throws {
        let w = try BuiltinWorkload.selfAttention.make()
        func kind(_ p: String, _ c: String) -> EdgeKind? {
            let pi = w.tasks.firstIndex { $0.name == p }!, ci = w.tasks.firstIndex { $0.name == c }!
            return w.edges.first { $0.producer == pi && $0.consumer == ci }?.kind
        }
        // Held whole when produced alongside Q (resp. the softmax), streamed against them otherwise.
        #expect(kind("k_proj", "qk") == .either)
        #expect(kind("v_proj", "sv") == .either)
        #expect(kind("q_proj", "qk") == .stream)
        #expect(kind("softmax", "sv") == .stream)
    }
}

@Suite struct GraphTests {
    func t(_ n: String) -> Task { Task(name: n, op: .activation(elements: 4, kind: "relu"), dataType: .int8) }

    @Test func sortsTopologicallyAndKeepsGivenOrderWhereFree() throws {
        let w = try Workload(name: "g", tasks: [(t("b"), [.init("a", .stream)]), (t("a"), [.init("input", .stream)]), (t("c"), [.init("input", .stream)])])
        #expect(w.tasks.map(\.name) == ["a", "b", "c"])
        #expect(w.edges.allSatisfy { $0.producer < $0.consumer })
        #expect(w.sinkTasks == [1, 2])
    }

    @Test func rejectsBadGraphs() {
        #expect(throws: Workload.GraphError.duplicateTask("a")) {
            try Workload(name: "g", tasks: [(t("a"), []), (t("a"), [])])
        }
        #expect(throws: Workload.GraphError.unknownInput(task: "a", input: "zz")) {
            try Workload(name: "g", tasks: [(t("a"), [.init("zz", .stream)])])
        }
        #expect(throws: Workload.GraphError.self) {
            try Workload(name: "g", tasks: [(t("a"), [.init("b", .stream)]), (t("b"), [.init("a", .stream)])])
        }
        #expect(throws: Workload.GraphError.empty) { try Workload(name: "g", tasks: []) }
    }
}

@Suite struct PlatformCatalogTests {
    @Test func u280FiguresFromTheDataSheet() {
        let u = PlatformCatalog.named("U280")!
        #expect(u.dsp == 9024 && u.bram18k == 4032 && u.uram == 960)
        #expect(u.lut == 1_302_720 && u.ff == 2_607_360 && u.slrs == 3)
        #expect(u.mainMemory.kind == .hbm2 && u.mainMemory.channels == 32)
        #expect(abs(u.mainMemory.channelGBps - 14.375) < 1e-9)
        #expect(u.shell.dsp == 4)
        #expect(u.dspPerMAC(.int16) == 1 && u.dspPerMAC(.int8) == 0.5 && u.dspPerMAC(.int8, weights: .int4) == 0.5)
    }

    @Test func catalogHasTheRequiredFamilies() {
        let names = Set(PlatformCatalog.all.map(\.name))
        #expect(names.isSuperset(of: ["u280", "u250", "u55c", "zcu102", "vck190"]))
        for p in PlatformCatalog.all {
            #expect(p.dsp > 0 && p.bram18k > 0 && p.lut > 0 && p.ff > 0 && !p.memories.isEmpty)
            #expect(p.onChipBytesAfterShell > 0)
        }
    }
}

/// Spearman's rho worked by hand: x = (1, 2, 3, 4), y = (1, 3, 2, 4) → d² = 0+1+1+0 = 2,
/// rho = 1 − 6·2/(4·15) = 0.8; ties share their mean rank: (10, 20, 20, 30) → (1, 2.5, 2.5, 4).
@Suite struct RankCorrelationTests {
    @Test func handWorked() {
        #expect(abs(RankCorrelation.spearman([1, 2, 3, 4], [1, 3, 2, 4]) - 0.8) < 1e-12)
        #expect(RankCorrelation.ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4])
        #expect(abs(RankCorrelation.spearman([1, 2, 3], [3, 2, 1]) + 1) < 1e-12)
    }
}
