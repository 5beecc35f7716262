import IntarsiaFPGA

/// The HLS emitter of one FPGA template: writes the project's top function for the template's
/// design points. IntarsiaFPGA cannot know its emitters (HLS imports FPGA, not the other way), so
/// they are found here, by the template's `identifier`, in an `HLSEmitters` registry. What the
/// emitted code holds besides the top function (streams or a scratchpad, its ports, its
/// testbench) follows the template's `ResourceRule`, as the model's decisions do (`HLSDesign`).
public protocol HLSTemplateEmitter: Sendable {
    /// The `FPGATemplate.identifier` of the template it emits.
    static var templateIdentifier: String { get }
    /// `src/top.cpp`.
    static func top(_ d: HLSDesign) -> String
}

/// The emitters `intarsia hls` can use; a template without one is reported, not emitted.
public struct HLSEmitters: Sendable {
    public let all: [any HLSTemplateEmitter.Type]

    public static let builtin = HLSEmitters(unchecked: [DataflowHLSEmitter.self, SequentialHLSEmitter.self, ReconfigurableHLSEmitter.self])

    private init(unchecked all: [any HLSTemplateEmitter.Type]) { self.all = all }

    /// The registry with one more emitter; one per template.
    public func adding(_ emitter: any HLSTemplateEmitter.Type) throws -> HLSEmitters {
        guard !names.contains(emitter.templateIdentifier) else {
            throw HLSProgram.Unsupported(description: "template \(emitter.templateIdentifier) already has an HLS emitter")
        }
        return HLSEmitters(unchecked: all + [emitter])
    }

    /// The emitter of a template; a template with none is an `HLSProgram.Unsupported` error.
    public func emitter(for template: TemplateKind) throws -> any HLSTemplateEmitter.Type {
        for e in all where e.templateIdentifier == template.rawValue { return e }
        throw HLSProgram.Unsupported(description: "template \(template.rawValue) has no HLS emitter (templates with one: \(names.joined(separator: ", ")))")
    }

    /// The templates that have an emitter.
    public var names: [String] { all.map { $0.templateIdentifier } }
}

extension HLSDesign {
    /// Whether each task has a process of its own with FIFOs between them (units per task:
    /// dataflow), rather than an instruction program over shared units and a scratchpad.
    public var streaming: Bool { Self.streams(point.template) }

    static func streams(_ t: TemplateKind) -> Bool {
        switch t.resourceRule {
        case .perTaskUnits: return true
        case .sharedUnits: return false
        }
    }

    /// Compute units the instruction program runs on (the model's unit rule).
    var programUnits: Int {
        switch point.template.unitRule {
        case .one: return 1
        case .computeUnitsKnob: return max(1, point.computeUnits)
        case .onePerMACTask: return max(1, program.steps.filter(\.isMAC).count)
        }
    }
}
