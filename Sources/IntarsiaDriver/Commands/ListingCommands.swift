import IntarsiaFPGA
import IntarsiaASIC
import IntarsiaReports

extension PlatformListing {
    /// `intarsia list WHAT [TEMPLATE]`: `knobs` takes an FPGA template or an ASIC dataflow of the
    /// registries given.
    public static func listing(_ what: String, template: String?, templates registry: FPGATemplates = .builtin,
                               dataflows: ASICDataflows = .builtin) throws -> String {
        switch what {
        case "platforms": return text()
        case "workloads": return workloads()
        case "templates": return templates(registry)
        case "dataflows": return self.dataflows(dataflows)
        case "spaces": return try spaces()
        case "knobs":
            if let t = template.flatMap(registry.named) { return knobs(t) }
            if let d = template.flatMap(dataflows.named) { return knobs(d) }
            throw UserError("list knobs '\(template ?? "")': name a template or an ASIC dataflow; accepted: \(registry.acceptedNames), \(dataflows.acceptedNames)")
        default: throw UserError("list '\(what)': accepted: platforms, templates, dataflows, workloads, spaces, knobs TEMPLATE")
        }
    }

    /// `intarsia columns`: the design CSV's columns as a Markdown table (docs/CSV.md).
    public static func columnsMarkdown() -> String {
        var s = "| column | meaning |\n|---|---|\n"
        for c in DesignColumns.all { s += "| `\(c.name)` | \(c.meaning) |\n" }
        return s + "| `\(DesignColumns.paretoColumn.name)` | \(DesignColumns.paretoColumn.meaning) |\n"
    }
}
