import IntarsiaCore
import IntarsiaFPGA

/// NSGA-II over the knob-value indices of the design space (Deb, Pratap, Agarwal and Meyarivan,
/// "A fast and elitist multiobjective genetic algorithm: NSGA-II", IEEE TEC 6(2), 2002):
/// binary tournaments on (rank, crowding distance), uniform crossover within a template, one
/// mutation per gene with probability 1/genes, and elitist survival of parents and offspring.
/// Constraint handling follows Deb's rule through `Dominance`. Each distinct genome is
/// evaluated once; the budget counts distinct evaluations.
struct NSGA2 {
    let space: DesignSpace
    let objectives: [Objective]
    let settings: SearchSettings

    struct Genome: Hashable {
        var template: Int
        var genes: [Int]
    }

    struct Member {
        var genome: Genome
        var evaluation: Evaluation
        var rank = 0
        var crowding = 0.0
    }

    func point(_ g: Genome) -> DesignPoint { space.templates[g.template].point(genes: g.genes) }

    func randomGenome(_ rng: inout SplitMix64) -> Genome {
        // Templates drawn in proportion to their sizes' logarithm so small spaces are not starved.
        let t = rng.below(space.templates.count)
        return Genome(template: t, genes: space.templates[t].values.map { rng.below($0.count) })
    }

    func run(evaluate: ([DesignPoint]) throws -> [Evaluation]) throws {
        var rng = SplitMix64(seed: settings.seed)
        let budget = min(settings.budget, space.count)
        let populationSize = max(4, min(settings.population, budget))
        var seen = Set<Genome>()
        var spent = 0

        func evaluateNew(_ genomes: [Genome]) throws -> [Member] {
            let fresh = genomes.filter { seen.insert($0).inserted }
            guard !fresh.isEmpty else { return [] }
            spent += fresh.count
            let evals = try evaluate(fresh.map(point))
            return zip(fresh, evals).map { Member(genome: $0, evaluation: $1) }
        }

        var initial: [Genome] = []
        var tries = 0
        while initial.count < populationSize && tries < populationSize * 50 {
            tries += 1
            let g = randomGenome(&rng)
            if !initial.contains(g) { initial.append(g) }
        }
        var population = try evaluateNew(initial)
        assignRankAndCrowding(&population)
        var stale = 0
        while spent < budget && stale < 20 {
            var children: [Genome] = []
            let want = min(populationSize, budget - spent)
            var attempts = 0
            while children.count < want && attempts < want * 30 {
                attempts += 1
                let a = tournament(population, &rng), b = tournament(population, &rng)
                var child = a.genome
                if a.genome.template == b.genome.template {
                    for k in child.genes.indices where rng.below(2) == 1 { child.genes[k] = b.genome.genes[k] }
                }
                let values = space.templates[child.template].values
                let rate = 1.0 / Double(max(child.genes.count, 1))
                for k in child.genes.indices where rng.unit() < rate { child.genes[k] = rng.below(values[k].count) }
                if space.templates.count > 1 && rng.unit() < 0.05 { child = randomGenome(&rng) }
                if !seen.contains(child) && !children.contains(child) { children.append(child) }
            }
            let offspring = try evaluateNew(children)
            stale = offspring.isEmpty ? stale + 1 : 0
            var merged = population + offspring
            assignRankAndCrowding(&merged)
            merged.sort { ($0.rank, -$0.crowding) < ($1.rank, -$1.crowding) }
            population = Array(merged.prefix(populationSize))
        }
    }

    func tournament(_ p: [Member], _ rng: inout SplitMix64) -> Member {
        let a = p[rng.below(p.count)], b = p[rng.below(p.count)]
        if a.rank != b.rank { return a.rank < b.rank ? a : b }
        return a.crowding >= b.crowding ? a : b
    }

    /// Fast non-dominated sorting and crowding distance (Deb et al. 2002, sections III-A, III-B).
    func assignRankAndCrowding(_ members: inout [Member]) {
        let n = members.count
        var dominatedBy = [[Int]](repeating: [], count: n)
        var count = [Int](repeating: 0, count: n)
        var front: [Int] = []
        for i in 0..<n {
            for j in 0..<n where i != j {
                if Dominance.dominates(members[i].evaluation, members[j].evaluation, objectives) {
                    dominatedBy[i].append(j)
                } else if Dominance.dominates(members[j].evaluation, members[i].evaluation, objectives) {
                    count[i] += 1
                }
            }
            if count[i] == 0 { front.append(i) }
        }
        var rank = 0
        while !front.isEmpty {
            for i in front { members[i].rank = rank; members[i].crowding = 0 }
            for o in objectives {
                let sorted = front.sorted { o.cost(members[$0].evaluation) < o.cost(members[$1].evaluation) }
                let lo = o.cost(members[sorted.first!].evaluation), hi = o.cost(members[sorted.last!].evaluation)
                members[sorted.first!].crowding = .infinity
                members[sorted.last!].crowding = .infinity
                guard hi > lo, sorted.count > 2 else { continue }
                for k in 1..<(sorted.count - 1) {
                    let gap = o.cost(members[sorted[k + 1]].evaluation) - o.cost(members[sorted[k - 1]].evaluation)
                    members[sorted[k]].crowding += gap / (hi - lo)
                }
            }
            var next: [Int] = []
            for i in front {
                for j in dominatedBy[i] {
                    count[j] -= 1
                    if count[j] == 0 { next.append(j) }
                }
            }
            front = next
            rank += 1
        }
    }
}
