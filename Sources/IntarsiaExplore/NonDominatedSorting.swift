/// Fast non-dominated sorting and crowding distance (Deb et al., IEEE TEC 2002, sections III-A
/// and III-B) under the constrained `Dominance`: per member its front (0 is the best) and its
/// crowding distance within the front (infinite at the ends of an objective's range). Infeasible
/// members are spread by their violation alone.
public enum NonDominatedSorting {
    public static func rankAndCrowding(_ m: [Scores]) -> (rank: [Int], crowding: [Double]) {
        let n = m.count
        var dominatedBy = [Int](repeating: 0, count: n)
        var dominates = [[Int]](repeating: [], count: n)
        for i in 0..<n {
            for j in (i + 1)..<max(n, i + 1) {
                if Dominance.dominates(m[i], m[j]) { dominates[i].append(j); dominatedBy[j] += 1 }
                else if Dominance.dominates(m[j], m[i]) { dominates[j].append(i); dominatedBy[i] += 1 }
            }
        }
        var rank = [Int](repeating: 0, count: n)
        var front = (0..<n).filter { dominatedBy[$0] == 0 }
        var fronts: [[Int]] = []
        var r = 0
        while !front.isEmpty {
            fronts.append(front)
            var next: [Int] = []
            for i in front {
                rank[i] = r
                for j in dominates[i] {
                    dominatedBy[j] -= 1
                    if dominatedBy[j] == 0 { next.append(j) }
                }
            }
            front = next
            r += 1
        }
        return (rank, crowding(m, fronts))
    }

    static func crowding(_ m: [Scores], _ fronts: [[Int]]) -> [Double] {
        var crowding = [Double](repeating: 0, count: m.count)
        let objectives = m.first?.objectiveCount ?? 0
        for f in fronts {
            for k in 0..<objectives {
                let value: (Int) -> Double = { m[$0].feasible ? m[$0].objectives[k] : m[$0].violation }
                let sorted = f.sorted { (value($0), $0) < (value($1), $1) }
                guard let first = sorted.first, let last = sorted.last else { continue }
                crowding[first] = .infinity
                crowding[last] = .infinity
                let span = value(last) - value(first)
                guard span > 0, sorted.count > 2 else { continue }
                for p in 1..<(sorted.count - 1) { crowding[sorted[p]] += (value(sorted[p + 1]) - value(sorted[p - 1])) / span }
            }
        }
        return crowding
    }
}
