import ArgumentParser
import IntarsiaDriver

struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit a platform's constants to measured designs and write them as a platform override.",
        discussion: """
        Bounded least squares on ln(model / measured) cycles (and power, when measured); reports each
        constant with its standard error, every design's error before and after, and its
        leave-one-out error. Specs use the override as platform: {base: PART, override: FILE}.
        Examples:
          intarsia calibrate designs/calibration/intar-u280-measurements.csv --platform u280 -o platform-override.yaml
          intarsia calibrate MEASUREMENTS.csv --platform u280 -o o.yaml --fit blocking_read_cycles,mac_pipeline_base_depth_cycles --format csv
          intarsia calibrate MEASUREMENTS.csv --platform u280 -o o.yaml --loss cauchy   (designs the model misses weigh little)
        Exit codes: 0 fitted; 2 bad input, or a constant the measurements cannot determine (named).
        """)

    @Argument(help: "Measurements CSV (docs/CSV.md, \"Measurements\")") var measurements: String
    @Option(help: "The catalog part whose constants are fitted (every spec must be on it)") var platform: String
    @Option(name: .shortAndLong, help: "Platform override YAML to write") var output: String
    @Option(help: "Comma-separated constants to fit (default: blocking_read_cycles, mac_pipeline_base_depth_cycles, and static_power_w when power is measured)") var fit: String?
    @Option(help: "squares (least squares on the log errors) or cauchy (robust: errors beyond 10% weigh little)") var loss = "squares"
    @Option(help: "text or csv (the per-design rows)") var format = "text"

    func run() throws {
        try reportingErrors {
            print(try CalibrateJob.command(measurements: measurements, platform: platform, fit: fit, loss: loss, output: output, format: format), terminator: "")
        }
    }
}
