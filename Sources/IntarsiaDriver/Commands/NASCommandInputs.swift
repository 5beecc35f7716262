import Foundation
import IntarsiaCore

extension NASJob.Options {
    /// `intarsia nas`'s options as the command line gives them, checked: the spec must be a
    /// readable NAS spec, and `--space-costs` (which costs every architecture and searches
    /// nothing) takes no search option.
    public init(specPath: String, strategies: [String], budget: Int?, seed: UInt64?, resume: Bool, seeds: String?, spaceCosts: Bool,
                outputPrefix: String?, cacheFailures: Bool, stopAfter: Int?, jobs: Int?) throws {
        try CommandInputs.checkWorkers(jobs)
        let data: Data
        do throws(InputFile.Unreadable) { data = try InputFile.read(specPath) } catch {
            throw UserError("\(error); accepted: a NAS spec (YAML), e.g. designs/nas/nb201-three-task-asic.yaml")
        }
        guard String(data: data, encoding: .utf8) != nil else { throw UserError("\(specPath): not UTF-8 text; accepted: a NAS spec (YAML)") }
        guard NASJob.isNAS(specPath) else { throw UserError("\(specPath): not a NAS spec (it needs 'tasks', and 'accelerators' for an ASIC or 'units' for an FPGA); see docs/NAS.md") }
        try CommandInputs.checkBudget(budget)
        self.init(specPath: specPath)
        self.budget = budget
        self.seed = seed
        self.strategies = strategies.isEmpty ? nil : strategies
        self.resume = resume
        self.stopAfter = stopAfter
        self.spaceCosts = spaceCosts
        self.cacheFailures = cacheFailures
        self.outputPrefix = outputPrefix
        self.workers = jobs
        if spaceCosts {
            for (given, name) in [(seeds != nil, "--seeds"), (!strategies.isEmpty, "--strategy"), (budget != nil, "--budget"), (seed != nil, "--seed"), (resume, "--resume")] where given {
                throw UserError("\(name): does not apply with --space-costs (which costs every architecture and searches nothing); accepted: --space-costs alone, or a search without it")
            }
        }
        if let text = seeds { self.seeds = try NASJob.seeds(text) }
    }
}
