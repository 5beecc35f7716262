import IntarsiaFPGA

/// The sequential template's code: one unit running the instruction list (`ProgramEmitter`).
public enum SequentialHLSEmitter: HLSTemplateEmitter {
    public static let templateIdentifier = SequentialTemplate.identifier
    public static func top(_ d: HLSDesign) -> String {
        ProgramEmitter.top(d, intro: "// Sequential template: one compute unit with every lane runs the tasks one after another;\n"
                           + "// intermediates the scratchpad cannot hold are spilled to the off-chip activation buffer.\n")
    }
}
