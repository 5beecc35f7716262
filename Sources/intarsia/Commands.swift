import ArgumentParser
import Foundation
import IntarsiaDriver
import IntarsiaFPGA
import IntarsiaReports
import IntarsiaSearch
import IntarsiaScheduler

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explore a spec's design space; write every design (or the Pareto set) as CSV.",
        discussion: """
        Examples:
          intarsia search designs/intar/self-attention-u280.yaml
          intarsia search designs/intar/mlp-u280.yaml --strategy nsga2 --budget 500 --seed 7 -o out/mlp.csv
          intarsia search SPEC --shard 0/4 -o out/s0.csv   (then: intarsia merge SPEC out/s*.csv -o out/all.csv)
          intarsia search SPEC --resume                     (continue an interrupted run)
        Exit codes: 0 done; 2 bad input or no design meets the constraints (the CSV is still written).
        """)

    @Argument(help: "Design spec (YAML), e.g. designs/intar/mlp-u280.yaml") var spec: String
    @Option(name: .shortAndLong, help: "CSV to write (default: the spec's output.path)") var output: String?
    @Flag(help: "Write only the Pareto set") var paretoOnly = false
    @Option(help: "exhaustive, random, nsga2 or auto") var strategy: String?
    @Option(parsing: .unconditional, help: "Most designs to evaluate") var budget: Int?
    @Option(parsing: .unconditional, help: "Random seed") var seed: UInt64?
    @Option(parsing: .unconditional, help: "Worker threads (default: all cores)") var jobs: Int?
    @Flag(name: .shortAndLong, help: "No progress on stderr") var quiet = false
    @Flag(help: "Continue an interrupted run of the same spec and options from its checkpoint (OUTPUT.partial)") var resume = false
    @Flag(help: "Do not write the SVG plots and HTML report beside the CSV") var noReport = false
    @Option(parsing: .unconditional, help: "Run shard i of N (i/N, 0-based); combine the shards with 'intarsia merge'") var shard: String?

    func run() throws {
        try reportingErrors {
            try NASJob.refuse(spec, in: "search")
            if let j = jobs, j < 1 { throw UserError("--jobs \(j): must be at least 1") }
            if ASICJob.isASIC(spec) {
                print(try ASICJob.search(specPath: spec, output: output, workers: jobs, stderr: writeStderr), terminator: "")
                return
            }
            var o = SearchJob.Options()
            o.resume = resume
            o.report = !noReport
            if let shard {
                let parts = shard.split(separator: "/").map { Int($0) }
                guard parts.count == 2, let i = parts[0], let n = parts[1], n >= 1, i >= 0, i < n else {
                    throw UserError("--shard '\(shard)': accepted: i/N with 0 <= i < N, e.g. 0/4")
                }
                o.shard = (i, n)
            }
            o.output = output
            o.paretoOnly = paretoOnly ? true : nil
            if let s = strategy {
                guard let st = Strategy(rawValue: s) else { throw UserError("--strategy '\(s)': unknown strategy; accepted: \(Strategy.acceptedNames)") }
                o.strategy = st
            }
            if let b = budget, b < 1 { throw UserError("--budget \(b): must be at least 1") }
            if let j = jobs, j < 1 { throw UserError("--jobs \(j): must be at least 1") }
            o.budget = budget
            o.seed = seed
            o.workers = jobs
            o.progress = !quiet
            let r = try SearchJob.run(specPath: spec, options: o, stderr: writeStderr)
            let s = r.summary
            writeStderr("\(s.strategy.rawValue): \(s.evaluated) of \(s.spaceSize) designs evaluated (\(s.pruned) pruned), \(s.feasible) feasible, Pareto front \(s.pareto.count), \(String(format: "%.2f", s.seconds)) s (CSV rows: writer busy \(String(format: "%.2f", r.writerBusySeconds)) s beside the search, search held up \(String(format: "%.2f", r.writerSeconds)) s); wrote \(r.outputPath)\n")
            print(r.table, terminator: "")
        }
    }
}

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate one design point with a per-task and per-stage breakdown.",
        discussion: """
        Examples:
          intarsia evaluate designs/intar/gating-u280.yaml --set template=reconfigurable --set lanes=768
          intarsia evaluate designs/intar/mlp-u280.yaml --set template=dataflow --set allocation=balanced --format json
        """)

    @Argument(help: "Design spec (YAML)") var spec: String
    @Option(help: "Template to evaluate (default: the spec's first)") var template: String?
    @Option(name: .customLong("set"), help: "Knob override, knob=value (repeatable); also template=NAME") var sets: [String] = []
    @Option(help: "text or json") var format = "text"
    @Option(parsing: .unconditional, help: "ASIC specs: the design's id in the space (default 0: every knob's first value)") var design: Int?

    func run() throws {
        try reportingErrors {
            guard format == "text" || format == "json" else { throw UserError("--format '\(format)': accepted: text, json") }
            try NASJob.refuse(spec, in: "evaluate")
            if ASICJob.isASIC(spec) {
                // Options that do not apply are refused, not ignored.
                if let s = sets.first { throw UserError("--set \(s): \(spec) is an ASIC spec, whose designs are chosen by id; accepted: --design ID (0 to the space size - 1, see the search CSV's id column)") }
                if let t = template { throw UserError("--template \(t): \(spec) is an ASIC spec, which has no FPGA templates; accepted: --design ID") }
                print(try ASICJob.evaluate(specPath: spec, id: design, json: format == "json"), terminator: "")
                return
            }
            if let d = design { throw UserError("--design \(d): applies to ASIC specs only; \(spec) is an FPGA spec: choose its design with --template and --set knob=value") }
            let r = try EvaluateJob.run(specPath: spec, template: template, sets: sets)
            print(format == "json" ? try EvaluateJob.json(r) : EvaluateJob.text(r), terminator: format == "json" ? "\n" : "")
        }
    }
}

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Line up the best design per template of result CSVs, with ratios against a baseline.",
        discussion: """
        Examples:
          intarsia compare results/mlp-u280.csv results/self-attention-u280.csv --lanes 32 -o results/compare.csv
          intarsia compare results/a.csv results/b.csv --plot out/both.svg --x latency_ms --y dsp
        """)

    @Argument(help: "Result CSVs written by 'intarsia search'") var files: [String]
    @Option(help: "Column to rank by (lower is better)") var metric = "latency_cycles"
    @Option(parsing: .unconditional, help: "Row of the comparison that ratios are taken against (0 = first)") var baseline = 0
    @Option(parsing: .unconditional, help: "Only designs with this many lanes (a matched budget)") var lanes: Int?
    @Option(name: .shortAndLong, help: "Also write the comparison to this CSV") var output: String?
    @Option(help: "Also plot every file's designs on one SVG chart (each file its own colour and front)") var plot: String?
    @Option(help: "Plot's x column") var x = "latency_ms"
    @Option(help: "Plot's y column") var y = "dsp"

    func run() throws {
        try reportingErrors {
            guard !files.isEmpty else { throw UserError("give at least one result CSV") }
            if let output { try OutputPath.check(output, option: "-o") }
            if let plot { try OutputPath.check(plot, option: "--plot") }
            let locks = try [output, plot].compactMap { $0 }.map(OutputLock.init(path:))
            defer { locks.forEach { $0.release() } }
            let tables = try files.map(DesignTable.read)
            if let plot {
                for t in tables { for c in [x, y] where t.column(c) == nil { throw UserError("\(t.file): no column '\(c)'; accepted: \(t.header.joined(separator: ", "))") } }
                let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
                let series = tables.enumerated().map { k, t in
                    SVGPlot.Series(label: URL(fileURLWithPath: t.file).lastPathComponent, color: colors[k % colors.count],
                                   points: t.rows.map { r in (x: t.number(r, x), y: t.number(r, y), feasible: t.value(r, "feasible") == "true",
                                                              front: t.value(r, "pareto") == "true", id: Int(t.value(r, "id")) ?? -1) })
                }
                try writeAtomically(SVGPlot.pareto(title: "\(SVGPlot.axisLabel(y)) against \(SVGPlot.axisLabel(x))", xColumn: x, yColumn: y,
                                                   series: series, chosen: nil), to: plot)
                writeStderr("wrote \(plot)\n")
            }
            let rows = try Comparison.rows(tables: tables, metric: metric, baseline: baseline, lanes: lanes)
            print(TextTable.render(header: Comparison.header, rows: rows), terminator: "")
            if let output {
                try writeAtomically(([Comparison.header] + rows).map(CSV.line).joined(separator: "\n") + "\n", to: output)
                writeStderr("wrote \(output)\n")
            }
        }
    }
}

struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Best dataflow, sequential and reconfigurable design per kernel at each matched lane budget.",
        discussion: """
        Examples:
          intarsia summary results/{self-attention,mlp,cnn-4l,vae,gating,gpt2-medium}-u280.csv -o results/intar-hdv-summary.csv
        """)

    @Argument(help: "Result CSVs, one per kernel") var files: [String]
    @Option(name: .shortAndLong, help: "CSV to write") var output = "results/intar-hdv-summary.csv"

    func run() throws {
        try reportingErrors {
            guard !files.isEmpty else { throw UserError("give at least one result CSV, one per kernel") }
            try OutputPath.check(output, option: "-o")
            let lock = try OutputLock(path: output)
            defer { lock.release() }
            let rows = HDVSummary.rows(tables: try files.map(DesignTable.read))
            guard !rows.isEmpty else { throw UserError("no lane budget at which all three templates have a feasible design in the given files") }
            try writeAtomically(([HDVSummary.header] + rows).map(CSV.line).joined(separator: "\n") + "\n", to: output)
            print(TextTable.render(header: HDVSummary.header, rows: rows), terminator: "")
            writeStderr("wrote \(output)\n")
        }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Model latency of published designs against their hardware measurements.",
        discussion: """
        Examples:
          intarsia validate
          (exit code 1 when a design with a tolerance falls outside it)
        """)

    func run() throws {
        try reportingErrors {
            var rows: [[String]] = []
            var failed = 0
            for d in PublishedDesign.all {
                let c = try d.check()
                if !c.withinTolerance { failed += 1 }
                rows.append([d.name, String(Int64(d.measuredCycles)), String(Int64(c.modelCycles.rounded())),
                             String(format: "%+.1f%%", c.relativeError * 100), d.tolerance.map { String(format: "%.0f%%", $0 * 100) } ?? "-",
                             d.tolerance == nil ? "reported" : (c.withinTolerance ? "ok" : "OUT"), String(d.measuredDSP), String(c.modelDSP)])
            }
            print(TextTable.render(header: ["design", "measured_cycles", "model_cycles", "error", "tolerance", "status", "measured_dsp", "model_dsp"], rows: rows), terminator: "")
            print("\nreported: the model lacks the design's dominant mechanism; docs/VALIDATION.md says which.")
            if failed > 0 { throw UserError("\(failed) design(s) outside tolerance", exitCode: 1) }
        }
    }
}

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Design points evaluated per second on one core (build with -c release).",
        discussion: """
        Examples:
          swift run -c release intarsia bench designs/intar/*.yaml --seconds 2
        """)

    @Argument(help: "Design specs to measure") var specs: [String] = []
    @Option(parsing: .unconditional, help: "Seconds per spec and template") var seconds = 1.0
    @Flag(help: "Also time the NAS-Bench-201 table and the hardware cost of all its cells") var nb201 = false

    func run() throws {
        try reportingErrors {
            #if DEBUG
            writeStderr("warning: this is a debug build; run 'swift run -c release intarsia bench ...' for figures worth recording\n")
            #endif
            guard seconds.isFinite, seconds > 0, seconds <= IntarsiaDriver.Bench.maxSecondsPerCase else {
                throw UserError("--seconds \(seconds): accepted: a number of seconds above 0 and at most \(Int(IntarsiaDriver.Bench.maxSecondsPerCase)) (per spec and template)")
            }
            for s in specs { try NASJob.refuse(s, in: "bench") }
            let rows = try IntarsiaDriver.Bench.run(specPaths: specs, secondsPerCase: seconds)
            if !rows.isEmpty {
                print(TextTable.render(header: ["spec", "template", "points", "seconds", "points_per_s_per_core", "cold_points_per_s_per_core"],
                                       rows: rows.map { [$0.spec, $0.label, String($0.points), String(format: "%.2f", $0.seconds),
                                                         String(format: "%.0f", $0.perSecond), String(format: "%.0f", $0.coldPerSecond)] }),
                      terminator: "")
            }
            if nb201 {
                print(TextTable.render(header: ["NAS-Bench-201", "seconds"], rows: try IntarsiaDriver.Bench.nb201().map { [$0.0, String(format: "%.4f", $0.1)] }), terminator: "")
            }
            let asic = try specs.filter(ASICJob.isASIC).map { try IntarsiaDriver.Bench.runASIC(specPath: $0, secondsPerCase: seconds) }
            if !asic.isEmpty {
                print(TextTable.render(header: ["asic spec", "layer_points_per_s_per_core", "layers", "whole_network_us"],
                                       rows: asic.map { [$0.spec, String(format: "%.0f", $0.layersPerSecond), String($0.layers), String(format: "%.1f", $0.networkMicroseconds)] }),
                      terminator: "")
            }
        }
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List what exists: platforms, templates, workloads, NAS search spaces, or a template's knobs.",
        discussion: """
        Examples:
          intarsia list platforms
          intarsia list workloads
          intarsia list spaces
          intarsia list templates
          intarsia list knobs reconfigurable
        """)

    @Argument(help: "platforms, templates, workloads, spaces or knobs") var what: String
    @Argument(help: "The template, for knobs") var template: String?

    func run() throws {
        try reportingErrors {
            switch what {
            case "platforms": print(PlatformListing.text(), terminator: "")
            case "workloads": print(PlatformListing.workloads(), terminator: "")
            case "templates": print(PlatformListing.templates(), terminator: "")
            case "spaces": print(try PlatformListing.spaces(), terminator: "")
            case "knobs":
                guard let t = template.flatMap(TemplateKind.init(rawValue:)) else {
                    throw UserError("list knobs '\(template ?? "")': name a template; accepted: \(TemplateKind.acceptedNames)")
                }
                print(PlatformListing.knobs(t), terminator: "")
            default: throw UserError("list '\(what)': accepted: platforms, templates, workloads, spaces, knobs TEMPLATE")
            }
        }
    }
}

