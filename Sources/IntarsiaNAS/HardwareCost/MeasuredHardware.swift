import Foundation
import IntarsiaASIC

/// A device whose costs are measured (or fitted to measurements), not modelled: a phone, a
/// microcontroller, a board. Its figures come per task from a hardware-cost source.
public struct MeasuredDevice: Sendable, Hashable {
    public var name: String
    /// Figures by task name.
    public var figures: [String: MeasuredFigures]
    public init(name: String, figures: [String: MeasuredFigures]) {
        self.name = name
        self.figures = figures
    }
    public static func == (a: MeasuredDevice, b: MeasuredDevice) -> Bool { a.name == b.name }
    public func hash(into h: inout Hasher) { h.combine(name) }
}

/// The hardware side made of measured devices: 1 to 4 slots, each one device from a list of
/// candidates. No area and no budgets; latency and energy per task from the device's figures.
/// Cycles are nanoseconds (a nominal 1,000 MHz clock), so latency in ms = cycles / 1e6.
public struct DeviceHardware: CoHardwareSpace {
    public let slots: [[MeasuredDevice]]
    public init(slots: [[MeasuredDevice]]) { self.slots = slots }

    public var kind: String { "device" }
    public var knobRadices: [[Int]] { slots.map { [$0.count] } }
    /// Nominal: one cycle is one nanosecond.
    public var clockMHz: Double { 1000 }
    public var staticPicojoulesPerCycle: Double { 0 }

    public func device(_ h: Int, slot: Int) -> MeasuredDevice { slots[slot][knobs(h)[slot][0]] }
    public func unitKey(_ h: Int, slot: Int) -> AnyHashable { AnyHashable(device(h, slot: slot)) }
    public func unitDescription(_ h: Int, slot: Int) -> String { device(h, slot: slot).name }
    public func check(_ h: Int, constraints: ASICConstraints) -> HardwareCheck {
        var v: [String] = []
        if let a = constraints.maxAreaMM2 { v.append("area_mm2 \(a): a measured device has no modelled area") }
        return HardwareCheck(areaMM2: 0, violations: v, overshoot: v.isEmpty ? 0 : 1)
    }

    public func measuredFigures(_ h: Int, slot: Int, task: CoExploration.Task) -> MeasuredFigures? {
        task.hardwareCost ?? device(h, slot: slot).figures[task.name]
    }

    public func costs(_ h: Int, slot: Int, task: CoExploration.Task, networks: TaskNetworks) throws -> (cycles: [Double], energy: [Double]) {
        guard let f = measuredFigures(h, slot: slot, task: task) else {
            throw HardwareCostError("device \(device(h, slot: slot).name) has no hardware cost for task \(task.name); accepted: a hardware_cost for the device or the task")
        }
        return f.costs(clockMHz: clockMHz)
    }
}

/// An analytical hardware side (ASIC or FPGA) whose tasks with their own `hardware_cost` take
/// their figures from it on every sub-accelerator (the model corrected by measurements); the other
/// tasks are priced by the model as before.
struct TaskMeasuredHardware: CoHardwareSpace {
    let base: any CoHardwareSpace

    /// `hardware` itself unless some task has its own hardware cost and the side is analytical.
    static func wrapping(_ hardware: any CoHardwareSpace, tasks: [CoExploration.Task]) -> any CoHardwareSpace {
        guard !(hardware is DeviceHardware), !(hardware is TaskMeasuredHardware), tasks.contains(where: { $0.hardwareCost != nil }) else { return hardware }
        return TaskMeasuredHardware(base: hardware)
    }

    var kind: String { base.kind }
    var knobRadices: [[Int]] { base.knobRadices }
    var clockMHz: Double { base.clockMHz }
    var staticPicojoulesPerCycle: Double { base.staticPicojoulesPerCycle }
    func unitKey(_ h: Int, slot: Int) -> AnyHashable { base.unitKey(h, slot: slot) }
    func unitDescription(_ h: Int, slot: Int) -> String { base.unitDescription(h, slot: slot) }
    func check(_ h: Int, constraints: ASICConstraints) -> HardwareCheck { base.check(h, constraints: constraints) }
    func measuredFigures(_ h: Int, slot: Int, task: CoExploration.Task) -> MeasuredFigures? { task.hardwareCost }
    func costs(_ h: Int, slot: Int, task: CoExploration.Task, networks: TaskNetworks) throws -> (cycles: [Double], energy: [Double]) {
        if let f = task.hardwareCost { return f.costs(clockMHz: clockMHz) }
        return try base.costs(h, slot: slot, task: task, networks: networks)
    }
}

extension CoHardwareSpace {
    /// The measured figures that price `task` on the sub-accelerator in `slot` of candidate `h`,
    /// nil when the analytical model prices it.
    public func measuredFigures(_ h: Int, slot: Int, task: CoExploration.Task) -> MeasuredFigures? { nil }
}
