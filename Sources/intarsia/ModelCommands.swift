import ArgumentParser
import IntarsiaDriver

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
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
            print(try EvaluateJob.report(specPath: spec, template: template, sets: sets, design: design, json: format == "json"), terminator: "")
        }
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
            try ScheduleJob.checkSpecKind(spec)
            guard format == "text" || format == "json" else { throw UserError("--format '\(format)': accepted: text, json") }
            let o = try ScheduleJob.Options(solver: solver, timeLimitSeconds: timeLimit, emitLPDirectory: emitLp, sets: sets,
                                            parameters: params, balanceStages: balanceStages)
            print(try ScheduleJob.report(specPath: spec, options: o, json: format == "json", output: output, stderr: writeStderr), terminator: "")
        }
    }
}

struct HLS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hls",
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
            let o = try HLSJob.Options(specPath: spec, output: output, sets: sets, csv: csv, rank: rank, id: id, metric: metric, force: force,
                                       seed: seed, apTypes: apTypes, fifoDepths: fifoDepths, parameters: params, golden: golden)
            print(try HLSJob.run(o).summary, terminator: "")
        }
    }
}

struct HLSCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hls-check",
        abstract: "Line the model's figures up beside the Vitis HLS reports of a project 'intarsia hls' wrote.",
        discussion: """
        Reads DIR/design.json, the csynth.xml of the top and of each task module (dataflow
        template) under DIR/proj_<top>/solution1/syn/report, and the C/RTL co-simulation report
        when present; re-evaluates the model from the spec design.json names. Per task and for the
        top: latency, II, DSP, BRAM18K, URAM, LUT, FF, model beside tool, with tool/model ratios.
        Examples:
          intarsia hls designs/hls/mlp-small.yaml --set template=dataflow -o out/mlp-df
          cd out/mlp-df && vitis_hls -f run_hls.tcl && cd -
          intarsia hls-check out/mlp-df --format csv
        A missing, malformed or foreign report is refused (exit 2) with the file named.
        """)

    @Argument(help: "Project directory written by 'intarsia hls'") var project: String
    @Option(help: "The spec to re-evaluate (default: the one design.json names)") var spec: String?
    @Option(name: .customLong("param"), help: "Built-in workload parameter the project was emitted with, key=value (repeatable)") var params: [String] = []
    @Option(help: "Directory of the csynth.xml reports (default: DIR/proj_<top>/solution1/syn/report)") var reports: String?
    @Option(help: "text, json or csv") var format = "text"

    func run() throws {
        try reportingErrors {
            var o = HLSCheckJob.Options(project: project)
            o.format = try HLSCheckJob.Format.option(format)
            o.specPath = spec
            o.reportDirectory = reports
            o.parameters = try CommandInputs.singleParameters(params, command: "hls-check")
            print(try HLSCheckJob.run(o), terminator: "")
        }
    }
}
