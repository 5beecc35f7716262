extension EvaluateJob {
    /// `intarsia evaluate`: one design of an FPGA spec (template and knob values) or of an ASIC
    /// spec (its id), as text or JSON; options that do not apply to the spec are refused, not ignored.
    public static func report(specPath spec: String, template: String?, sets: [String], design: Int?, json: Bool) throws -> String {
        try NASJob.refuse(spec, in: "evaluate")
        if ASICJob.isASIC(spec) {
            if let s = sets.first { throw UserError("--set \(s): \(spec) is an ASIC spec, whose designs are chosen by id; accepted: --design ID (0 to the space size - 1, see the search CSV's id column)") }
            if let t = template { throw UserError("--template \(t): \(spec) is an ASIC spec, which has no FPGA templates; accepted: --design ID") }
            return try ASICJob.evaluate(specPath: spec, id: design, json: json)
        }
        if let d = design { throw UserError("--design \(d): applies to ASIC specs only; \(spec) is an FPGA spec: choose its design with --template and --set knob=value") }
        let r = try run(specPath: spec, template: template, sets: sets)
        return json ? try EvaluateJob.json(r) + "\n" : text(r)
    }
}
