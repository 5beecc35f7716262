import Foundation

/// Runs of the sampling strategies (random, evolution, reinforce) that survive an interruption:
/// every evaluation is recorded in a checkpoint (the design and what the oracle answered), and a
/// resumed run replays the recorded evaluations instead of evaluating them again. The strategies
/// are deterministic for a seed and for the answers they receive, so replaying the recorded
/// answers brings a strategy back to exactly where it stopped (population, policy weights,
/// random state), and it goes on from there; the oracle is asked only about the evaluations
/// that were not recorded.
///
/// The checkpoint is a text file rewritten atomically (a temporary file renamed over it): after
/// every evaluation that asked a command oracle, at least every second otherwise, when a run
/// stops and when each strategy finishes. Its first lines identify the run (a fingerprint of the
/// spec and budget); then one line per evaluation:
///
///     E <tab> strategy <tab> seed <tab> hardware <tab> assignment <tab> cells <tab> answers
///
/// with the assignment and the cells comma-separated, and the answers `-` when the oracle was not
/// asked (the hardware broke a spec), else one per task, comma-separated: the accuracy (exact
/// decimal) or `!` and the failure's reason (percent-escaped).
///
/// Several runs (strategies, seeds) may go on at once on different threads, each through its own
/// `evaluator`: the state they share (the checkpoint's lines, the counts, the time of the last
/// write) is read and changed only under `lock`, and `recorded` is only read after `init`.
/// A checkpoint written by parallel runs holds each run's lines in its own order, interleaved
/// with the others'; a resumed run replays per strategy and seed, so the interleaving does not
/// matter. That lock is why the class is `@unchecked Sendable`.
public final class NASRun: @unchecked Sendable {
    public let problem: CoExploration
    public let checkpointPath: String?
    let fingerprint: String
    /// Recorded evaluations per strategy and seed, in order.
    var recorded: [String: [(design: CoExploration.Design, answers: [CommandOracle.Answer]?)]] = [:]
    var lines: [String] = []
    var lastWrite = Date()
    var unwritten = 0
    /// Guards `lines`, `lastWrite`, `unwritten` and `fresh` against runs on other threads.
    let lock = NSLock()
    private var fresh = 0
    /// Evaluations done (not replayed) in this process, and where a test stops the run (set
    /// before any run starts).
    public var freshEvaluations: Int { lock.withLock { fresh } }
    public var stopAfter: Int?

    /// The run stopped by `stopAfter`, its checkpoint written.
    public struct Interrupted: Error, CustomStringConvertible {
        public var evaluations: Int
        public var description: String { "stopped after \(evaluations) evaluations" }
    }

    public struct CheckpointError: Error, CustomStringConvertible {
        public var description: String
    }

    static let magic = "intarsia-nas-checkpoint 1"

    /// With `resume`, the evaluations recorded in `checkpointPath` (when it exists) are replayed;
    /// without, an existing checkpoint is discarded. `fingerprint` identifies the spec and budget
    /// a checkpoint belongs to.
    public init(problem: CoExploration, checkpointPath: String?, fingerprint: String, resume: Bool) throws {
        self.problem = problem
        self.checkpointPath = checkpointPath
        self.fingerprint = fingerprint
        guard let path = checkpointPath else { return }
        guard resume else { try? FileManager.default.removeItem(atPath: path); return }
        guard let data = FileManager.default.contents(atPath: path) else { return }
        let text = String(decoding: data, as: UTF8.self)
        var all = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if all.last == "" { all.removeLast() }
        guard all.count >= 2, all[0] == Self.magic else { throw CheckpointError(description: "\(path): not an Intarsia NAS checkpoint") }
        guard all[1] == "fingerprint \(fingerprint)" else {
            throw CheckpointError(description: "\(path): written for another spec or budget; run without --resume to start over")
        }
        for (n, line) in all.dropFirst(2).enumerated() {
            guard let (key, entry) = Self.parse(line, tasks: problem.tasks.count) else {
                throw CheckpointError(description: "\(path) line \(n + 3): not a checkpoint entry")
            }
            recorded[key, default: []].append(entry)
            lines.append(line)
        }
    }

    /// How many evaluations the checkpoint holds for a strategy and seed.
    public func recordedCount(strategy: String, seed: UInt64) -> Int { recorded[Self.key(strategy, seed)]?.count ?? 0 }

    static func key(_ strategy: String, _ seed: UInt64) -> String { "\(strategy)\t\(seed)" }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "%", "\t", "\n", "\r", ",": out += String(format: "%%%02X", ch.value)
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static func format(_ strategy: String, _ seed: UInt64, _ o: CoExploration.Outcome) -> String {
        let answers = o.accuracyAsked ? o.answers.map { a -> String in
            switch a {
            case .accuracy(let x): return x.description
            case .failed(let why): return "!" + escape(why)
            // Only measurement commands answer figures, never an accuracy oracle.
            case .measured: return "!" + escape("figures instead of an accuracy")
            }
        }.joined(separator: ",") : "-"
        return ["E", strategy, String(seed), String(o.design.hardware), o.design.assignment.map(String.init).joined(separator: ","),
                o.design.cells.map(String.init).joined(separator: ","), answers].joined(separator: "\t")
    }

