import IntarsiaFPGA
import IntarsiaReports

extension PlatformListing {
    /// `intarsia list WHAT [TEMPLATE]`.
    public static func listing(_ what: String, template: String?) throws -> String {
        switch what {
        case "platforms": return text()
        case "workloads": return workloads()
        case "templates": return templates()
        case "spaces": return try spaces()
        case "knobs":
            guard let t = template.flatMap(TemplateKind.init(rawValue:)) else {
                throw UserError("list knobs '\(template ?? "")': name a template; accepted: \(TemplateKind.acceptedNames)")
            }
            return knobs(t)
        default: throw UserError("list '\(what)': accepted: platforms, templates, workloads, spaces, knobs TEMPLATE")
        }
    }

    /// `intarsia columns`: the design CSV's columns as a Markdown table (docs/CSV.md).
    public static func columnsMarkdown() -> String {
        var s = "| column | meaning |\n|---|---|\n"
        for c in DesignColumns.all { s += "| `\(c.name)` | \(c.meaning) |\n" }
        return s + "| `\(DesignColumns.paretoColumn.name)` | \(DesignColumns.paretoColumn.meaning) |\n"
    }
}
