import Foundation
import Testing
import IntarsiaSpec

/// The bad-input corpus (Tests/IntarsiaCLITests/Fuzz: specs, CSVs, ONNX models, option values,
/// output paths) through every subcommand of the built binary, and a seeded mutation pass over
/// the bundled specs and result CSVs. Every bad input must give exit 2, exactly one error line
/// naming the input, no raw Foundation/decoding text, no signal, within a time cap.
enum Fuzz {
    static let dir = CLI.root.appendingPathComponent("Tests/IntarsiaCLITests/Fuzz")
    /// Seconds any single run may take (debug build, a shared machine).
    static let cap = 60.0

    static func files(_ sub: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(sub).path).sorted()
            .map { "Tests/IntarsiaCLITests/Fuzz/\(sub)/\($0)" }
    }

    /// Lines of a .tsv corpus file: the first field, then the rest.
    static func table(_ name: String) throws -> [(String, String)] {
        try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") && !$0.isEmpty }
            .map { l in let f = l.split(separator: "\t", maxSplits: 1).map(String.init); return (f[0], f[1]) }
    }

    /// Words of an argument list; '' is an empty argument.
    static func words(_ s: String) -> [String] { s.split(separator: " ").map { $0 == "''" ? "" : String($0) } }

    static let raw = ["Domain=", "UserInfo", "DecodingError", "Fatal error", "dataCorrupted", "keyNotFound", "NSCocoa", "Swift/", "Error Domain"]

    /// The error lines of a run's stderr (`error: ...` from intarsia, `Error: ...` from the parser).
    static func errorLines(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { $0.hasPrefix("error:") || $0.hasPrefix("Error:") }
    }

    /// Checks a run that must be refused.
    static func expectRefused(_ r: CLI.Output, _ args: [String], naming: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let what = args.joined(separator: " ")
        #expect(r.status != -1, "hung past \(cap) s: \(what)", sourceLocation: sourceLocation)
        #expect(r.status < 1000, "killed by signal \(r.status - 1000): \(what)", sourceLocation: sourceLocation)
        #expect(r.status == 2, "exit \(r.status), expected 2: \(what)\n\(r.stderr)", sourceLocation: sourceLocation)
        let lines = errorLines(r.stderr)
        #expect(lines.count == 1, "\(lines.count) error lines: \(what)\n\(r.stderr)", sourceLocation: sourceLocation)
        #expect(lines.first?.contains(naming) == true, "the error does not name '\(naming)': \(what)\n\(r.stderr)", sourceLocation: sourceLocation)
        for t in raw { #expect(!r.stderr.contains(t), "raw text '\(t)': \(what)\n\(r.stderr)", sourceLocation: sourceLocation) }
    }

    /// Checks a run whose input may or may not be valid (a random mutation): exit 0 or 2, never a
    /// signal or a hang, and a refusal is one clean line naming the input.
    static func expectHandled(_ r: CLI.Output, _ args: [String], naming: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if r.status == 0 { return }
        expectRefused(r, args, naming: naming, sourceLocation: sourceLocation)
    }
}

/// SplitMix64 (Steele et al. 2014), for reproducible mutations.
struct Mutator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }

    static let nasty = ["nan", ".nan", "-1", "0", "1e400", "-.inf", "''", "[]", "{}", "0x10", "../../../x", "~", "null", "true",
                        "18446744073709551616", "\"\\u0000\"", String(repeating: "9", count: 400), "[[[[[[", "&a", "*a", "!!binary AAAA"]

    /// One random edit of a text file's bytes.
    mutating func mutate(_ text: String) -> (String, String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let k = below(lines.count)
        switch below(6) {
        case 0:
            lines.remove(at: k)
            return (lines.joined(separator: "\n"), "delete line \(k + 1)")
        case 1:
            lines.insert(lines[k], at: k)
            return (lines.joined(separator: "\n"), "duplicate line \(k + 1)")
        case 2:
            // Replace one value (after ': ', or an item of a flow list) with a nasty one.
            let l = lines[k]
            let v = Self.nasty[below(Self.nasty.count)]
            if let r = l.range(of: ": ") {
                lines[k] = String(l[..<r.upperBound]) + v
            } else if let c = l.firstIndex(of: ",") {
                lines[k] = String(l[..<c]) + "," + v + String(l[l.index(after: c)...])
            } else { lines[k] = v }
            return (lines.joined(separator: "\n"), "line \(k + 1) value -> \(v.prefix(20))")
        case 3:
            let cut = below(text.utf8.count)
            return (String(decoding: Array(text.utf8)[..<cut], as: UTF8.self), "truncate at byte \(cut)")
        case 4:
            var bytes = Array(text.utf8)
            let at = below(bytes.count)
            bytes[at] = UInt8(truncatingIfNeeded: next())
            return (String(decoding: bytes, as: UTF8.self), "byte \(at) changed")
        default:
            let j = below(lines.count)
            lines.swapAt(k, j)
            return (lines.joined(separator: "\n"), "swap lines \(k + 1) and \(j + 1)")
        }
    }
}

