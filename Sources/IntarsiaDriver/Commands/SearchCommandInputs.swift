import Foundation
import IntarsiaSearch
import IntarsiaFPGA

extension SearchJob.Options {
    /// `intarsia search`'s options as the command line gives them, checked.
    public init(output: String?, paretoOnly: Bool, strategy: String?, budget: Int?, seed: UInt64?, jobs: Int?,
                quiet: Bool, resume: Bool, report: Bool, shard: String?) throws {
        self.init()
        self.resume = resume
        self.report = report
        if let shard { try setShard(shard) }
        self.output = output
        self.paretoOnly = paretoOnly ? true : nil
        if let s = strategy {
            guard let st = Strategy(rawValue: s) else { throw UserError("--strategy '\(s)': unknown strategy; accepted: \(Strategy.acceptedNames)") }
            self.strategy = st
        }
        try CommandInputs.checkBudget(budget)
        try CommandInputs.checkWorkers(jobs)
        self.budget = budget
        self.seed = seed
        self.workers = jobs
        self.progress = !quiet
    }

    /// `--shard i/N`: shard i of N, 0 <= i < N (the one check of a shard).
    public mutating func setShard(_ text: String) throws {
        let parts = text.split(separator: "/").map { Int($0) }
        guard parts.count == 2, let i = parts[0], let n = parts[1], n >= 1, i >= 0, i < n else {
            throw UserError("--shard '\(text)': accepted: i/N with 0 <= i < N, e.g. 0/4")
        }
        shard = (i, n)
    }
}

extension SearchJob.Result {
    /// The line `intarsia search` ends with on stderr: what was evaluated, the front, the time.
    public var summaryLine: String {
        let s = summary
        return "\(s.strategy.rawValue): \(s.evaluated) of \(s.spaceSize) designs evaluated (\(s.pruned) pruned), \(s.feasible) feasible, "
            + "Pareto front \(s.pareto.count), \(String(format: "%.2f", s.seconds)) s (CSV rows: writer busy "
            + "\(String(format: "%.2f", writerBusySeconds)) s beside the search, search held up \(String(format: "%.2f", writerSeconds)) s); wrote \(outputPath)"
    }
}
