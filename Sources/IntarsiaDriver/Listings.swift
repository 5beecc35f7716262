import IntarsiaCore
import IntarsiaReports

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
            let w = try? b.make()
            return [b.rawValue, String(w?.tasks.count ?? 0), String(w?.totalMACs ?? 0),
                    b.parameters.map { "\($0.key) (default \($0.value))" }.joined(separator: ", ")]
        })
    }
}
