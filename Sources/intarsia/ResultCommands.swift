import ArgumentParser
import IntarsiaDriver

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
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
            var o = CompareJob.Options(files: files)
            (o.metric, o.baseline, o.lanes, o.output, o.plot, o.x, o.y) = (metric, baseline, lanes, output, plot, x, y)
            print(try CompareJob.run(o, stderr: writeStderr), terminator: "")
        }
    }
}

struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Best dataflow, sequential and reconfigurable design per kernel at each matched lane budget.",
        discussion: """
        Examples:
          intarsia summary results/{self-attention,mlp,cnn-4l,vae,gating,gpt2-medium}-u280.csv -o results/intar-hdv-summary.csv
        """)

    @Argument(help: "Result CSVs, one per kernel") var files: [String]
    @Option(name: .shortAndLong, help: "CSV to write") var output = "results/intar-hdv-summary.csv"

    func run() throws {
        try reportingErrors {
            print(try SummaryJob.run(files: files, output: output, stderr: writeStderr), terminator: "")
        }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Model latency of published designs against their hardware measurements.",
        discussion: """
        Examples:
          intarsia validate
          (exit code 1 when a design with a tolerance falls outside it)
        """)

    func run() throws {
        try reportingErrors {
            let r = try ValidateJob.run()
            print(r.text, terminator: "")
            try r.check()
        }
    }
}
