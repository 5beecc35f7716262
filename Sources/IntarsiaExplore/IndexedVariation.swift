import IntarsiaCore

extension Variation where Point == Int {
    /// Hooks for the flat indices of an indexed space: a random point takes a part uniformly
    /// (so a small part is not starved) and each digit uniformly; a mutation redraws each digit
    /// with probability 1/digits, and with several parts jumps to a random point with
    /// probability 0.05; a crossover takes each digit from either parent when both are in the
    /// same part (else the first parent).
    public static func digits(of space: IndexedSpace) -> Variation<Int> {
        func random(_ rng: inout SplitMix64) -> Int {
            let p = rng.below(space.parts.count)
            return space.encode(part: p, space.parts[p].map { rng.below($0) })
        }
        return Variation(
            random: random,
            mutate: { i, rng in
                var (p, d) = space.decode(i)
                let rate = 1.0 / Double(max(d.count, 1))
                for k in d.indices where rng.unit() < rate { d[k] = rng.below(space.parts[p][k]) }
                // In a space of several parts (an FPGA spec's templates) a mutant jumps to a random
                // point of any part one time in 20, so a search does not stay in its first part.
                // A design choice of this project, not a figure from a paper; changing it changes
                // the bundled results of mixed-template searches.
                if space.parts.count > 1 && rng.unit() < 0.05 { return random(&rng) }
                return space.encode(part: p, d)
            },
            crossover: { a, b, rng in
                let (pa, da) = space.decode(a), (pb, db) = space.decode(b)
                guard pa == pb else { return a }
                var d = da
                for k in d.indices where rng.below(2) == 1 { d[k] = db[k] }
                return space.encode(part: pa, d)
            })
    }
}

extension StrategyContext where Point == Int {
    /// A context for an indexed space: its points enumerable, drawn and varied by their digits.
    public init(space: IndexedSpace, budget: Int, seed: UInt64, population: Int = 64) {
        self.init(budget: budget, seed: seed, population: population, variation: .digits(of: space))
        enumerate = { $0 }
        count = space.count
        draw = { rng in rng.below(space.count) }
        neighbours = { space.neighbours(of: $0) }
        // The controller's decisions: the part (when there are several), then every part's
        // digits (only the chosen part's are read).
        let multi = space.parts.count > 1
        decisions = (multi ? [space.parts.count] : []) + space.parts.joined()
        decode = { a in
            let p = multi ? a[0] : 0
            let from = (multi ? 1 : 0) + space.parts[..<p].reduce(0) { $0 + $1.count }
            return space.encode(part: p, Array(a[from..<(from + space.parts[p].count)]))
        }
    }
}
