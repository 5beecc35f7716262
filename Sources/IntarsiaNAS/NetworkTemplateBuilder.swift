import IntarsiaCore

/// Building one architecture of a template: its tensors' shapes inferred layer by layer and its
/// task graph emitted, with errors that name the layer's key and the architecture.
extension NetworkTemplateSpace {
    struct Tensor {
        var task: String
        var channels: Int
        var height: Int
        var width: Int
        var elements: Int { channels * height * width }
        /// Whether the tensor's element count fits the cost models (at most 2^40 elements).
        var representable: Bool {
            let (a, o1) = channels.multipliedReportingOverflow(by: height)
            let (b, o2) = a.multipliedReportingOverflow(by: width)
            return !o1 && !o2 && b <= 1 << 40
        }
        var shape: String { "\(channels)×\(height)×\(width)" }
    }

    struct Builder {
        let space: NetworkTemplateSpace
        let digits: [Int]
        let dataType: DataType
        var tasks: [(Task, [Workload.Input])] = []
        /// Names visible to `from`, innermost scope last.
        var scopes: [[String: Tensor]] = []

        init(space: NetworkTemplateSpace, digits: [Int], dataType: DataType) {
            self.space = space
            self.digits = digits
            self.dataType = dataType
        }

        var architecture: String {
            zip(space.choices, digits).map { "\($0.name)=\($0.values[$1])" }.joined(separator: ",")
        }

        mutating func build() throws {
            let x = Tensor(task: NetworkTemplateSpace.inputName, channels: space.input.channels, height: space.input.height, width: space.input.width)
            scopes = [[NetworkTemplateSpace.inputName: x]]
            _ = try run(space.network, from: x, suffix: "")
        }

        func error(_ key: String, _ value: String?, _ problem: String, accepted: String? = nil) -> TemplateError {
            TemplateError(key: key, value: value, problem: "\(problem) (architecture \(architecture))", accepted: accepted)
        }

        /// A field's value in this architecture, at least `minimum`.
        func resolve(_ v: Value, _ key: String, minimum: Int = 1, maximum: Int = NetworkTemplateSpace.largestField) throws -> Int {
            let n: Int
            switch v {
            case .fixed(let f): n = f
            case .choice(let c):
                let k = space.choiceIndex[c]!
                n = space.choices[k].values[digits[k]]
            }
            guard n >= minimum, n <= maximum else {
                let shown = v.description == String(n) ? String(n) : "\(v) = \(n)"
                throw error(key, shown, n < minimum ? "must be at least \(minimum)" : "must be at most \(maximum)", accepted: "an integer from \(minimum) to \(maximum)")
            }
            return n
        }

        func lookup(_ name: String, _ key: String) throws -> Tensor {
            for s in scopes.reversed() { if let t = s[name] { return t } }
            let visible = Set(scopes.flatMap(\.keys)).sorted()
            throw error(key, name, "no earlier layer has this name", accepted: visible.joined(separator: ", "))
        }

        mutating func register(_ name: String, _ t: Tensor, _ key: String) throws {
            if scopes.contains(where: { $0[name] != nil }) {
                throw error(key, name, "layer name already used by an earlier layer", accepted: "a unique name")
            }
            scopes[scopes.count - 1][name] = t
        }

        mutating func emit(_ name: String, _ op: Operator, _ inputs: [Tensor], kind: EdgeKind = .stream, key: String) throws -> String {
            if op.isTooLarge {
                throw error(key, nil, "the layer is too large to cost (more than 2^53 MACs or elements)")
            }
            tasks.append((Task(name: name, op: op, dataType: dataType), inputs.map { .init($0.task, kind) }))
            return name
        }

        /// Runs `layers` in sequence from `x`; returns the last output.
        mutating func run(_ layers: [Layer], from x0: Tensor, suffix: String) throws -> Tensor {
            var previous = x0
            for l in layers {
                let inputs: [Tensor] = try l.from.map { try $0.map { try lookup($0, l.key + ".from") } } ?? [previous]
                let label = l.name.map { "layer '\($0)'" } ?? "layer"
                let taskName = (l.name ?? "\(l.operation.keyword).\(Self.position(l.key))") + suffix
                let out = try apply(l, inputs, taskName: taskName, label: label, suffix: suffix)
                guard out.representable else {
                    throw error(l.key, out.shape, "the layer's output is too large to cost", accepted: "at most 2^40 elements")
                }
                if let n = l.name { try register(n, out, l.key + ".name") }
                previous = out
            }
            return previous
        }

