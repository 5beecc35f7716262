import ArgumentParser
import IntarsiaDriver

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
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
    @Option(help: "exhaustive, random, nsga2, evolution, local, reinforce or auto") var strategy: String?
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
            try CommandInputs.checkWorkers(jobs)
            if ASICJob.isASIC(spec) {
                print(try ASICJob.search(specPath: spec, output: output, workers: jobs, stderr: writeStderr), terminator: "")
                return
            }
            let o = try SearchJob.Options(output: output, paretoOnly: paretoOnly, strategy: strategy, budget: budget, seed: seed, jobs: jobs,
                                          quiet: quiet, resume: resume, report: !noReport, shard: shard)
            let r = try SearchJob.run(specPath: spec, options: o, stderr: writeStderr)
            writeStderr(r.summaryLine + "\n")
            print(r.table, terminator: "")
        }
    }
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
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
        commandName: "report",
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
