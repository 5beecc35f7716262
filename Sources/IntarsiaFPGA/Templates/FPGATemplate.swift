/// What an FPGA template is, declared in one place: its name, its line in `intarsia list
/// templates`, the knobs it reads with their default candidates, the stages it runs and how many
/// units and which resources it builds. The model, the spec reader, the search space, the listings
/// and the HLS emitter lookup (by `identifier`, in IntarsiaHLS) read these instead of switching
/// over template names.
///
/// A conformer is a caseless enum in its own file (`Templates/DataflowTemplate.swift`); adding a
/// template is such a file, an entry of `FPGATemplates.builtin` (or a registry of one's own,
/// `FPGATemplates.adding`) and, for `intarsia hls`, an emitter. The requirements are static, so a
/// `TemplateKind` holds only a metatype and the policies below: a design point stays a plain value
/// and the model's hot path reads stored enums, never calls through the protocol per task.
public protocol FPGATemplate: Sendable {
    /// The name specs, CSV rows and the command line use (`templates: {dataflow: ...}`).
    static var identifier: String { get }
    /// One line on what the template is (`intarsia list templates`).
    static var summary: String { get }
    /// The knobs it reads, in spec and CSV order, with the candidates a spec section that does
    /// not list a knob gets; other knobs are rejected in its spec section.
    static var knobs: [TemplateKnob] { get }
    /// Which stages it runs for a design point.
    static var schedulePolicy: SchedulePolicy { get }
    /// How many compute units it builds.
    static var unitRule: UnitRule { get }
    /// How its compute units, special-function units and scratchpad are laid out.
    static var resourceRule: ResourceRule { get }
}

/// A knob a template reads, with the candidate values its spec section gets when it does not
/// list the knob.
public struct TemplateKnob: Sendable {
    public let knob: Knob
    public let defaults: [KnobValue]
    public init(_ knob: Knob, defaults: [KnobValue]) {
        self.knob = knob
        self.defaults = defaults
    }
    /// The knob with the well-built designs' defaults (`Knob.wellBuiltDefaults`).
    public static func standard(_ knob: Knob) -> TemplateKnob { TemplateKnob(knob, defaults: knob.wellBuiltDefaults) }
}

/// The stages a template runs (the model switches over these exhaustively: a new policy does not
/// compile until every place that schedules handles it).
public enum SchedulePolicy: Hashable, Sendable {
    /// One stage with every task, each MAC task on units of its own, FIFOs between them; the lane
    /// split is the point's `allocation` (dataflow).
    case allTasksResident
    /// One stage per MAC task with the special-function tasks that follow it (sequential).
    case oneMACTaskPerStage
    /// Stages chosen per point: the shortest path over the schedule graph, a plugged-in
    /// scheduler's, or the spec's hand-written `schedule` (reconfigurable).
    case chosenPerPoint
}

/// How many compute units a template builds.
public enum UnitRule: Hashable, Sendable {
    /// One per MAC task of the workload (at least one).
    case onePerMACTask
    /// A single unit with every lane.
    case one
    /// The point's `compute_units` knob.
    case computeUnitsKnob
}

/// How a template's resources are laid out.
public enum ResourceRule: Hashable, Sendable {
    /// Each task has its own MAC unit and special-function unit, sized for it; no scratchpad (the
    /// `scratchpad_kib` knob is not the template's); lanes may be lost to rounding, one per task.
    case perTaskUnits
    /// Units shared by the tasks, sized by the widest; one special-function unit per kind of
    /// operation; an on-chip scratchpad of `scratchpad_kib` for intermediates between stages.
    case sharedUnits
}

extension Knob {
    /// Candidate values for a knob a template section does not list: well-built designs.
    public var wellBuiltDefaults: [KnobValue] {
        switch self {
        case .lanes: return [.int(64)]
        case .allocation: return [.text("proportional")]
        case .computeUnits: return [.int(2), .int(3), .int(4)]
        case .scratchpadKiB: return [.int(4096)]
        case .weightLoad: return [.text("double_buffered")]
        case .flattenLoops: return [.bool(true)]
        case .wordBits: return [.int(512)]
        case .spill: return [.text("overflow")]
        case .pipelined: return [.bool(true)]
        case .streamElements: return [.int(0)]
        case .matVec: return [.text("auto")]
        case .writeWait: return [.bool(false)]
        }
    }
}
