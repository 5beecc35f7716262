import IntarsiaFPGA

/// The dataflow template's code: one process per task, FIFOs between them (`DataflowEmitter`).
public enum DataflowHLSEmitter: HLSTemplateEmitter {
    public static let templateIdentifier = DataflowTemplate.identifier
    public static func top(_ d: HLSDesign) -> String { DataflowEmitter.top(d) }
}