@Suite(.serialized) struct FuzzCorpusTests {
    @Test func badSpecsThroughEveryCommand() throws {
        for spec in try Fuzz.files("specs") {
            for args in [["search", spec, "-q", "-o", CLI.temp("s.csv")], ["evaluate", spec], ["schedule", spec],
                         ["hls", spec, "-o", CLI.temp("hls")], ["bench", spec, "--seconds", "0.01"], ["nas", spec],
                         ["merge", spec, "results/mlp-u280.csv", "-o", CLI.temp("m.csv")]] {
                Fuzz.expectRefused(try CLI.run(args, within: Fuzz.cap), args, naming: spec)
            }
        }
    }

    @Test func badCSVsThroughEveryReader() throws {
        let record = CLI.root.appendingPathComponent("results/mlp-u280.csv.run.json").path
        for file in try Fuzz.files("csvs") {
            // Beside a run record (report and merge need one), so the rows themselves are read.
            let csv = CLI.temp(URL(fileURLWithPath: file).lastPathComponent)
            try FileManager.default.copyItem(atPath: CLI.root.appendingPathComponent(file).path, toPath: csv)
            try FileManager.default.copyItem(atPath: record, toPath: csv + ".run.json")
            for args in [["report", csv], ["compare", csv], ["summary", csv, "-o", CLI.temp("sum.csv")],
                         ["merge", "designs/intar/mlp-u280.yaml", csv, "-o", CLI.temp("m.csv")],
                         ["hls", "designs/intar/mlp-u280.yaml", "--from", csv, "--rank", "1", "-o", CLI.temp("hls")]] {
                Fuzz.expectRefused(try CLI.run(args, within: Fuzz.cap), args, naming: csv)
            }
        }
    }

    @Test func badOptionValues() throws {
        for (name, line) in try Fuzz.table("options.tsv") {
            let args = Fuzz.words(line).map { $0 == "{tmp}" ? CLI.temp("o") : $0 }
            Fuzz.expectRefused(try CLI.run(args, within: Fuzz.cap), args, naming: name)
        }
    }

    @Test func badOutputPaths() throws {
        let dir = CLI.temp("existing-dir"), file = CLI.temp("regular-file")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        for (kind, line) in try Fuzz.table("paths.tsv") {
            let bad = kind == "file" ? [dir, "", file + "/x.csv", "/proc/intarsia-none/x.csv", "/dev/null"] : [file, "", "/proc/intarsia-none/x", "/dev/null"]
            for path in bad {
                let args = Fuzz.words(line).map { $0 == "{out}" ? path : $0 }
                let r = try CLI.run(args, within: Fuzz.cap)
                Fuzz.expectRefused(r, args, naming: path.isEmpty ? "''" : path)
                #expect(!FileManager.default.fileExists(atPath: CLI.root.appendingPathComponent("Makefile").path), "wrote into the working directory: \(args)")
                var st = stat()
                #expect(lstat("/dev/null", &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR, "/dev/null was replaced: \(args)")
            }
        }
    }
}

@Suite(.serialized) struct FuzzMutationTests {
    /// Bundled specs whose one evaluation takes minutes in a debug build on a loaded two-core
    /// machine (BERT-base's 12 heads as tasks: its stage costing alone took 170 s there), more
    /// than `Fuzz.cap`. Their mutants go through the spec reader instead of `evaluate` (below).
    static let slowToEvaluate: Set<String> = ["designs/intar/bert-base-schedule-u280.yaml"]

