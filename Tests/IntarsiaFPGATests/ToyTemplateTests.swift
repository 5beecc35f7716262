import Foundation
import Testing
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaSpec
import IntarsiaSearch
import IntarsiaHLS
import IntarsiaReports
@testable import IntarsiaDriver

/// A template written entirely in this file: one unit with every lane running one MAC task per
/// stage (the sequential template's schedule and resources) that reads only `lanes` (1 to 128,
/// where the built-in templates take up to 1048576) and `word_bits`, with a default of 32 lanes. Adding it touches no other file: it is registered
/// in a registry of this test's own, which the spec reader, the listing and the HLS project
/// writer take.
enum ToyTemplate: FPGATemplate {
    static let identifier = "toy"
    static let summary = "a test's toy: one unit runs the MAC tasks one per stage"
    static let knobs: [TemplateKnob] = [TemplateKnob(.lanes, defaults: [.int(32)], accepts: .integers(1...128)), .standard(.wordBits)]
    static let schedulePolicy = SchedulePolicy.oneMACTaskPerStage
    static let unitRule = UnitRule.one
    static let resourceRule = ResourceRule.sharedUnits
}

/// The toy's HLS emitter: its own top function, the rest of the project as for shared units.
enum ToyHLSEmitter: HLSTemplateEmitter {
    static let templateIdentifier = ToyTemplate.identifier
    static func top(_ d: HLSDesign) -> String { "// toy top for \(d.program.steps.count) steps\n" }
}

struct ToyTemplateTests {
    static let templates = try! FPGATemplates.builtin.adding(ToyTemplate.self)
    static let toy = TemplateKind(ToyTemplate.self)

    /// MLP at size_divisor 16 (16 → 64 → 128 → 16: three MAC tasks, a ReLU after each); the toy lists two lane
    /// counts and leaves `word_bits` at its default (512).
    static let specText = """
        name: toy-mlp
        workload:
          builtin: mlp
          parameters:
            size_divisor: 16
        platform:
          name: u280
        templates:
          toy:
            lanes: [16, 64]
        objectives: [latency_ms, dsp]
        """

