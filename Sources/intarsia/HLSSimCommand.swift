import ArgumentParser
import IntarsiaDriver

struct HLSSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hls-sim",
        abstract: "Simulate the timing of a project 'intarsia hls' wrote, from its C++, beside the model.",
        discussion: """
        Reads DIR/src (top.cpp, params.h, modules.h, intarsia_math.h) into its processes, loops
        (trip counts, PIPELINE II, pipeline depths), FIFOs (emitted depths and widths) and
        off-chip ports (the platform's bandwidth), runs it event by event and prints cycles per
        task, full and empty stall cycles per FIFO, and the model's latency beside it (re-evaluated
        from the spec design.json names). A structural check (a serialisation, a too-shallow FIFO,
        a missing overlap), not a substitute for C/RTL co-simulation.
        Examples:
          intarsia hls designs/hls/mlp-small.yaml --set template=dataflow -o out/mlp-df
          intarsia hls-sim out/mlp-df --format csv
        A missing or malformed project file is refused (exit 2) with the file named; a deadlock
        names the stuck processes and streams (exit 2).
        """)

    @Argument(help: "Project directory written by 'intarsia hls'") var project: String
    @Option(help: "The spec to re-evaluate (default: the one design.json names)") var spec: String?
    @Option(name: .customLong("param"), help: "Built-in workload parameter the project was emitted with, key=value (repeatable)") var params: [String] = []
    @Option(help: "text, json or csv") var format = "text"

    func run() throws {
        try reportingErrors {
            var o = HLSSimJob.Options(project: project)
            o.format = try HLSCheckJob.Format.option(format)
            o.specPath = spec
            o.parameters = try CommandInputs.singleParameters(params, command: "hls-sim")
            print(try HLSSimJob.run(o), terminator: "")
        }
    }
}
