import ArgumentParser
import Foundation
import IntarsiaDriver

@main
struct Intarsia: ParsableCommand {
    // Every command names itself (`commandName`): without it ArgumentParser derives the name
    // from `String(describing: Self.self)` for each of the 20 commands on every run, about
    // 20 million instructions of run-time conformance look-ups before any work.
    static let configuration = CommandConfiguration(
        commandName: "intarsia",
        abstract: "Design-space exploration of DNN accelerators on FPGAs.",
        discussion: """
        Examples:
          intarsia search designs/intar/self-attention-u280.yaml
          intarsia evaluate designs/intar/mlp-u280.yaml --set lanes=64
          intarsia schedule designs/intar/gpt2-medium-schedule-u280.yaml
          intarsia report results/self-attention-u280.csv
          intarsia list knobs dataflow
        Exit codes:
          0   success
          1   validate: a design with a tolerance fell outside it
          2   bad input (spec, CSV, option value), or no design or schedule meets the constraints
          64  unknown option or missing argument
          130 (143) stopped by Ctrl-C (SIGTERM); the message says how to resume
        Shell completion: scripts/install-completions.sh (or --generate-completion-script bash|zsh|fish)
        """,
        version: IntarsiaVersion.current,
        subcommands: [Search.self, Merge.self, Report.self, Evaluate.self, HLS.self, HLSCheck.self, HLSSim.self, Compare.self, Summary.self, Validate.self, Calibrate.self, Bench.self, ScheduleCommand.self, NAS.self, List.self, Columns.self])
}

extension Intarsia {
    /// Parses and runs the command. Argument-parser errors keep their message; a bad option value
    /// ("The value 'x' is invalid for '--budget'") exits 2 like every other bad input, while an
    /// unknown option or a missing argument keeps 64 (both documented in the help above).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let e as ExitCode {
            Foundation.exit(e.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure && isBadValue(fullMessage(for: error)) {
                FileHandle.standardError.write(Data("\(fullMessage(for: error))\n".utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }

    static func isBadValue(_ message: String) -> Bool {
        message.contains("is invalid for") || message.contains("is not a valid") || message.contains("Invalid value")
    }
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
