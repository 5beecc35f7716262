import Foundation

/// Where an emitted Makefile looks for the open ap_int/ap_fixed headers by default (its
/// `AP_TYPES` variable; `make AP_TYPES=dir` still overrides it). The first that applies:
/// 1. the `--ap-types DIR` option;
/// 2. the environment variable `INTARSIA_AP_TYPES`;
/// 3. `.deps/ap_types` of an Intarsia checkout holding the executable or the working directory
///    (searched upwards; `scripts/setup.sh` fills it);
/// 4. `$HOME/.cache/intarsia/ap_types`, which the project's `make ap_types` fills.
public enum APTypesLocator {
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                               executable: String = CommandLine.arguments.first ?? "", workingDirectory: String = FileManager.default.currentDirectoryPath) -> String {
        if let e = explicit, !e.isEmpty { return absolute(e, from: workingDirectory) }
        if let e = environment["INTARSIA_AP_TYPES"], !e.isEmpty { return absolute(e, from: workingDirectory) }
        let exe = URL(fileURLWithPath: absolute(executable, from: workingDirectory)).resolvingSymlinksInPath().deletingLastPathComponent()
        for start in [exe, URL(fileURLWithPath: workingDirectory)] {
            var dir = start.standardizedFileURL
            while true {
                let candidate = dir.appendingPathComponent(".deps/ap_types")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("ap_int.h").path) { return candidate.path }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".cache/intarsia/ap_types").path
    }

    static func absolute(_ path: String, from base: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: base).appendingPathComponent(path).standardizedFileURL.path
    }
}
