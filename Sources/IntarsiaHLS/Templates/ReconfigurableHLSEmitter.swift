import IntarsiaFPGA

/// The reconfigurable template's code: units whose roles switch per stage, from the instruction
/// list (`ProgramEmitter`).
public enum ReconfigurableHLSEmitter: HLSTemplateEmitter {
    public static let templateIdentifier = ReconfigurableTemplate.identifier
    public static func top(_ d: HLSDesign) -> String {
        ProgramEmitter.top(d, intro: "// Reconfigurable template (InTAR style): \(d.programUnits) compute unit(s) whose roles switch per stage\n"
                           + "// from the static instruction list below (the model's schedule, \(d.stageCount) stage(s)).\n")
    }
}
