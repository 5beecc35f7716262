import ArgumentParser
import Foundation
import IntarsiaDriver

@main
struct Intarsia: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Design-space exploration of DNN accelerators on FPGAs.",
        subcommands: [Search.self, Merge.self, Report.self, Evaluate.self, Compare.self, Summary.self, Validate.self, Bench.self, ScheduleCommand.self, Platforms.self, Workloads.self, Columns.self])
}

/// Prints a command's error the same way everywhere and exits with its code (2 for bad input).
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ExitCode {
        throw e
    } catch {
        let u = userFacing(error)
        FileHandle.standardError.write(Data("error: \(u.description)\n".utf8))
        throw ExitCode(u.exitCode)
    }
}

func writeStderr(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
