import Dispatch
import Foundation
import IntarsiaCore
import IntarsiaExplore
import IntarsiaFPGA

/// Evaluates batches of design points on every core. Results come back in input order, so a
/// search is deterministic whatever the number of cores.
public struct ParallelEvaluator: Sendable {
    public let model: FPGAModel
    public let workers: Int

    public init(model: FPGAModel, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.model = model
        self.workers = max(1, workers)
    }

    private final class Slots: @unchecked Sendable {
        // Each index is written by exactly one worker, then read after all workers joined.
        let base: UnsafeMutablePointer<Evaluation>
        init(_ n: Int) {
            base = .allocate(capacity: max(n, 1))
            base.initialize(repeating: Evaluation(), count: max(n, 1))
        }
        deinit { base.deallocate() }
    }

    public func evaluate(_ points: [DesignPoint]) -> [Evaluation] {
        let n = points.count
        if n < 64 || workers == 1 { return points.map(model.evaluate) }
        let slots = Slots(n)
        let model = self.model
        let w = min(workers, n)
        DispatchQueue.concurrentPerform(iterations: w) { k in
            var i = k
            while i < n {
                slots.base[i] = model.evaluate(points[i])
                i += w
            }
        }
        return Array(UnsafeBufferPointer(start: slots.base, count: n))
    }

    /// The proposals' design points made from `space` and evaluated on the workers, in the order
    /// given: the point of each index is built on the worker that evaluates it, so a search's
    /// only serial step per point is taking the result.
    public func evaluate(_ asked: [Proposal<Int>], in space: PointDecoder) -> [EvaluatedDesign] {
        let model = self.model
        return Parallel.map(asked.count, workers: workers, sequentialBelow: 64) { k in
            let p = space.point(at: asked[k].point)
            return EvaluatedDesign(id: asked[k].id, point: p, evaluation: model.evaluate(p))
        }
    }
}
