import Foundation
import IntarsiaCore

/// Running totals of a schedule's stages, in stage order (what `FPGAModel.finish` turns into an
/// evaluation).
struct StageTotals {
    var cycles = 0.0
    var offChipBytes = 0.0
    var energyPicojoules = 0.0
    var maxBram18k = 0.0
    var maxUram = 0.0
    var dataflowDSP = 0.0
    var dataflowLUT = 0.0
    var dataflowFF = 0.0
    var stages = 0
    var tooManyTasks = false

    @inline(__always)
    mutating func add(_ c: StageCost, spill: (cycles: Double, bytes: Double)) {
        cycles += spill.cycles + c.cycles
        offChipBytes += spill.bytes + c.offChipBytes
        energyPicojoules += c.energyPicojoules
        maxBram18k = max(maxBram18k, c.bram18k)
        maxUram = max(maxUram, c.uram)
        dataflowDSP = c.macDSP
        dataflowLUT = c.macLUT
        dataflowFF = c.macFF
    }

    /// Energy of `repetitions` runs without the card's static power: the stages' MAC and
    /// on-chip energy, and the off-chip traffic's at `picojoulesPerOffChipByte`.
    @inline(__always)
    func dynamicEnergyPicojoules(repetitions reps: Double, picojoulesPerOffChipByte: Double) -> Double {
        energyPicojoules * reps + offChipBytes * reps * picojoulesPerOffChipByte
    }
}

extension FPGAModel {
    /// An evaluation from a schedule's stage totals: latency, traffic, resources, energy, power
    /// and the constraints broken.
    func finish(_ p: DesignPoint, env: CycleEnvironment, totals: StageTotals) -> Evaluation {
        var e = Evaluation()
        let reps = compiled.repetitions
        e.stages = totals.stages
        e.latencyCycles = totals.cycles * reps
        e.latencyMs = e.latencyCycles / env.clockHz * 1e3
        e.throughputPerSecond = e.latencyMs > 0 ? 1e3 / e.latencyMs : 0
        e.macs = compiled.totalMACs
        e.offChipBytes = totals.offChipBytes * reps
        let sh = platform.shell
        let caps = memoryCaps(p, env)
        let fabric = fabric(p, env: env, totals: totals)
        e.dsp = Int(fabric.dsp) + sh.dsp
        e.lut = Int(fabric.lut.rounded(.up)) + sh.lut
        e.ff = Int(fabric.ff.rounded(.up)) + sh.ff
        e.bram18k = Int(totals.maxBram18k + caps.scratchBram) + sh.bram18k
        e.uram = Int(totals.maxUram + caps.scratchUram) + sh.uram
        let lanesInUse = Double(p.lanes)
        e.utilization = e.latencyCycles > 0 && lanesInUse > 0 ? e.macs / (e.latencyCycles * lanesInUse) : 0
        let seconds = e.latencyMs / 1e3
        let dynamicPJ = totals.dynamicEnergyPicojoules(repetitions: reps, picojoulesPerOffChipByte: picojoulesPerOffChipByte)
        let totalPJ = dynamicPJ + platform.staticPowerW * seconds * 1e12
        e.energyMJ = totalPJ * 1e-9
        e.powerW = seconds > 0 ? totalPJ * 1e-12 / seconds : 0
        e.violations = violations(of: e)
        if totals.tooManyTasks { e.violations.insert(.schedule) }
        return e
    }

    /// DSP, LUT and FF of the design's MAC lanes, units and special-function units (shell apart).
    @inline(__always)
    func fabric(_ p: DesignPoint, env: CycleEnvironment, totals: StageTotals) -> (dsp: Double, lut: Double, ff: Double) {
        let perTask: Bool
        switch p.template.resourceRule {
        case .perTaskUnits: perTask = true
        case .sharedUnits: perTask = false
        }
        let sfu = perTask ? compiled.sfuPerTask : compiled.sfuPerKind
        let maxSfuDSP = (sfu.dsp * env.sfuWidth).rounded(.up), maxSfuLUT = sfu.lut * env.sfuWidth, maxSfuFF = sfu.ff * env.sfuWidth
        if perTask {
            return (totals.dataflowDSP + maxSfuDSP, totals.dataflowLUT + maxSfuLUT, totals.dataflowFF + maxSfuFF)
        }
        let lane = compiled.sharedLane
        let l = Double(p.lanes)
        let u = Double(units(p))
        return ((l * lane.dsp).rounded(.up) + maxSfuDSP, l * lane.lut + u * ModelConstants.lutPerUnit + maxSfuLUT,
                l * lane.ff + u * ModelConstants.ffPerUnit + maxSfuFF)
    }

    func violations(of e: Evaluation) -> Violations {
        var v: Violations = []
        let k = constraints
        if Double(e.dsp) > k.dspFraction * Double(platform.dsp) { v.insert(.dsp) }
        if Double(e.bram18k) > k.bramFraction * Double(platform.bram18k) { v.insert(.bram) }
        if Double(e.uram) > k.uramFraction * Double(platform.uram) { v.insert(.uram) }
        if Double(e.lut) > k.lutFraction * Double(platform.lut) { v.insert(.lut) }
        if Double(e.ff) > k.ffFraction * Double(platform.ff) { v.insert(.ff) }
        if let l = k.maxLatencyMs, e.latencyMs > l { v.insert(.latency) }
        if let l = k.maxPowerW, e.powerW > l { v.insert(.power) }
        if let l = k.maxEnergyMJ, e.energyMJ > l { v.insert(.energy) }
        if let l = k.maxOffChipBytes, e.offChipBytes > l { v.insert(.offChip) }
        return v
    }
}
