extension HLSJob.Options {
    /// `intarsia hls`'s options as the command line gives them, checked.
    public init(specPath: String, output: String, sets: [String], csv: String?, rank: Int?, id: Int?, metric: String, force: Bool,
                seed: UInt64, apTypes: String?, fifoDepths: [String], parameters: [String], golden: String) throws {
        if (rank != nil || id != nil) && csv == nil { throw UserError("--rank and --id need --from CSV") }
        if rank != nil && id != nil { throw UserError("--rank and --id: give one of them") }
        self.init(specPath: specPath, output: output)
        self.sets = sets
        self.csv = csv
        self.rank = rank
        self.id = id
        self.metric = metric
        self.force = force
        self.seed = seed
        self.apTypes = apTypes
        guard let g = HLSJob.Golden(rawValue: golden) else { throw UserError("--golden '\(golden)': accepted: \(HLSJob.Golden.acceptedNames)") }
        self.golden = g
        self.parameters = try CommandInputs.singleParameters(parameters, command: "hls")
        for f in fifoDepths {
            let parts = f.split(separator: "=").map(String.init)
            guard parts.count == 2, let d = Int(parts[1]), d >= 1 else { throw UserError("--fifo-depth '\(f)': accepted: stream=depth with depth >= 1, e.g. ln1_to_residual2=1") }
            fifoDepthOverrides[parts[0]] = d
        }
    }
}