    static func parse(_ line: String, tasks: Int) -> (String, (design: CoExploration.Design, answers: [CommandOracle.Answer]?))? {
        let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard f.count == 7, f[0] == "E", UInt64(f[2]) != nil, let h = Int(f[3]) else { return nil }
        let asg = f[4].split(separator: ",").compactMap { Int($0) }, cells = f[5].split(separator: ",").compactMap { Int($0) }
        guard asg.count == tasks, cells.count == tasks else { return nil }
        var answers: [CommandOracle.Answer]?
        if f[6] != "-" {
            var a: [CommandOracle.Answer] = []
            for p in f[6].split(separator: ",", omittingEmptySubsequences: false) {
                if p.hasPrefix("!") {
                    guard let why = String(p.dropFirst()).removingPercentEncoding else { return nil }
                    a.append(.failed(why))
                } else {
                    guard let x = Double(p) else { return nil }
                    a.append(.accuracy(x))
                }
            }
            guard a.count == tasks else { return nil }
            answers = a
        }
        return (key(f[1], UInt64(f[2])!), (CoExploration.Design(hardware: h, assignment: asg, cells: cells), answers))
    }

    /// Writes the checkpoint atomically.
    public func writeCheckpoint() throws {
        try lock.withLock { try writeCheckpointLocked() }
    }

    /// `writeCheckpoint` for a caller that holds `lock`.
    private func writeCheckpointLocked() throws {
        guard let path = checkpointPath else { return }
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let text = ([Self.magic, "fingerprint \(fingerprint)"] + lines).joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        lastWrite = Date()
        unwritten = 0
    }

    /// Removes the checkpoint (the run is complete).
    public func finish() {
        if let path = checkpointPath { try? FileManager.default.removeItem(atPath: path) }
    }

    /// The evaluator a strategy runs with: replays the recorded evaluations of this strategy and
    /// seed in order (a design that differs from the recorded one is an error: the checkpoint
    /// belongs to other code or settings), then evaluates, records and checkpoints; stops the
    /// run after `stopAfter` evaluations in this process. `visit(step, outcome)` sees every
    /// evaluation, replayed or not, in order.
    func evaluator(strategy: String, seed: UInt64, visit: @escaping (Int, CoExploration.Outcome) -> Void) -> CoExploration.Evaluator {
        let key = Self.key(strategy, seed)
        let replay = recorded[key] ?? []
        var step = 0
        return { [self] d in
            defer { step += 1 }
            if step < replay.count {
                guard replay[step].design == d else {
                    throw CheckpointError(description: "\(checkpointPath ?? "checkpoint"): evaluation \(step + 1) of \(strategy) (seed \(seed)) differs from the recorded one; the checkpoint was written by other code or settings; run without --resume to start over")
                }
                let o = problem.evaluate(d, answers: replay[step].answers ?? [])
                visit(step, o)
                return o
            }
            let o = problem.evaluate(d)
            let line = Self.format(strategy, seed, o)
            let commandAsked = o.accuracyAsked && problem.tasks.contains { $0.oracle != nil }
            let stopped = try lock.withLock { () throws -> Int? in
                lines.append(line)
                unwritten += 1
                fresh += 1
                if let s = stopAfter, fresh >= s {
                    try writeCheckpointLocked()
                    return fresh
                }
                if commandAsked || Date().timeIntervalSince(lastWrite) >= 1 { try writeCheckpointLocked() }
                return nil
            }
            visit(step, o)
            if let n = stopped { throw Interrupted(evaluations: n) }
            return o
        }
    }

    /// Runs one sampling strategy (`NASStrategy.sampling`) for one seed, resuming from the
    /// checkpoint when it holds some of its evaluations; `label` (default: the strategy's name)
    /// names the run in the checkpoint when one strategy runs with several settings.
    @discardableResult
    public func run(strategy: NASStrategy, label: String? = nil, seed: UInt64, budget: Int, evolution: CoExploration.EvolutionSettings = .init(),
                    controller: CoExploration.ControllerSettings = .init(), multiObjective: CoExploration.MultiObjectiveSettings = .init(), visit: @escaping (Int, CoExploration.Outcome) -> Void) throws -> CoExploration.SearchStats {
        let e = evaluator(strategy: label ?? strategy.rawValue, seed: seed, visit: visit)
        var stats = CoExploration.SearchStats()
        switch strategy {
        case .random: try problem.randomSearch(budget: budget, seed: seed, evaluate: e)
        case .evolution: stats = try problem.evolution(budget: budget, seed: seed, settings: evolution, evaluate: e)
        case .reinforce: stats = try problem.policyGradient(budget: budget, seed: seed, settings: controller, evaluate: e)
        case .moea: stats = try problem.multiObjective(budget: budget, seed: seed, settings: multiObjective, evaluate: e)
        case .exact, .successive: throw CheckpointError(description: "'\(strategy.rawValue)' is not a sampling strategy (accepted: \(NASStrategy.sampling.map(\.rawValue).joined(separator: ", ")))")
        }
        try lock.withLock { if unwritten > 0 { try writeCheckpointLocked() } }
        return stats
    }
}
