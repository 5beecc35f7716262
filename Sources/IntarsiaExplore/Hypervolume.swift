/// The hypervolume indicator (Zitzler and Thiele, PPSN 1998): the volume of the objective space
/// that a set of points dominates, up to a reference point; every objective minimised. Exact, by
/// slicing the last objective and recursing on the others (fine for the fronts of a NAS run: a few
/// hundred points in four objectives).
public enum Hypervolume {
    public static func of(_ points: [[Double]], reference: [Double]) -> Double {
        let inside = points.filter { p in zip(p, reference).allSatisfy { $0 < $1 } }
        return volume(inside, reference, reference.count)
    }

    static func volume(_ points: [[Double]], _ reference: [Double], _ dims: Int) -> Double {
        guard !points.isEmpty else { return 0 }
        if dims == 1 { return reference[0] - points.map { $0[0] }.min()! }
        let k = dims - 1
        let sorted = points.sorted { $0[k] < $1[k] }
        var total = 0.0
        for i in sorted.indices {
            let top = i + 1 < sorted.count ? sorted[i + 1][k] : reference[k]
            let height = top - sorted[i][k]
            guard height > 0 else { continue }
            total += height * volume(Array(sorted[0...i]), reference, k)
        }
        return total
    }
}
