import Foundation

/// `hardware_cost: {command: ...}`: an on-device measurement hook run like the accuracy command
/// oracles (`CommandOracle`: one-pass quoting of `{arch}`, `{task}` and `{spec_dir}`, a timeout,
/// its own process group killed at a timeout or when intarsia stops, the stderr log, answers cached
/// on disk under a key of the command text, the spec folder, the task and the architecture). The
/// last line the command prints is a JSON object of named figures, recognised like a table's
/// columns (`{"latency_ms": 12.5, "energy_mj": 0.8, "memory_kb": 210}`, `MeasuredFigureColumn`).
/// A command that fails, hangs or prints anything else is a failed evaluation of that
/// architecture with its reason, never an error of the run.
extension CommandOracle {
    /// The cache key of a measurement (apart from an accuracy of the same command).
    func measurementKey(architecture: String, task: String) -> String { "hw-" + key(architecture: architecture, task: task) }

    /// The figures the command measures for an architecture (internal units by figure name), or
    /// why it failed.
    public func measure(architecture: String, task: String) -> Answer {
        ask(architecture: architecture, task: task, key: measurementKey(architecture: architecture, task: task), parse: Self.figuresLine)
    }

    static let figuresAccepted = "a JSON object of figures as the last line, e.g. {\"latency_ms\": 12.5, \"energy_mj\": 0.8, \"memory_kb\": 210}, names as table columns (\(MeasuredFigureColumn.accepted))"

    /// A measurement's last line: a JSON object whose recognised keys hold finite numbers >= 0,
    /// latency among them; a figure given twice (`latency_ms` and `latency_s`) is refused.
    static func figuresLine(_ last: String) -> Answer {
        let shown = "'\(last.prefix(60))'"
        guard let object = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any] else {
            return .failed("output is not a JSON object of figures: \(shown); accepted: \(figuresAccepted)")
        }
        var figures: [String: Double] = [:]
        for (name, value) in object.sorted(by: { $0.key < $1.key }) {
            guard let (figure, scale) = MeasuredFigureColumn.recognise(name) else { continue }
            guard let v = (value as? NSNumber).map(\.doubleValue), !(value is Bool), v.isFinite, v >= 0 else {
                return .failed("figure \(name) is not a finite number >= 0 in \(shown); accepted: \(figuresAccepted)")
            }
            guard figures[figure.rawValue] == nil else { return .failed("two keys hold \(figure.rawValue) in \(shown); accepted: one key per figure") }
            figures[figure.rawValue] = v * scale
        }
        guard figures[MeasuredFigureColumn.latency.rawValue] != nil else { return .failed("no latency in \(shown); accepted: \(figuresAccepted)") }
        return .measured(figures)
    }
}

/// Every architecture of a space measured by a command, as the figures the co-exploration reads.
public enum CommandMeasurement {
    /// Measures each architecture of `space` in turn (the cache answers those measured before);
    /// `progress` is told after each. The figures given are those of the first successful
    /// measurement; a later answer without one of them is a failed evaluation.
    public static func figures(_ oracle: CommandOracle, space: any ArchitectureSpace, task: String,
                               progress: (Int, Int) -> Void = { _, _ in }) -> MeasuredFigures {
        var answers: [[String: Double]?] = [], failed: [Int: String] = [:]
        var given: Set<String>?
        for a in 0..<space.count {
            switch oracle.measure(architecture: space.architectureString(a), task: task) {
            case .measured(let f):
                let names = Set(f.keys).intersection(["latency", "energy", "power", "memory"])
                if given == nil { given = names }
                if let missing = given!.subtracting(names).sorted().first {
                    failed[a] = "measurement gives no \(missing), as the first measurement did (\(oracle.command))"
                    answers.append(nil)
                } else { answers.append(f) }
            case .failed(let why): failed[a] = "measurement failed: \(why)"; answers.append(nil)
            case .accuracy: failed[a] = "measurement gave an accuracy"; answers.append(nil)
            }
            progress(a + 1, space.count)
        }
        func figure(_ name: String) -> [Double]? {
            guard given?.contains(name) ?? false else { return nil }
            return answers.map { $0?[name] ?? .nan }
        }
        let ms = answers.map { $0?["latency"] ?? .nan }
        var energy = figure("energy")
        if energy == nil, let p = figure("power") { energy = zip(p, ms).map { $0 * $1 } }  // W × ms = mJ
        return MeasuredFigures(kind: .command, source: oracle.command, latencyMs: ms, energyMJ: energy, memoryKB: figure("memory"), failed: failed)
    }
}
