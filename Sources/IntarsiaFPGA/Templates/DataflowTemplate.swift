/// One compute unit per task, all resident, FIFOs between them; nothing spills off chip.
public enum DataflowTemplate: FPGATemplate {
    public static let identifier = "dataflow"
    public static let summary = "one compute unit per task, all resident, FIFOs between them; nothing off chip"
    public static let knobs: [TemplateKnob] = [Knob.lanes, .allocation, .weightLoad, .flattenLoops, .wordBits, .pipelined, .streamElements, .matVec]
        .map(TemplateKnob.standard)
    public static let schedulePolicy = SchedulePolicy.allTasksResident
    public static let unitRule = UnitRule.onePerMACTask
    public static let resourceRule = ResourceRule.perTaskUnits
}