struct Columns: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the design CSV's columns as a Markdown table (docs/CSV.md).",
        discussion: """
        Examples:
          intarsia columns > /tmp/columns.md
        """)
    func run() throws {
        print("| column | meaning |\n|---|---|")
        for c in DesignColumns.all { print("| `\(c.name)` | \(c.meaning) |") }
        print("| `\(DesignColumns.paretoColumn.name)` | \(DesignColumns.paretoColumn.meaning) |")
    }
}

struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schedule",
        abstract: "The reconfigurable template's optimal schedule (GLPK), as a stages x compute-units table.",
        discussion: """
        Examples:
          intarsia schedule designs/intar/self-attention-u280.yaml --set lanes=32 --set compute_units=2
          intarsia schedule designs/intar/gpt2-medium-schedule-u280.yaml --param sequence_length=128,256,512,1024 -o out/gpt2.csv
          intarsia schedule SPEC --solver exhaustive          (cross-check on a small graph)
          intarsia schedule SPEC --emit-lp out/lp && glpsol --lp out/lp/*.lp
        Exit codes: 0 scheduled; 2 bad input, or no schedule meets the constraints (the binding one is named).
        """)

    @Argument(help: "Design spec (YAML); its reconfigurable knobs (first values) give the design") var spec: String
    @Option(help: "glpk, dp or exhaustive") var solver = "glpk"
    @Option(parsing: .unconditional, help: "Seconds the solver may take") var timeLimit = 10.0
    @Option(name: .customLong("set"), help: "Knob override, knob=value (repeatable)") var sets: [String] = []
    @Option(name: .customLong("param"), help: "Built-in workload parameter, key=value or key=v1,v2,... to sweep (repeatable)") var params: [String] = []
    @Option(help: "Write each integer program (CPLEX LP format) into this directory") var emitLp: String?
    @Option(help: "text or json") var format = "text"
    @Option(name: .shortAndLong, help: "Also write one CSV row per schedule to this file") var output: String?
    @Flag(help: "Balance each pipelined stage's lanes with the stage balancer (a GLPK program per stage)") var balanceStages = false

    func run() throws {
        try reportingErrors {
            try NASJob.refuse(spec, in: "schedule")
            if ASICJob.isASIC(spec) { throw UserError("\(spec): an ASIC spec; 'intarsia schedule' schedules the FPGA reconfigurable template; accepted: an FPGA design spec (templates: reconfigurable)") }
            guard let s = IntarsiaScheduler.ReconfigurationScheduler.Solver(rawValue: solver) else {
                throw UserError("--solver '\(solver)': accepted: glpk, dp, exhaustive")
            }
            guard format == "text" || format == "json" else { throw UserError("--format '\(format)': accepted: text, json") }
            guard timeLimit.isFinite, timeLimit > 0, timeLimit <= 86_400 else { throw UserError("--time-limit \(timeLimit): accepted: seconds above 0 and at most 86400") }
            if let output { try OutputPath.check(output, option: "-o") }
            let lock = try output.map(OutputLock.init(path:))
            defer { lock?.release() }
            if let emitLp {
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: emitLp, isDirectory: &isDir), !isDir.boolValue {
                    throw UserError("--emit-lp '\(emitLp)': is a file; accepted: a directory (created when missing)")
                }
                do { try FileManager.default.createDirectory(atPath: emitLp, withIntermediateDirectories: true) } catch {
                    throw UserError("--emit-lp '\(emitLp)': cannot be created (\(OutputPath.reason(error))); accepted: a writable directory")
                }
            }
            var o = ScheduleJob.Options()
            o.solver = s
            o.timeLimitSeconds = timeLimit
            o.emitLPDirectory = emitLp
            o.sets = sets
            o.balanceStages = balanceStages
            for p in params {
                let parts = p.split(separator: "=", maxSplits: 1).map(String.init)
                let values = parts.count == 2 ? parts[1].split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) } : []
                guard parts.count == 2, !values.isEmpty, values.allSatisfy({ $0 != nil }) else {
                    throw UserError("--param '\(p)': expected key=value or key=v1,v2,... with integer values")
                }
                o.parameters.append((parts[0], values.map { $0! }))
            }
            let rows = try ScheduleJob.run(specPath: spec, options: o)
            if format == "json" {
                let enc = JSONEncoder()
                enc.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try enc.encode(rows), as: UTF8.self))
            } else {
                print(ScheduleJob.text(rows), terminator: "")
            }
            if let output {
                try writeAtomically(([ScheduleJob.csvHeader] + rows.map(ScheduleJob.csvRow)).map(CSV.line).joined(separator: "\n") + "\n", to: output)
                writeStderr("wrote \(output)\n")
            }
        }
    }
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the CSVs of a sharded search into the CSV a single run writes.",
        discussion: """
        Example:
          for i in 0 1 2 3; do intarsia search SPEC --shard $i/4 -o out/s$i.csv -q; done
          intarsia merge SPEC out/s0.csv out/s1.csv out/s2.csv out/s3.csv -o results/all.csv
        """)

    @Argument(help: "The spec the shards ran") var spec: String
    @Argument(help: "The shards' CSVs (a NAS spec: the PREFIX-seeds.csv of seed sweeps over disjoint seeds)") var inputs: [String]
    @Option(name: .shortAndLong, help: "Merged CSV") var output: String

    func run() throws {
        try reportingErrors {
            guard !inputs.isEmpty else { throw UserError("give the shards' CSVs") }
            let n = try MergeJob.run(specPath: spec, inputs: inputs, output: output)
            writeStderr("merged \(n) designs into \(output)\n")
        }
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Regenerate the SVG Pareto plot, the breakdown plot and the HTML report of a results CSV.",
        discussion: """
        Example:
          intarsia report results/self-attention-u280.csv               (writes results/self-attention-u280.{pareto.svg,breakdown.svg,html})
          intarsia report results/mlp-u280.csv --design 17              (label and break down design 17)
        """)

    @Argument(help: "A results CSV written by 'intarsia search'") var csv: String
    @Option(parsing: .unconditional, help: "Id of the design to label and break down (default: the best feasible one)") var design: Int?

    func run() throws {
        try reportingErrors {
            let f = try ReportJob.run(csv: csv, design: design)
            print([f.pareto, f.breakdown, f.html].compactMap { $0 }.joined(separator: "\n"))
        }
    }
}