    /// Bundled FPGA and ASIC specs, mutated at random (seeded), through `evaluate` (the slow
    /// ones through the spec reader: each parses or throws a SpecError naming the file).
    @Test func mutatedSpecsNeverCrashHangOrLeakRawErrors() throws {
        var m = Mutator(state: 14)
        let specs = try ["designs/intar", "designs/asic", "designs/hls"].flatMap { d in
            try FileManager.default.contentsOfDirectory(atPath: CLI.root.appendingPathComponent(d).path).filter { $0.hasSuffix(".yaml") }.sorted().map { "\(d)/\($0)" }
        }
        for k in 0..<60 {
            let source = specs[m.below(specs.count)]
            let (text, how) = m.mutate(try String(contentsOfFile: CLI.root.appendingPathComponent(source).path, encoding: .utf8))
            let spec = CLI.temp("mutant-\(k).yaml")
            try text.write(toFile: spec, atomically: true, encoding: .utf8)
            if Self.slowToEvaluate.contains(source) {
                do {
                    _ = try DesignSpec.parse(text: text, file: spec)
                } catch let e as SpecError {
                    #expect(e.description.contains(spec), "\(source): \(how): \(e.description)")
                } catch {
                    Issue.record("\(source): \(how): not a SpecError: \(error)")
                }
                continue
            }
            let args = ["evaluate", spec]
            let r = try CLI.run(args, within: Fuzz.cap)
            Fuzz.expectHandled(r, args + ["(\(source): \(how))"], naming: spec)
        }
    }

    /// NAS specs, mutated, through the spec reader (their searches cost whole spaces: too slow to
    /// run 25 times here): each parses or throws a SpecError naming the file.
    @Test func mutatedNASSpecsParseOrNameTheirFile() throws {
        var m = Mutator(state: 201)
        let dir = "designs/nas"
        let specs = try FileManager.default.contentsOfDirectory(atPath: CLI.root.appendingPathComponent(dir).path).filter { $0.hasSuffix(".yaml") }.sorted()
        for k in 0..<25 {
            let source = "\(dir)/\(specs[m.below(specs.count)])"
            let (text, how) = m.mutate(try String(contentsOfFile: CLI.root.appendingPathComponent(source).path, encoding: .utf8))
            let file = CLI.root.appendingPathComponent(dir).appendingPathComponent("mutant-\(k).yaml").path  // its folder's relative paths still resolve
            do {
                _ = try NASDesignSpec.parse(text: text, file: file)
            } catch let e as SpecError {
                #expect(e.description.contains(file), "\(source): \(how): \(e.description)")
                for t in Fuzz.raw { #expect(!e.description.contains(t), "\(source): \(how): \(e.description)") }
            } catch {
                Issue.record("\(source): \(how): not a SpecError: \(error)")
            }
        }
    }

    /// Result CSVs with one damaging edit each (a number made NaN, inf, hex or a word; a field
    /// dropped or added; a row repeated; the file cut mid-row): always refused, naming the file.
    @Test func damagedResultCSVsAreAlwaysRefused() throws {
        var m = Mutator(state: 2014)
        for source in ["results/mlp-u280.csv", "results/asic/resnet18-32x32-45nm.csv", "results/cnn-4l-u280.csv"] {
            let text = try String(contentsOfFile: CLI.root.appendingPathComponent(source).path, encoding: .utf8)
            var lines = text.split(separator: "\n").map(String.init)
            let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let numeric = ["latency_cycles", "latency_ms", "energy_mj", "power_w"].compactMap { header.firstIndex(of: $0) }
            for k in 0..<12 {
                var damaged = lines
                let row = 1 + m.below(lines.count - 1)
                var fields = damaged[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                let how: String
                switch k % 6 {
                case 0, 1:
                    let v = ["nan", "inf", "-inf", "0x1p3", "fast", ""][m.below(6)]
                    fields[numeric[m.below(numeric.count)]] = v
                    damaged[row] = fields.joined(separator: ",")
                    how = "row \(row + 1) number -> '\(v)'"
                case 2:
                    fields.remove(at: m.below(fields.count))
                    damaged[row] = fields.joined(separator: ",")
                    how = "row \(row + 1) field dropped"
                case 3:
                    damaged[row] += ",1"
                    how = "row \(row + 1) field added"
                case 4:
                    damaged.insert(damaged[row], at: row)
                    how = "row \(row + 1) repeated"
                default:
                    let cutText = damaged.joined(separator: "\n") + "\n"
                    let cut = cutText.utf8.count - 1 - m.below(min(40, damaged[damaged.count - 1].utf8.count - 2)) - 1
                    let csv = CLI.temp("cut-\(k).csv")
                    try String(decoding: Array(cutText.utf8)[..<cut], as: UTF8.self).write(toFile: csv, atomically: true, encoding: .utf8)
                    let r = try CLI.run(["compare", csv], within: Fuzz.cap)
                    Fuzz.expectRefused(r, ["compare", csv, "(\(source) cut at byte \(cut))"], naming: csv)
                    continue
                }
                let csv = CLI.temp("damaged-\(k).csv")
                try (damaged.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
                let r = try CLI.run(["compare", csv], within: Fuzz.cap)
                Fuzz.expectRefused(r, ["compare", csv, "(\(source): \(how))"], naming: csv)
            }
            lines.removeAll()
        }
    }
}
