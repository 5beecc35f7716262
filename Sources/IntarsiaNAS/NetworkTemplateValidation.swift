import IntarsiaCore

/// The checks a template passes when its space is made: names, references and arity without an
/// architecture, then every architecture (or a covering set) built.
extension NetworkTemplateSpace {
    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// Checks what does not depend on the architecture: references to choices, layer names, the
    /// number of inputs of each operation.
    static func checkStatically(_ layers: [Layer], choices: [String: Int], used: inout Set<String>) throws {
        var names = Set<String>()
        for l in layers {
            if let n = l.name {
                guard isIdentifier(n) else {
                    throw TemplateError(key: l.key + ".name", value: n, problem: "not a layer name", accepted: "letters, digits and _, starting with a letter or _ (no dots)")
                }
                if n == inputName { throw TemplateError(key: l.key + ".name", value: n, problem: "'input' names the network's input", accepted: "another name") }
                if !names.insert(n).inserted { throw TemplateError(key: l.key + ".name", value: n, problem: "layer name used twice in the same list", accepted: "a unique name") }
            }
            if let f = l.from {
                if f.isEmpty { throw TemplateError(key: l.key + ".from", problem: "an empty list of inputs", accepted: "a layer name or a list of names") }
                let multi: Bool
                switch l.operation { case .add, .concat: multi = true; default: multi = false }
                if !multi && f.count > 1 {
                    throw TemplateError(key: l.key + ".from", value: f.joined(separator: ", "), problem: "\(l.operation.keyword) takes one input",
                                        accepted: "one layer name (only add and concat take several)")
                }
            }
            switch l.operation {
            case .add, .concat:
                if (l.from?.count ?? 1) < 2 {
                    throw TemplateError(key: l.key + ".from", value: l.from?.joined(separator: ", "), problem: "\(l.operation.keyword) needs two or more inputs",
                                        accepted: "a list of two or more earlier layer names")
                }
            default: break
            }
            func check(_ v: Value, _ field: String) throws {
                guard case .choice(let n) = v else { return }
                guard choices[n] != nil else {
                    throw TemplateError(key: "\(l.key).\(field)", value: v.description, problem: "unknown choice",
                                        accepted: choices.sorted { $0.value < $1.value }.map { "$" + $0.key }.joined(separator: ", "))
                }
                used.insert(n)
            }
            switch l.operation {
            case let .conv(f, k, s):
                try check(f, "conv.filters"); try check(k, "conv.kernel"); try check(s, "conv.stride")
            case let .pool(_, s): try check(s, "pool.size")
            case let .upsample(f): try check(f, "upsample.factor")
            case let .linear(o): try check(o, "linear.outputs")
            case let .repeated(t, _, body):
                try check(t, "repeat")
                if body.isEmpty { throw TemplateError(key: l.key + ".layers", problem: "a repeat needs at least one layer", accepted: "a list of layers") }
                try checkStatically(body, choices: choices, used: &used)
            case .add, .concat, .relu, .globalPool: break
            }
        }
    }

    /// Builds every architecture (or a covering set of them) so a bad one fails now.
    func validateArchitectures() throws {
        let indices: [Int]
        if count <= Self.exhaustiveValidationLimit {
            indices = Array(0..<count)
        } else {
            // Architecture j sets each choice to value j mod its radix: every value of every choice
            // appears once j runs to the largest radix; add the all-last architecture.
            let widest = radices.max() ?? 1
            indices = (0..<widest).map { j in index(radices.map { j % $0 }) } + [index(radices.map { $0 - 1 })]
        }
        for i in indices {
            var b = Builder(space: self, digits: digits(i), dataType: .int8)
            try b.build()
        }
        // The graph itself (names, edges) once; the builder already guarantees its shape.
        _ = try workload(0, dataType: .int8)
    }
}