struct NAS: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search network architectures for several tasks together with a heterogeneous ASIC or an FPGA (NASAIC).",
        discussion: """
        Examples:
          intarsia nas designs/nas/nb201-three-task-asic.yaml
          intarsia nas designs/nas/nb201-three-task-asic.yaml --strategy evolution --budget 2000 --seed 3
          intarsia nas designs/nas/nb201-three-task-asic.yaml --resume            (continue an interrupted run)
          intarsia nas designs/nas/nb201-three-task-asic.yaml --seeds 1-10        (every sampling strategy per seed)
          intarsia nas designs/nas/nb201-space-costs.yaml --space-costs           (every architecture's cost, no search)
        Writes PREFIX-designs.csv (every evaluated design), PREFIX-convergence.csv, PREFIX-summary.csv,
        PREFIX-best.csv and PREFIX-pareto.csv; with --seeds, PREFIX-seeds.csv and PREFIX-seeds-convergence.csv.
        A run keeps a checkpoint (PREFIX-checkpoint.txt) until it completes.
        """)

    @Argument(help: "NAS spec (YAML)") var spec: String
    @Option(help: "exact, successive, random, evolution, reinforce or moea (repeatable; default: the spec's)") var strategy: [String] = []
    @Option(parsing: .unconditional, help: "Evaluations for random, evolution and reinforce") var budget: Int?
    @Option(parsing: .unconditional, help: "Random seed") var seed: UInt64?
    @Flag(help: "Continue an interrupted run of the same spec and budget from its checkpoint (PREFIX-checkpoint.txt)") var resume = false
    @Option(parsing: .unconditional, help: "Run each sampling strategy once per seed, e.g. 1-10 or 1,4,7 (writes PREFIX-seeds.csv)") var seeds: String?
    @Flag(help: "Write the cost of every architecture of every task on every distinct sub-accelerator (PREFIX-space-costs.csv) instead of searching") var spaceCosts = false
    @Option(name: .shortAndLong, help: "Output prefix instead of the spec's output.path (e.g. out/seed-3 for one array task)") var output: String?
    @Flag(help: "Cache failed accuracy-command calls too (default: failures are retried on the next run)") var cacheFailures = false
    @Option(parsing: .unconditional, help: .hidden) var stopAfter: Int?
    @Option(parsing: .unconditional, help: "Worker threads for pricing and the exact method's programs (default: all cores)") var jobs: Int?

    func run() throws {
        try reportingErrors {
            if let j = jobs, j < 1 { throw UserError("--jobs \(j): must be at least 1") }
            guard let data = FileManager.default.contents(atPath: spec) else {
                throw UserError("\(spec): no such file or not readable; accepted: a NAS spec (YAML), e.g. designs/nas/nb201-three-task-asic.yaml")
            }
            guard String(data: data, encoding: .utf8) != nil else { throw UserError("\(spec): not UTF-8 text; accepted: a NAS spec (YAML)") }
            guard NASJob.isNAS(spec) else { throw UserError("\(spec): not a NAS spec (it needs 'tasks', and 'accelerators' for an ASIC or 'units' for an FPGA); see docs/NAS.md") }
            if let b = budget, b < 1 { throw UserError("--budget \(b): must be at least 1") }
            var o = NASJob.Options(specPath: spec)
            o.budget = budget
            o.seed = seed
            o.strategies = strategy.isEmpty ? nil : strategy
            o.resume = resume
            o.stopAfter = stopAfter
            o.spaceCosts = spaceCosts
            o.cacheFailures = cacheFailures
            o.outputPrefix = output
            o.workers = jobs
            if spaceCosts {
                // --space-costs writes every architecture's cost and searches nothing.
                for (given, name) in [(seeds != nil, "--seeds"), (!strategy.isEmpty, "--strategy"), (budget != nil, "--budget"), (seed != nil, "--seed"), (resume, "--resume")] where given {
                    throw UserError("\(name): does not apply with --space-costs (which costs every architecture and searches nothing); accepted: --space-costs alone, or a search without it")
                }
            }
            if let text = seeds { o.seeds = try NASJob.seeds(text) }
            print(try NASJob.run(o, stderr: writeStderr), terminator: "")
        }
    }
}