        /// One layer's output from its inputs (its tasks emitted).
        mutating func apply(_ l: Layer, _ inputs: [Tensor], taskName: String, label: String, suffix: String) throws -> Tensor {
            let x = inputs[0]
            var out: Tensor
            switch l.operation {
            case let .conv(fv, kv, sv):
                let f = try resolve(fv, l.key + ".conv.filters")
                let k = try resolve(kv, l.key + ".conv.kernel")
                let s = try resolve(sv, l.key + ".conv.stride")
                guard k % 2 == 1 else {
                    throw error(l.key + ".conv.kernel", Self.show(kv, k), "\(label): same padding needs an odd kernel", accepted: "an odd integer")
                }
                guard k <= min(x.height, x.width) else {
                    throw error(l.key + ".conv.kernel", Self.show(kv, k), "\(label): kernel \(k)×\(k) is larger than its \(x.shape) input",
                                accepted: "at most \(min(x.height, x.width))")
                }
                let op = Operator.conv2d(batch: 1, channels: x.channels, height: x.height, width: x.width, filters: f,
                                         kernelH: k, kernelW: k, stride: s, padding: k / 2)
                out = Tensor(task: try emit(taskName, op, [x], key: l.key), channels: f,
                             height: (x.height + s - 1) / s, width: (x.width + s - 1) / s)
            case let .pool(kind, sv):
                let s = try resolve(sv, l.key + ".pool.size")
                guard s <= min(x.height, x.width) else {
                    throw error(l.key + ".pool.size", Self.show(sv, s), "\(label): window \(s)×\(s) is larger than its \(x.shape) input",
                                accepted: "at most \(min(x.height, x.width))")
                }
                out = Tensor(task: try emit(taskName, .pool(channels: x.channels, height: x.height, width: x.width, window: s,
                                                         kind: kind == .max ? .max : .average), [x], key: l.key),
                             channels: x.channels, height: x.height / s, width: x.width / s)
            case let .upsample(fv):
                let f = try resolve(fv, l.key + ".upsample.factor", maximum: NetworkTemplateSpace.largestUpsampling)
                out = Tensor(task: try emit(taskName, .upsample(channels: x.channels, height: x.height, width: x.width, factor: f), [x], key: l.key),
                             channels: x.channels, height: x.height * f, width: x.width * f)
            case .add:
                for t in inputs.dropFirst() where (t.channels, t.height, t.width) != (x.channels, x.height, x.width) {
                    throw error(l.key + ".from", inputs.map(\.task).joined(separator: ", "),
                                "\(label): add needs inputs of equal shape, got \(inputs.map(\.shape).joined(separator: ", "))")
                }
                out = x
                out.task = try emit(taskName, .elementwise(elements: x.elements, kind: "add"), inputs, key: l.key)
            case .concat:
                for t in inputs.dropFirst() where (t.height, t.width) != (x.height, x.width) {
                    throw error(l.key + ".from", inputs.map(\.task).joined(separator: ", "),
                                "\(label): concat needs inputs of equal height and width, got \(inputs.map(\.shape).joined(separator: ", "))")
                }
                let c = inputs.reduce(0) { $0 + $1.channels }
                // No concatenation operator in the core: a zero-MAC element-wise copy of the
                // joined tensor (one pass over its elements), fed by every input.
                out = Tensor(task: "", channels: c, height: x.height, width: x.width)
                out.task = try emit(taskName, .elementwise(elements: out.elements, kind: "concat"), inputs, key: l.key)
            case .relu:
                out = x
                out.task = try emit(taskName, .activation(elements: x.elements, kind: "relu"), [x], key: l.key)
            case .globalPool:
                guard x.height == x.width else {
                    throw error(l.key, x.shape, "\(label): global_pool needs a square input (the core's pool window is square)")
                }
                out = Tensor(task: try emit(taskName, .pool(channels: x.channels, height: x.height, width: x.width, window: x.height, kind: .average), [x], key: l.key),
                             channels: x.channels, height: 1, width: 1)
            case let .linear(ov):
                let o = try resolve(ov, l.key + ".linear.outputs")
                out = Tensor(task: try emit(taskName, .matmul(m: 1, k: x.elements, n: o, weightsOffChip: true), [x], kind: .barrier, key: l.key),
                             channels: o, height: 1, width: 1)
            case let .repeated(tv, residual, body):
                out = try repeated(l, from: x, times: tv, residual: residual, body: body, label: label, suffix: suffix)
            }
            return out
        }

        /// A `repeat` layer: its body `times` times, each repetition's names registered with an
        /// `_i` suffix, and the residual shortcut (projected when the shapes differ).
        mutating func repeated(_ l: Layer, from x: Tensor, times tv: Value, residual: Bool, body: [Layer], label: String, suffix: String) throws -> Tensor {
            var out: Tensor
            let n = try resolve(tv, l.key + ".repeat", maximum: NetworkTemplateSpace.largestRepeat)
            out = x
            for i in 1...n {
                let inner = "_\(i)" + suffix
                scopes.append([:])
                let y = try run(body, from: out, suffix: inner)
                let iteration = scopes.removeLast()
                for (name, t) in iteration.sorted(by: { $0.key < $1.key }) { try register("\(name)_\(i)", t, l.key) }
                if residual {
                    var shortcut = out
                    let block = (l.name ?? "repeat.\(Self.position(l.key))") + inner
                    if (y.channels, y.height, y.width) != (out.channels, out.height, out.width) {
                        guard out.height % y.height == 0, out.width % y.width == 0, out.height / y.height == out.width / y.width else {
                            throw error(l.key + ".residual", "true", "\(label): the body turns \(out.shape) into \(y.shape), which no strided 1×1 projection matches")
                        }
                        let s = out.height / y.height
                        let op = Operator.conv2d(batch: 1, channels: out.channels, height: out.height, width: out.width, filters: y.channels,
                                                 kernelH: 1, kernelW: 1, stride: s, padding: 0)
                        shortcut = Tensor(task: try emit(block + ".proj", op, [out], key: l.key), channels: y.channels, height: y.height, width: y.width)
                    }
                    out = y
                    out.task = try emit(block + ".add", .elementwise(elements: y.elements, kind: "add"), [y, shortcut], key: l.key)
                } else {
                    out = y
                }
            }
            return out
        }

        /// `network[5].layers[0]` → `5.0`: the position part of an unnamed layer's task name.
        static func position(_ key: String) -> String {
            key.split(whereSeparator: { $0 == "[" || $0 == "]" }).filter { $0.allSatisfy(\.isNumber) }.joined(separator: ".")
        }

        static func show(_ v: Value, _ n: Int) -> String {
            if case .choice = v { return "\(v) = \(n)" }
            return String(n)
        }
    }
}
