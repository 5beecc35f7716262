import ArgumentParser
import IntarsiaDriver

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
            print(try IntarsiaDriver.Bench.report(specPaths: specs, secondsPerCase: seconds, nb201: nb201), terminator: "")
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
            print(try PlatformListing.listing(what, template: template), terminator: "")
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
        print(PlatformListing.columnsMarkdown(), terminator: "")
    }
}
