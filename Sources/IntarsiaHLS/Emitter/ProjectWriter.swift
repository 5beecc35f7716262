import Foundation
import IntarsiaCore
import IntarsiaFPGA

/// Writes a complete Vitis HLS project for one design (layout in docs/HLS.md): sources, the
/// module library, a testbench with golden data from the Swift reference, run_hls.tcl,
/// hls_config.cfg, a Makefile for g++ C simulation and lint, a README and design.json.
public enum ProjectWriter {
    public struct Context: Sendable {
        public var specFile: String
        public var workloadName: String
        public var toolVersion: String
        public var seed: UInt64
        /// Where the Makefile looks for the ap_types headers by default (see `APTypesLocator`).
        public var apTypes: String
        /// The broken constraints of an infeasible design (emitted with --force), else empty.
        public var violations: String
        /// How many times the host runs the emitted graph (`Workload.repetitions`).
        public var repetitions = 1
        /// Whether tb/data (inputs, weights and golden outputs from the Swift reference) is written.
        public var goldenData = true
        public init(specFile: String, workloadName: String, toolVersion: String, seed: UInt64 = 1, apTypes: String, violations: String = "") {
            self.violations = violations
            self.specFile = specFile
            self.workloadName = workloadName
            self.toolVersion = toolVersion
            self.seed = seed
            self.apTypes = apTypes
        }
    }

    /// Every file of the project, by relative path (sorted), without writing anything.
    /// The template's emitter comes from `emitters`; a template without one is an
    /// `HLSProgram.Unsupported` error ("template X has no HLS emitter").
    public static func files(_ d: HLSDesign, context c: Context, emitters: HLSEmitters = .builtin) throws -> [(path: String, contents: String)] {
        let p = d.program
        let emitter = try emitters.emitter(for: d.point.template)
        if !d.streaming {
            let formats = Set(p.steps.filter(\.hasWeights).map(\.weightFormat))
            if formats.count > 1 {
                throw HLSProgram.Unsupported(description: "the \(d.point.template.rawValue) template keeps one weight buffer of one format; this workload's weights use \(formats.map(\.description).sorted().joined(separator: ", ")) (accepted: one weight format, or the dataflow template)")
            }
        }
        var f: [String: String] = [:]
        for lib in EmbeddedLibrary.files { f[lib.destination] = lib.contents + "\n" }
        f["src/params.h"] = params(d, c)
        f["src/top.h"] = topHeader(d)
        f["src/top.cpp"] = emitter.top(d)
        f["tb/tb_top.cpp"] = Testbench.source(d)
        if c.goldenData {
            let data = Reference.randomData(p, seed: c.seed)
            let outputs = Reference.run(p, data)
            f["tb/data/input.dat"] = lines(data.input)
            for (i, s) in p.steps.enumerated() where s.hasWeights { f["tb/data/w_\(sanitize(s.name)).dat"] = lines(Reference.offChipLayout(s, data.weights[i])) }
            for o in p.sinks { f["tb/data/expected_\(sanitize(p.steps[o].name)).dat"] = lines(outputs[o]) }
        } else {
            f["tb/data/README.md"] = "No testbench data: this design was emitted at full size for synthesis (the Swift reference was not run).\nEmit it at reduced sizes (the workload's size_divisor) or with --golden always for C simulation.\n"
        }
        f["run_hls.tcl"] = tcl(d, sources: f)
        f["hls_config.cfg"] = config(d, sources: f)
        f["Makefile"] = makefile(d, c)
        f["README.md"] = readme(d, c)
        let hash = contentHash(f)
        f["design.json"] = try designJSON(d, c, hash: hash)
        return f.keys.sorted().map { ($0, f[$0]!) }
    }

