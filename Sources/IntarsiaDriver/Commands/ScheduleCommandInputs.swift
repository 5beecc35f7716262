import Foundation
import IntarsiaRows
import IntarsiaReports
import IntarsiaScheduler

extension ScheduleJob.Options {
    /// `intarsia schedule`'s options as the command line gives them, checked.
    public init(solver: String, timeLimitSeconds: Double, emitLPDirectory: String?, sets: [String], parameters: [String], balanceStages: Bool) throws {
        self.init()
        guard let s = ReconfigurationScheduler.Solver(rawValue: solver) else { throw UserError("--solver '\(solver)': accepted: glpk, dp, exhaustive") }
        guard timeLimitSeconds.isFinite, timeLimitSeconds > 0, timeLimitSeconds <= 86_400 else {
            throw UserError("--time-limit \(timeLimitSeconds): accepted: seconds above 0 and at most 86400")
        }
        self.solver = s
        self.timeLimitSeconds = timeLimitSeconds
        self.emitLPDirectory = emitLPDirectory
        self.sets = sets
        self.balanceStages = balanceStages
        self.parameters = try CommandInputs.parameters(parameters)
    }
}

extension ScheduleJob {
    /// `intarsia schedule`: checks and locks the CSV, creates the LP directory, schedules, writes
    /// one CSV row per schedule, and returns the text or JSON to print.
    /// Refuses NAS and ASIC specs: the command schedules the FPGA reconfigurable template.
    public static func checkSpecKind(_ specPath: String) throws {
        try NASJob.refuse(specPath, in: "schedule")
        if ASICJob.isASIC(specPath) {
            throw UserError("\(specPath): an ASIC spec; 'intarsia schedule' schedules the FPGA reconfigurable template; accepted: an FPGA design spec (templates: reconfigurable)")
        }
    }

    /// Call `checkSpecKind` first.
    public static func report(specPath: String, options: Options, json: Bool, output: String?, stderr: (String) -> Void) throws -> String {
        if let output { try OutputPath.check(output, option: "-o") }
        let lock = try output.map(OutputLock.init(path:))
        defer { lock?.release() }
        if let dir = options.emitLPDirectory { try CommandInputs.lpDirectory(dir) }
        let rows = try run(specPath: specPath, options: options)
        let shown: String
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            shown = String(decoding: try enc.encode(rows), as: UTF8.self) + "\n"
        } else {
            shown = text(rows)
        }
        if let output {
            try writeAtomically(([csvHeader] + rows.map(csvRow)).map(CSV.line).joined(separator: "\n") + "\n", to: output)
            stderr("wrote \(output)\n")
        }
        return shown
    }
}
