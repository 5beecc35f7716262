import IntarsiaCore
import IntarsiaRows
import IntarsiaFPGA
import IntarsiaASIC
import IntarsiaReports
import IntarsiaSpec
import IntarsiaNAS

public enum PlatformListing {
    public static func text() -> String {
        TextTable.render(header: ["name", "part", "dsp", "bram18k", "uram", "lut", "ff", "slrs", "memory", "clock_mhz"],
                         rows: PlatformCatalog.all.map { p in
                             [p.name, p.part, String(p.dsp), String(p.bram18k), String(p.uram), String(p.lut), String(p.ff), String(p.slrs),
                              p.memories.map { "\($0.kind.rawValue) \($0.channels)ch \($0.totalGBps) GB/s" }.joined(separator: " + "),
                              String(Int(p.defaultClockMHz))]
                         })
    }

    public static func workloads() -> String {
        TextTable.render(header: ["name", "tasks", "macs", "parameters"], rows: BuiltinWorkload.allCases.map { b in
            let parameters = b.parameters.map { "\($0.key) (default \($0.value))" }.joined(separator: ", ")
            do {
                let w = try b.make()
                return [b.rawValue, String(w.tasks.count), String(w.totalMACs), parameters]
            } catch {
                // Shown, not hidden behind zeros: a built-in that does not build at its defaults.
                return [b.rawValue, "error: \(error)", "-", parameters]
            }
        })
    }

    /// `intarsia list templates`: each template's name, knobs and line, from its descriptor.
    public static func templates(_ registry: FPGATemplates = .builtin) -> String {
        TextTable.render(header: ["template", "knobs", "what it is"], rows: registry.all.map {
            [$0.rawValue, Knob.knobs(of: $0).map(\.rawValue).joined(separator: " "), $0.summary]
        })
    }

    /// `intarsia list dataflows`: each ASIC dataflow's name, knobs and line, from its descriptor.
    public static func dataflows(_ registry: ASICDataflows = .builtin) -> String {
        TextTable.render(header: ["dataflow", "knobs", "what it is"], rows: registry.all.map {
            [$0.rawValue, $0.knobs.map(\.knob.rawValue).joined(separator: " "), $0.summary]
        })
    }

    /// The NAS search spaces a task can name (`space:` in a NAS spec, docs/NAS.md).
    public static func spaces() throws -> String {
        var rows = [["nb201", "15625", "edge0..edge5: none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3",
                     "NAS-Bench-201 cells; with dataset cifar10, cifar100 or imagenet16-120 (accuracy table shipped)"]]
        for name in BuiltinSpaces.names {
            let s = try BuiltinSpaces.named(name)
            rows.append([name, String(s.count), s.choices.map { "\($0.name) \($0.values.map(String.init).joined(separator: "/"))" }.joined(separator: ", "),
                         "designs/nas/spaces/\(name).yaml"])
        }
        return TextTable.render(header: ["space", "architectures", "choices", "notes"], rows: rows)
    }

    public static func knobs(_ t: TemplateKind) -> String {
        TextTable.render(header: ["knob", "accepted values"], rows: t.descriptor.knobs.map { [$0.knob.rawValue, $0.accepted] })
    }

    /// An ASIC dataflow's knobs (the keys of a sub-accelerator entry) and the values it accepts.
    public static func knobs(_ d: ASICDataflow) -> String {
        TextTable.render(header: ["knob", "accepted values"], rows: d.knobs.map { [$0.knob.rawValue, $0.values.description] })
    }
}
