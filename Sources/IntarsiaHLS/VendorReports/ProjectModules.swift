import Foundation

/// Where Vitis HLS leaves its reports for a project `intarsia hls` wrote, and which of its
/// modules stand for which task (docs/HLS.md, "Reading the vendor reports back").
public enum ProjectModules {
    /// The dataflow template's process for a task: `static void task_<name>(...)` in top.cpp,
    /// which Vitis synthesises as a module of that name.
    public static func taskModule(_ task: String) -> String { "task_" + sanitize(task) }

    /// `run_hls.tcl` opens `proj_<top>` with `solution1`; Vitis writes the synthesis reports
    /// under its `syn/report`.
    public static func reportDirectory(project: String, top: String) -> String {
        (project as NSString).appendingPathComponent("proj_\(top)/solution1/syn/report")
    }

    /// The co-simulation report beside a solution's `syn/report`: `<solution>/sim/report/<top>_cosim.rpt`.
    public static func cosimReport(reportDirectory: String, top: String) -> String {
        let solution = ((reportDirectory as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        return (solution as NSString).appendingPathComponent("sim/report/\(top)_cosim.rpt")
    }

    /// A module's own report: `<module>_csynth.xml`.
    public static func reportFile(reportDirectory: String, module: String) -> String {
        (reportDirectory as NSString).appendingPathComponent("\(module)_csynth.xml")
    }
}
