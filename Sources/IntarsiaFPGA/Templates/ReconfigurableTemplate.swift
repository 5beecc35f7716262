/// A few units whose roles switch per stage from a static schedule (InTAR style).
public enum ReconfigurableTemplate: FPGATemplate {
    public static let identifier = "reconfigurable"
    public static let summary = "a few units whose roles switch per stage from a static, optimal schedule (InTAR style)"
    public static let knobs: [TemplateKnob] = [Knob.lanes, .computeUnits, .scratchpadKiB, .weightLoad, .flattenLoops, .wordBits, .spill,
                                               .pipelined, .streamElements, .matVec].map(TemplateKnob.standard)
    public static let schedulePolicy = SchedulePolicy.chosenPerPoint
    public static let unitRule = UnitRule.computeUnitsKnob
    public static let resourceRule = ResourceRule.sharedUnits
}