struct HLS: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a Vitis HLS project (C++, testbench with golden data, Tcl, Makefile) for one design.",
        discussion: """
        The design is a spec with knob values (--set, as in 'evaluate'), or a row of a results CSV
        (--from CSV with --rank N, the N-th best feasible design by --metric, or --id N).
        Examples:
          intarsia hls designs/hls/mlp-small.yaml --set template=dataflow -o out/mlp-df
          intarsia hls designs/intar/mlp-u280.yaml --from results/mlp-u280.csv --rank 1 -o out/mlp-best
          cd out/mlp-df && make csim && make csim-threaded && make lint
        A design the model marks infeasible is refused (exit 2) unless --force.
        """)

    @Argument(help: "Design spec (YAML); reduced sizes come from the workload's size_divisor parameter") var spec: String
    @Option(name: .shortAndLong, help: "Project directory to write") var output: String
    @Option(name: .customLong("set"), help: "Knob override, knob=value (repeatable); also template=NAME") var sets: [String] = []
    @Option(name: .customLong("from"), help: "Results CSV written by 'intarsia search' for this spec") var csv: String?
    @Option(parsing: .unconditional, help: "With --from: the N-th best feasible design (1 = best)") var rank: Int?
    @Option(parsing: .unconditional, help: "With --from: the design with this id") var id: Int?
    @Option(help: "With --rank: the column to rank by (lower is better)") var metric = "latency_cycles"
    @Flag(help: "Emit even when the model marks the design infeasible") var force = false
    @Option(parsing: .unconditional, help: "Seed of the testbench's random inputs and weights") var seed: UInt64 = 1
    @Option(help: "Directory of the ap_int/ap_fixed headers the Makefile uses (default: see docs/HLS.md)") var apTypes: String?
    @Option(name: .customLong("fifo-depth"), help: "Force a dataflow FIFO's depth, stream=depth (repeatable; for experiments)") var fifoDepths: [String] = []
    @Option(name: .customLong("param"), help: "Built-in workload parameter, key=value (repeatable), e.g. size_divisor=16") var params: [String] = []
    @Option(help: "Testbench data from the Swift reference: auto (reduced sizes only), always or never") var golden = "auto"

    func run() throws {
        try reportingErrors {
            try NASJob.refuse(spec, in: "hls")
            if (rank != nil || id != nil) && csv == nil { throw UserError("--rank and --id need --from CSV") }
            if rank != nil && id != nil { throw UserError("--rank and --id: give one of them") }
            var o = HLSJob.Options(specPath: spec, output: output)
            o.sets = sets
            o.csv = csv
            o.rank = rank
            o.id = id
            o.metric = metric
            o.force = force
            o.seed = seed
            o.apTypes = apTypes
            guard let g = HLSJob.Golden(rawValue: golden) else { throw UserError("--golden '\(golden)': accepted: \(HLSJob.Golden.acceptedNames)") }
            o.golden = g
            for p in params {
                let parts = p.split(separator: "=").map(String.init)
                guard parts.count == 2, let v = Int(parts[1]) else { throw UserError("--param '\(p)': expected key=value with an integer value, e.g. size_divisor=16") }
                o.parameters[parts[0]] = v
            }
            for f in fifoDepths {
                let parts = f.split(separator: "=").map(String.init)
                guard parts.count == 2, let d = Int(parts[1]), d >= 1 else { throw UserError("--fifo-depth '\(f)': accepted: stream=depth with depth >= 1, e.g. ln1_to_residual2=1") }
                o.fifoDepthOverrides[parts[0]] = d
            }
            print(try HLSJob.run(o).summary, terminator: "")
        }
    }
}
