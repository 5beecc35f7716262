import IntarsiaCore

/// Runs a strategy against an evaluation: each asked batch is evaluated on `workers` threads
/// and comes back in asked order (`Parallel.map`), so a run is the same for a seed whatever the
/// number of cores. `sink` sees every batch with its scores, in order.
public enum Explorer {
    public static func run<Point, R: Scored & Sendable>(
        _ strategy: inout some ExplorationStrategy<Point>, workers: Int = Parallel.allCores,
        evaluate: @Sendable (Point) -> R, sink: ([Proposal<Point>], [R]) throws -> Void = { _, _ in }
    ) rethrows {
        while true {
            let asked = strategy.ask()
            if asked.isEmpty { return }
            let results = Parallel.map(asked.count, workers: workers) { evaluate(asked[$0].point) }
            strategy.tell(asked, results)
            try sink(asked, results)
        }
    }

    /// `run` on a strategy held as an existential (as the registry builds it).
    public static func run<Point, R: Scored & Sendable>(
        any strategy: inout any ExplorationStrategy<Point>, workers: Int = Parallel.allCores,
        evaluate: @Sendable (Point) -> R, sink: ([Proposal<Point>], [R]) throws -> Void = { _, _ in }
    ) rethrows {
        func open(_ s: inout some ExplorationStrategy<Point>) throws {
            try run(&s, workers: workers, evaluate: evaluate, sink: sink)
        }
        try open(&strategy)
    }
}