    @Test func theSpecReaderAcceptsTheToyOnlyWhenItIsRegistered() throws {
        let spec = try DesignSpec.parse(text: Self.specText, file: "toy.yaml", templates: Self.templates)
        let space = try #require(spec.space.templates.first)
        #expect(spec.space.templates.count == 1 && space.template == Self.toy && space.template.rawValue == "toy")
        // Its two knobs, in its order; two lane counts × one word width.
        #expect(space.knobs == [.lanes, .wordBits] && space.values == [[.int(16), .int(64)], [.int(512)]])
        #expect(spec.space.count == 2)
        // Without the section's lanes, its own default (32), not the built-in templates' (64).
        let bare = try DesignSpec.parse(text: Self.specText.replacingOccurrences(of: "    lanes: [16, 64]\n", with: "").replacingOccurrences(of: "toy:\n", with: "toy: ~\n"),
                                        file: "toy.yaml", templates: Self.templates)
        #expect(bare.space.templates[0].values[0] == [.int(32)])
        // A knob the toy does not read is rejected in its section.
        #expect(throws: SpecError.self) {
            try DesignSpec.parse(text: Self.specText.replacingOccurrences(of: "[16, 64]\n", with: "[16, 64]\n    compute_units: [2]\n"), file: "toy.yaml",
                                 templates: Self.templates)
        }
        // Its own range: 256 lanes are fine for the built-in templates, not for the toy.
        do {
            _ = try DesignSpec.parse(text: Self.specText.replacingOccurrences(of: "[16, 64]", with: "[16, 256]"), file: "toy.yaml", templates: Self.templates)
            Issue.record("256 lanes were accepted by a template that takes at most 128")
        } catch let e as SpecError {
            #expect(e.file == "toy.yaml" && e.key == "templates.toy.lanes[1]" && e.value == "256" && e.accepted == "an integer from 1 to 128")
        }
        #expect(try DesignSpec.parse(text: Self.specText.replacingOccurrences(of: "toy:", with: "sequential:").replacingOccurrences(of: "[16, 64]", with: "[16, 256]"),
                                     file: "toy.yaml").space.count == 2)
        // The built-in registry does not know it, and says which templates it knows.
        do {
            _ = try DesignSpec.parse(text: Self.specText, file: "toy.yaml")
            Issue.record("the toy template was accepted without being registered")
        } catch let e as SpecError {
            #expect(e.key == "templates.toy" && e.accepted == "dataflow, sequential, reconfigurable")
        }
    }

    @Test func aSearchRunsOverTheToyAndPricesItAsItsPoliciesSay() throws {
        let spec = try DesignSpec.parse(text: Self.specText, file: "toy.yaml", templates: Self.templates)
        var settings = SearchSettings()
        settings.strategy = .exhaustive
        var rows: [EvaluatedDesign] = []
        let summary = try SearchRunner(model: spec.model, space: spec.space, objectives: spec.objectives, settings: settings).run(sink: { rows += $0 })
        #expect(summary.evaluated == 2 && rows.map(\.point.lanes).sorted() == [16, 64])
        #expect(rows.allSatisfy { $0.point.template == Self.toy })
        for r in rows {
            // The toy runs the sequential template's schedule on its resources: one stage per
            // MAC task (three), and the same figures as a sequential point of the same knobs.
            #expect(r.evaluation.stages == 3)
            var same = r.point
            same.template = .sequential
            #expect(r.evaluation == spec.model.evaluate(same))
        }
    }

    @Test func theListingShowsItsLineAndKnobs() {
        let text = PlatformListing.templates(Self.templates)
        let line = text.split(separator: "\n").first { $0.hasPrefix("toy ") }
        #expect(line?.contains("lanes word_bits") == true)
        #expect(line?.contains(ToyTemplate.summary) == true)
        #expect(!PlatformListing.templates().contains("toy"))
    }

    @Test func hlsNeedsAnEmitterFoundByTheTemplatesName() throws {
        let spec = try DesignSpec.parse(text: Self.specText, file: "toy.yaml", templates: Self.templates)
        let point = spec.space.point(at: 0)
        var recorder = BreakdownRecorder()
        let evaluation = spec.model.evaluate(point, recorder: &recorder)
        let design = HLSDesign(program: try HLSProgram(spec.workload), workload: spec.workload, point: point, platform: spec.platform,
                               evaluation: evaluation, tasks: recorder.tasks)
        let context = ProjectWriter.Context(specFile: "toy.yaml", workloadName: "mlp", toolVersion: "test", apTypes: "", violations: "")
        do {
            _ = try ProjectWriter.files(design, context: context)
            Issue.record("a template without an HLS emitter was emitted")
        } catch let e as HLSProgram.Unsupported {
            #expect(e.description.hasPrefix("template toy has no HLS emitter"))
        }
        let emitters = try HLSEmitters.builtin.adding(ToyHLSEmitter.self)
        var c = context
        c.goldenData = false
        let files = Dictionary(uniqueKeysWithValues: try ProjectWriter.files(design, context: c, emitters: emitters).map { ($0.path, $0.contents) })
        #expect(files["src/top.cpp"] == "// toy top for 6 steps\n")  // fc1, relu1, fc2, relu2, fc3, relu3
        // Shared units: the program's single-pointer interface, not one port per stream.
        #expect(files["src/top.h"]?.contains("act_t* dram, const w_t* weights") == true)
    }

    /// The commands that read template names back take the registry: a search in two shards
    /// merged, the merged CSV read and compared, its best row emitted as an HLS project, and `list
    /// knobs toy`. Without the registry each refuses the toy by name.
    @Test func mergeCompareHLSAndListKnobsTakeTheRegistry() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("toy-fpga-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        try Self.specText.write(toFile: path("toy.yaml"), atomically: true, encoding: .utf8)
        var options = SearchJob.Options()
        options.templates = Self.templates
        options.strategy = .exhaustive
        options.progress = false
        options.workers = 1
        for i in 0..<2 {
            var o = options
            try o.setShard("\(i)/2")
            o.output = path("shard\(i).csv")
            _ = try SearchJob.run(specPath: path("toy.yaml"), options: o, stderr: { _ in })
        }
        let shards = [path("shard0.csv"), path("shard1.csv")]
        #expect(try MergeJob.run(specPath: path("toy.yaml"), inputs: shards, output: path("merged.csv"), templates: Self.templates) == 2)
        #expect(throws: (any Error).self) { try MergeJob.run(specPath: path("toy.yaml"), inputs: shards, output: path("again.csv")) }
        let table = try DesignTable.read(path("merged.csv"), templates: Self.templates)
        #expect(table.rows.map { table.value($0, "template") } == ["toy", "toy"] && table.rows.map { table.value($0, "lanes") } == ["16", "64"])
        do {
            _ = try DesignTable.read(path("merged.csv"))
            Issue.record("the built-in registry read a toy row")
        } catch let e as DesignTable.ReadError {
            #expect(e.description.contains("template 'toy' is unknown; accepted: dataflow, sequential, reconfigurable"))
        }
        var compare = CompareJob.Options(files: [path("merged.csv")])
        compare.templates = Self.templates
        #expect(try CompareJob.run(compare, stderr: { _ in }).contains("toy"))
        var hls = HLSJob.Options(specPath: path("toy.yaml"), output: path("hls"))
        hls.csv = path("merged.csv")
        hls.rank = 1
        hls.golden = .never
        hls.force = true
        hls.templates = Self.templates
        hls.emitters = try HLSEmitters.builtin.adding(ToyHLSEmitter.self)
        let result = try HLSJob.run(hls)
        #expect(result.summary.contains("toy template, lanes=64 word_bits=512"))  // the faster row: 64 lanes
        #expect(try String(contentsOfFile: path("hls/src/top.cpp"), encoding: .utf8) == "// toy top for 6 steps\n")
        let knobs = try PlatformListing.listing("knobs", template: "toy", templates: Self.templates)
        #expect(knobs.contains("lanes") && knobs.contains("an integer from 1 to 128") && knobs.contains("word_bits") && !knobs.contains("compute_units"))
        #expect(throws: UserError.self) { try PlatformListing.listing("knobs", template: "toy") }
    }
}
