import ArgumentParser
import IntarsiaDriver

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Design points evaluated per second on one core (build with -c release).",
        discussion: """
        Examples:
          swift run -c release intarsia bench designs/intar/*.yaml --seconds 2
          intarsia bench designs/intar/mlp-u280.yaml --points 10000

        --points N evaluates exactly N points per spec and template (warm and cold: N each;
        round-robin over the template's first 4,096 points; ASIC specs: N designs), so that the
        work is the same in every build: compare builds by instruction counts with it
        (valgrind --tool=callgrind), which other load on the machine does not disturb.
        """)

    @Argument(help: "Design specs to measure") var specs: [String] = []
    @Option(parsing: .unconditional, help: "Seconds per spec and template (default 1)") var seconds: Double?
    @Option(parsing: .unconditional, help: "Evaluate exactly this many points per spec and template instead of timing") var points: Int?
    @Flag(help: "Also time the NAS-Bench-201 table and the hardware cost of all its cells") var nb201 = false

    func run() throws {
        try reportingErrors {
            #if DEBUG
            writeStderr("warning: this is a debug build; run 'swift run -c release intarsia bench ...' for figures worth recording\n")
            #endif
            let budget = try IntarsiaDriver.Bench.budget(seconds: seconds, points: points)
            print(try IntarsiaDriver.Bench.report(specPaths: specs, budget: budget, nb201: nb201), terminator: "")
        }
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List what exists: platforms, templates, ASIC dataflows, workloads, NAS search spaces, or a template's or dataflow's knobs.",
        discussion: """
        Examples:
          intarsia list platforms
          intarsia list workloads
          intarsia list spaces
          intarsia list templates
          intarsia list knobs reconfigurable
          intarsia list dataflows
          intarsia list knobs eyeriss
        """)

    @Argument(help: "platforms, templates, dataflows, workloads, spaces or knobs") var what: String
    @Argument(help: "The FPGA template or ASIC dataflow, for knobs") var template: String?

    func run() throws {
        try reportingErrors {
            print(try PlatformListing.listing(what, template: template), terminator: "")
        }
    }
}

struct Columns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "columns",
        abstract: "Print the design CSV's columns as a Markdown table (docs/CSV.md).",
        discussion: """
        Examples:
          intarsia columns > /tmp/columns.md
        """)
    func run() throws {
        print(PlatformListing.columnsMarkdown(), terminator: "")
    }
}