    /// Writes the project into `directory` (created if needed; files there are replaced).
    public static func write(_ d: HLSDesign, context c: Context, to directory: URL, emitters: HLSEmitters = .builtin) throws -> [String] {
        let fm = FileManager.default
        let all = try files(d, context: c, emitters: emitters)
        for (path, contents) in all {
            let url = directory.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url, options: .atomic)
            if path.hasSuffix(".sh") { try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path) }
        }
        return all.map(\.path)
    }

    static func lines(_ v: [Int64]) -> String {
        var s = ""
        s.reserveCapacity(v.count * 4)
        for x in v {
            s += String(x)
            s += "\n"
        }
        return s
    }

    /// FNV-1a (64 bits) over the sorted paths and contents: the same design gives the same hash.
    static func contentHash(_ f: [String: String]) -> String {
        var h = FNV1a()
        for k in f.keys.sorted() {
            h.add(k)
            h.add(f[k]!)
        }
        return h.hex16
    }

    static func knobs(_ d: HLSDesign) -> [(String, String)] {
        [("template", d.point.template.rawValue)] + Knob.knobs(of: d.point.template).map { ($0.rawValue, d.point.value(of: $0).description) }
    }

    static func params(_ d: HLSDesign, _ c: Context) -> String {
        let p = d.program
        var s = "// Generated by intarsia \(c.toolVersion) from \(c.specFile): \(c.workloadName) on \(d.platform.name) (\(d.platform.part)), \(d.platform.clockMHz) MHz.\n"
        s += "// Design point: " + knobs(d).map { "\($0.0)=\($0.1)" }.joined(separator: " ") + "\n"
        s += "#pragma once\n#include <ap_int.h>\n#include <ap_fixed.h>\n\n"
        s += "// Activations: \(p.activationFormat), raw value / 2^\(p.activationFormat.frac).\n"
        s += "typedef \(p.activationFormat.cppType) act_t;\n"
        if !d.streaming {
            let wf = p.steps.first(where: \.hasWeights)?.weightFormat ?? p.activationFormat
            s += "// Weights: \(wf), raw value / 2^\(wf.frac).\ntypedef \(wf.cppType) w_t;\n"
            s += "static const int ACC_W = \(max(1, p.steps.map(\.accumulatorBits).max() ?? 1));  // widest MAC accumulator, bits\n"
            s += "static const int SCRATCH_ELEMS = \(d.scratchElements);  // on-chip scratchpad, elements\n"
            s += "static const int DRAM_ELEMS = \(d.dramElements);  // off-chip activation buffer: input at 0, spills, outputs\n"
            s += "static const int WEIGHT_ELEMS = \(d.weightElements);\n"
            s += "static const int WEIGHT_LOAD = \(KernelCalls.weightLoadCode(d.point.weightLoad));  // weight_load=\(d.point.weightLoad.rawValue) (intarsia::weight_load)\n"
            s += "static const int MAX_WTERMS = \(max(1, p.steps.map(KernelCalls.weightTerms).max() ?? 1));  // largest weight column / filter\n"
        }
        let pipeline = d.point.pipelined ? "_Pragma(\"HLS PIPELINE II=1\")" : "_Pragma(\"HLS PIPELINE off\")"
        let flatten = d.point.flattenLoops ? "_Pragma(\"HLS LOOP_FLATTEN\")" : "_Pragma(\"HLS LOOP_FLATTEN off\")"
        s += "// MAC reduction loops: pipelined=\(d.point.pipelined), flatten_loops=\(d.point.flattenLoops).\n"
        s += "#define INTARSIA_MAC_LOOP \(pipeline) \(flatten)\n"
        s += "static const int INPUT_ELEMS = \(p.graphInputElements);\n"
        s += "static const int MAX_ROW = \(KernelCalls.maxCols(p));  // longest softmax / layer-norm row\n\n"
        for i in p.steps.indices { s += KernelCalls.configStruct(d, i) + "\n" }
        return s
    }

    static func topHeader(_ d: HLSDesign) -> String {
        var s = "#pragma once\n#include \"params.h\"\n\n"
        if d.streaming {
            s += "extern \"C\" void \(d.topName)(\(DataflowEmitter.ports(d).map(\.declaration).joined(separator: ", ")));\n"
        } else {
            s += "// dram: the graph input at 0, spilled intermediates, then the outputs (offsets in top.cpp's PROGRAM).\n"
            s += "extern \"C\" void \(d.topName)(act_t* dram, const w_t* weights);\n"
        }
        return s
    }

    static func synthesisSources(_ f: [String: String]) -> [String] { f.keys.filter { $0.hasPrefix("src/") }.sorted() }

    static func tcl(_ d: HLSDesign, sources f: [String: String]) -> String {
        let period = 1000 / d.platform.clockMHz
        var s = "# Vitis HLS (vitis_hls -f run_hls.tcl). The ap types and hls::stream come from Vitis itself here;\n"
        s += "# the open headers under the Makefile's AP_TYPES are for g++ C simulation only.\n"
        s += "open_project -reset proj_\(d.topName)\nset_top \(d.topName)\n"
        for src in synthesisSources(f) { s += src.hasSuffix(".cpp") ? "add_files \(src) -cflags \"-Isrc\"\n" : "add_files \(src)\n" }
        s += "add_files -tb tb/tb_top.cpp -cflags \"-Isrc\"\nadd_files -tb tb/data\n"
        s += "open_solution -reset solution1 -flow_target vitis\n"
        s += "set_part {\(d.platform.part)}\n"
        s += "create_clock -period \(String(format: "%.3f", period)) -name default\n"
        s += "csim_design\ncsynth_design\n# cosim_design\nexport_design -format xo\nexit\n"
        return s
    }

    static func config(_ d: HLSDesign, sources f: [String: String]) -> String {
        var s = "# v++ --mode hls --config hls_config.cfg (Vitis 2023.2 and later)\n"
        s += "part=\(d.platform.part)\n\n[hls]\nflow_target=vitis\n"
        s += "clock=\(String(format: "%.3f", 1000 / d.platform.clockMHz))ns\n"
        s += "syn.top=\(d.topName)\n"
        for src in synthesisSources(f) { s += "syn.file=\(src)\n" }
        s += "syn.cflags=-Isrc\n"
        s += "tb.file=tb/tb_top.cpp\ntb.file=tb/data\ntb.cflags=-Isrc\n"
        s += "syn.output.format=xo\n"
        return s
    }

    static func makefile(_ d: HLSDesign, _ c: Context) -> String {
        """
        # C simulation with g++ and Intarsia's hls::stream model; no vendor tool needed.
        #   make csim           sequential streams, as Vitis C simulation runs DATAFLOW
        #   make csim-threaded  one thread per dataflow process, depth-bounded FIFOs (finds FIFO deadlocks)
        #   make lint           synthesizability lint of the kernel sources
        #   make ap_types       fetch the open ap_int/ap_fixed headers (Apache-2.0) into AP_TYPES
        #   make synth          vitis_hls -f run_hls.tcl (where vitis_hls is on PATH), then intarsia hls-check on its reports
        AP_TYPES ?= \(c.apTypes)
        VITIS_HLS ?= vitis_hls
        INTARSIA ?= intarsia
        HLS_CHECK_FLAGS ?= --spec \(URL(fileURLWithPath: c.specFile).standardizedFileURL.path)
        CXX ?= g++
        CXXFLAGS ?= -std=c++17 -O2 -Wall -Wextra -Wno-unknown-pragmas -Wno-unused-label -Wno-uninitialized -Wno-maybe-uninitialized
        INCLUDES = -isystem $(AP_TYPES) -Isim -Isrc
        SOURCES = src/top.cpp tb/tb_top.cpp
        HEADERS = $(wildcard src/*.h) sim/hls_stream.h

        .PHONY: csim csim-threaded lint ap_types synth clean

        csim: build/csim
        \t./build/csim

        csim-threaded: build/csim_threaded
        \t./build/csim_threaded

        build/csim: $(SOURCES) $(HEADERS) | $(AP_TYPES)/ap_int.h
        \tmkdir -p build
        \t$(CXX) $(CXXFLAGS) $(INCLUDES) -o $@ $(SOURCES)

        build/csim_threaded: $(SOURCES) $(HEADERS) | $(AP_TYPES)/ap_int.h
        \tmkdir -p build
        \t$(CXX) $(CXXFLAGS) -DINTARSIA_THREADED_STREAMS -pthread $(INCLUDES) -o $@ $(SOURCES)

        lint: | $(AP_TYPES)/ap_int.h
        \tsh sim/lint.sh $(AP_TYPES) src/top.cpp

        $(AP_TYPES)/ap_int.h:
        \t@echo "ap_types headers not found in $(AP_TYPES): run 'make ap_types' or set AP_TYPES=<dir>" >&2; exit 1

        ap_types:
        \tbash sim/fetch-ap-types.sh $(AP_TYPES)

        synth:
        \t@command -v $(VITIS_HLS) >/dev/null 2>&1 || { echo "make synth: $(VITIS_HLS) is not on PATH; synthesis needs AMD Vitis HLS (make csim needs no vendor tool)" >&2; exit 2; }
        \t$(VITIS_HLS) -f run_hls.tcl
        \t$(INTARSIA) hls-check . $(HLS_CHECK_FLAGS)

        clean:
        \trm -rf build

        """.replacingOccurrences(of: "\\t", with: "\t")
    }

    static func readme(_ d: HLSDesign, _ c: Context) -> String {
        let e = d.evaluation
        var s = "# \(d.topName): \(c.workloadName) on \(d.platform.name), \(d.point.template.rawValue) template\n\n"
        s += "Generated by intarsia \(c.toolVersion) from `\(c.specFile)`.\n\n## Design point\n\n"
        s += "| knob | value |\n|---|---|\n" + knobs(d).map { "| \($0.0) | \($0.1) |" }.joined(separator: "\n") + "\n\n"
        s += "## Predicted by the model\n\n| figure | value |\n|---|---|\n"
        let rows: [(String, String)] = [
            ("latency_cycles", String(format: "%.0f", e.latencyCycles)), ("latency_ms", String(format: "%.6g", e.latencyMs)),
            ("dsp", String(e.dsp)), ("bram18k", String(e.bram18k)), ("uram", String(e.uram)), ("lut", String(e.lut)), ("ff", String(e.ff)),
            ("power_w", String(format: "%.3f", e.powerW)), ("energy_mj", String(format: "%.6g", e.energyMJ)),
            ("offchip_bytes", String(format: "%.0f", e.offChipBytes)), ("stages", String(d.stageCount)),
            ("feasible", e.feasible ? "yes" : "no (emitted with --force)"),
        ]
        s += rows.map { "| \($0.0) | \($0.1) |" }.joined(separator: "\n") + "\n\n"
        s += "Part `\(d.platform.part)`, clock \(d.platform.clockMHz) MHz. Activations \(d.program.activationFormat).\n\n"
        s += d.bufferSection()
        if c.repetitions > 1 {
            s += "The workload runs its graph \(c.repetitions) times back to back, each time with its own weights (e.g. GPT-2's blocks); the kernel computes one repetition and the host calls it \(c.repetitions) times. The predicted figures are for all of them.\n\n"
        }
        s += """
        ## Check it

        ```
        make ap_types        # once: the open ap_int/ap_fixed headers (Apache-2.0), unless AP_TYPES already has them
        make csim            # g++ C simulation against the Swift reference's golden outputs
        make csim-threaded   # the same with one thread per dataflow process and bounded FIFOs
        make lint            # no dynamic memory, printing, VLAs or exceptions in the kernel
        ```

        The testbench prints `N passed, N failed` (elements compared with tb/data/expected_*.dat) and
        exits non-zero on any mismatch. Integer and fixed-point results are bit-exact; the non-linear
        functions are integer approximations whose error bounds are in Intarsia's docs/HLS_NUMERICS.md.

        ## Synthesis

        `vitis_hls -f run_hls.tcl` (or `v++ --mode hls --config hls_config.cfg`) runs C simulation,
        synthesis and export of the `\(d.topName)` kernel. The open ap headers are never put on the
        vendor include path.

        ## Files

        - `src/top.cpp`, `src/top.h`: the top function and its processes or instruction list
        - `src/params.h`: sizes, number formats and one config struct per task (the model's decisions)
        - `src/modules.h`, `src/intarsia_math.h`: Intarsia's module library
        - `tb/tb_top.cpp`, `tb/data/`: testbench, seeded inputs (seed \(c.seed)) and golden outputs
        - `sim/`: the hls::stream model for g++, the lint, the ap_types fetch script

        """
        return s
    }

    struct DesignRecord: Encodable {
        var tool: String
        var toolVersion: String
        var spec: String
        var workload: String
        var platform: String
        var part: String
        var clockMHz: Double
        var top: String
        var design: [String: String]
        var predicted: [String: Double]
        var feasible: Bool
        var violations: String
        var stages: Int
        var emittedBufferBytes: Int
        var modelBufferBytes: Int
        var tasks: [TaskEntry]
        var streams: [StreamEntry]
        var seed: UInt64
        var contentHash: String
    }

    struct TaskEntry: Encodable {
        var name: String
        var operation: String
        var stage: Int
        var lanes: Int
        var unroll: Int
        var accumulatorBits: Int
        var requantizeShift: Int
        var location: String
        var offset: Int
        var bufferStorage: String
    }

    struct StreamEntry: Encodable {
        var name: String
        var depth: Int
    }

    static func designJSON(_ d: HLSDesign, _ c: Context, hash: String) throws -> String {
        let e = d.evaluation
        let p = d.program
        let rec = DesignRecord(
            tool: "intarsia", toolVersion: c.toolVersion, spec: c.specFile, workload: c.workloadName, platform: d.platform.name,
            part: d.platform.part, clockMHz: d.platform.clockMHz, top: d.topName,
            design: Dictionary(uniqueKeysWithValues: knobs(d)),
            predicted: ["latency_cycles": e.latencyCycles, "latency_ms": e.latencyMs, "dsp": Double(e.dsp), "bram18k": Double(e.bram18k),
                        "uram": Double(e.uram), "lut": Double(e.lut), "ff": Double(e.ff), "power_w": e.powerW, "energy_mj": e.energyMJ,
                        "offchip_bytes": e.offChipBytes],
            feasible: e.feasible, violations: c.violations, stages: d.stageCount, emittedBufferBytes: d.emittedBufferBytes,
            modelBufferBytes: d.modelBufferBytes,
            tasks: p.steps.enumerated().map { i, s in
                TaskEntry(name: s.name, operation: KernelCalls.describe(s), stage: d.stage[i], lanes: d.lanes[i], unroll: d.unroll[i],
                          accumulatorBits: s.accumulatorBits, requantizeShift: s.requantizeShift,
                          location: d.streaming ? (p.sinks.contains(i) ? "off_chip" : "on_chip") : d.location[i].rawValue,
                          offset: d.streaming ? 0 : d.offset[i], bufferStorage: d.bufferStorage[i].rawValue)
            },
            streams: d.streaming ? d.streams.map { StreamEntry(name: $0.name, depth: $0.depth) } : [],
            seed: c.seed, contentHash: hash)
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try enc.encode(rec), as: UTF8.self) + "\n"
    }
}
