import IntarsiaCore

/// What the dataflow closed form keeps of a task while it places the stage (`TaskSlot` without
/// the stage: every task is in the one stage).
private struct DataflowSlot {
    var startCycle: Double
    var finishCycle: Double
    var fillCycles: Double
    var outputAtEnd: Bool
}

extension FPGAModel {
    /// Whether `evaluateDataflowFast` costs this point: a dataflow point whose units run every
    /// MAC task at once.
    @inline(__always)
    func dataflowClosedFormApplies(_ p: DesignPoint) -> Bool {
        units(p) >= dataflowPlan.macTasks
    }

    /// A dataflow point's evaluation from `dataflowPlan`: the figures of
    /// `evaluate(p, schedule:)` on the template's one-stage schedule, bit for bit, without the
    /// schedule, the per-task look-ups of the graph or the recorder. A balanced point's lanes
    /// per task are the lane balancer's split (`balancedSplit`, solved once per key), and its
    /// evaluation says how that split was found.
    func evaluateDataflowFast(_ p: DesignPoint) -> Evaluation {
        let env = platformEnvironment.with(p)
        var totals = StageTotals()
        totals.stages = 1
        guard p.allocation == .balanced else {
            totals.add(dataflowStageCost(p, env: env, taskLanes: nil), spill: (0, 0))
            return finish(p, env: env, totals: totals)
        }
        let held = balancedSplit(p)
        totals.add(dataflowStageCost(p, env: env, taskLanes: held.split.lanes), spill: (0, 0))
        var e = finish(p, env: env, totals: totals)
        e.takeStatuses(of: held.recorded)
        return e
    }

    /// `StageModel.cost` of the one stage of every task: the same terms in the same order; what
    /// no knob changes comes from the plan, and the stage's buffer bytes (read only by a
    /// recorder) are not summed. `taskLanes` (by task index): given lanes per MAC task, as a
    /// balanced split gives them; nil: the allocation's shares.
    func dataflowStageCost(_ p: DesignPoint, env: CycleEnvironment, taskLanes: [Double]?) -> StageCost {
        let plan = dataflowPlan
        var c = StageCost()
        c.macTasks = plan.macTasks
        c.offChipBytes = plan.offChipBytes
        c.onChipBytesAccessed = plan.onChipBytesAccessed
        c.energyPicojoules = plan.energyPicojoules
        let lanes = Double(p.lanes)
        let uniform = p.allocation == .uniform
        let bw = env.unitBytesPerCycle(units: max(plan.macTasks, 1))
        var end = 0.0
        plan.tasks.withUnsafeBufferPointer { tasks in
            plan.inputs.withUnsafeBufferPointer { inputs in
                plan.held.withUnsafeBufferPointer { held in
                    compiled.tasks.withUnsafeBufferPointer { facts in
                        withUnsafeTemporaryAllocation(of: DataflowSlot.self, capacity: tasks.count) { slots in
                            for i in 0..<tasks.count {
                                let t = tasks[i]
                                let width: Double
                                var busy: Double
                                if t.isMAC {
                                    if let given = taskLanes {
                                        width = max(1, given[i])
                                    } else {
                                        width = max(1, (lanes * (uniform ? t.uniformShare : t.proportionalShare)).rounded(.down))
                                    }
                                    busy = MACCycleModel(facts[i], bytesPerCycle: bw, env: env).cycles(lanes: width)
                                    Self.chargeMACUnit(t, width: width, env: env, to: &c)
                                } else {
                                    width = env.sfuWidth
                                    busy = (t.sfuElements / width).rounded(.up) + env.sfuDepthCycles
                                }
                                for k in t.held { held[k].buffer.charge(parallelBits: width * held[k].bits, bram18k: &c.bram18k, uram: &c.uram) }
                                var start = 0.0
                                var streamedFinish = 0.0
                                var atEnd = false
                                let readBits = width * t.elementBits
                                for e in t.inputs {
                                    let input = inputs[e]
                                    let made = slots[input.producer]
                                    var streamed: Bool
                                    switch input.mode {
                                    case .streams: streamed = true
                                    case .waits: streamed = false
                                    case .matVec:
                                        streamed = env.matVec == .outer || (env.matVec == .auto && !made.outputAtEnd)
                                        if streamed {
                                            atEnd = true
                                            t.accumulators.charge(parallelBits: width * t.accumulatorBits, bram18k: &c.bram18k, uram: &c.uram)
                                        }
                                    }
                                    if streamed {
                                        if made.outputAtEnd { atEnd = true }
                                        if env.streamElements > 0 { busy = max(busy, (input.producerElements / env.streamElements).rounded(.up)) }
                                        start = max(start, made.startCycle + made.fillCycles)
                                        streamedFinish = max(streamedFinish, made.finishCycle)
                                        input.fifo.charge(parallelBits: readBits, bram18k: &c.bram18k, uram: &c.uram)
                                    } else {
                                        start = max(start, made.finishCycle)
                                        input.operand.charge(parallelBits: readBits, bram18k: &c.bram18k, uram: &c.uram)
                                    }
                                }
                                // `StageModel.place`'s finish and first output.
                                let chunk = busy / t.chunks
                                let finish = max(start + busy, streamedFinish > 0 ? streamedFinish + chunk : 0)
                                slots[i] = DataflowSlot(startCycle: start, finishCycle: finish, fillCycles: atEnd ? busy : chunk, outputAtEnd: atEnd)
                                end = max(end, finish)
                            }
                        }
                    }
                }
            }
        }
        (c.bram18k, c.uram) = (c.bram18k + plan.heldFixedBRAM18k, c.uram + plan.heldFixedURAM)
        if env.writeWait { end += StageModel.writeWaitCycles(writtenBytes: plan.writtenBytes, env: env) }
        c.cycles = end + env.stageSwitchCycles
        return c
    }

    /// A MAC task's unit of `width` lanes: its DSP, LUT and FF, and its weight buffers under the
    /// point's weight loading, charged to the stage (`StageModel.cost`'s terms, in its order).
    @inline(__always)
    static func chargeMACUnit(_ t: DataflowPlan.Task, width: Double, env: CycleEnvironment, to c: inout StageCost) {
        c.macDSP += (width * t.dspPerMAC).rounded(.up)
        c.macLUT += width * t.lutPerLane + ModelConstants.lutPerUnit
        c.macFF += width * t.ffPerLane + ModelConstants.ffPerUnit
        let weightBits = min(width, t.reduction) * t.weightBits
        switch env.weightLoad {
        case .doubleBuffered: t.doubleBufferedWeights.charge(parallelBits: weightBits, bram18k: &c.bram18k, uram: &c.uram)
        case .buffered: t.bufferedWeights.charge(parallelBits: weightBits, bram18k: &c.bram18k, uram: &c.uram)
        case .blocking: break
        }
    }
}
