/// One unit with every lane runs the tasks one after another; intermediates may spill.
public enum SequentialTemplate: FPGATemplate {
    public static let identifier = "sequential"
    public static let summary = "one unit with every lane runs the tasks one after another; intermediates may spill"
    public static let knobs: [TemplateKnob] = [Knob.lanes, .scratchpadKiB, .weightLoad, .flattenLoops, .wordBits, .spill, .pipelined]
        .map(TemplateKnob.standard)
    public static let schedulePolicy = SchedulePolicy.oneMACTaskPerStage
    public static let unitRule = UnitRule.one
    public static let resourceRule = ResourceRule.sharedUnits
}
