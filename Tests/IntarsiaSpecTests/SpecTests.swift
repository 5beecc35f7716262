import Testing
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaSearch
@testable import IntarsiaSpec

@Suite struct SpecReadingTests {
    let good = """
    name: demo
    workload:
      builtin: mlp
    platform:
      name: u280
      clock_mhz: 250
    templates:
      dataflow:
        lanes: [16, 32]
        allocation: uniform
      reconfigurable:
        lanes: 64
        compute_units: [2, 3]
    constraints:
      dsp: 0.5
      latency_ms: 2
    objectives: [latency_ms, dsp, power_w]
    search:
      strategy: random
      budget: 10
      seed: 7
    output:
      path: out/demo.csv
      rows: pareto
    """

    @Test func readsACompleteSpec() throws {
        let s = try DesignSpec.parse(text: good, file: "demo.yaml")
        #expect(s.name == "demo")
        #expect(s.workload.name == "mlp")
        #expect(s.platform.clockMHz == 250)
        #expect(s.space.templates.map(\.template) == [.dataflow, .reconfigurable])
        #expect(s.space.count == 2 + 2)
        #expect(s.constraints.dspFraction == 0.5 && s.constraints.maxLatencyMs == 2)
        #expect(s.objectives == [.latencyMs, .dsp, .powerW])
        #expect(s.search.strategy == .random && s.search.budget == 10 && s.search.seed == 7)
        #expect(s.outputPath == "out/demo.csv" && s.paretoOnly)
        let p = s.space.templates[0].point(at: 1)
        #expect(p.lanes == 32 && p.allocation == .uniform)
    }

    @Test func readsInlineTasksWithEdgeDefaults() throws {
        let text = """
        workload:
          name: tiny
          data_type: int8
          tasks:
            - {name: fc1, op: matmul, m: 1, k: 64, n: 128}
            - {name: act, op: relu, elements: 128, inputs: [fc1]}
            - {name: fc2, op: matmul, m: 1, k: 128, n: 10, inputs: [act]}
            - {name: conv, op: conv2d, channels: 3, height: 8, width: 8, filters: 4, kernel: 3, padding: 1}
            - {name: join, op: add, elements: 10, inputs: [{from: fc2, edge: barrier}, conv]}
        platform: zcu102
        templates:
          sequential: {lanes: [8, 16]}
        """
        let s = try DesignSpec.parse(text: text, file: "t.yaml")
        #expect(s.workload.tasks.count == 5)
        #expect(s.workload.tasks.allSatisfy { $0.dataType == .int8 })
        let fc2 = s.workload.tasks.firstIndex { $0.name == "fc2" }!
        // A matrix-vector product waits for its whole input; an activation streams.
        #expect(s.workload.edges.first { $0.consumer == fc2 }?.kind == .barrier)
        #expect(s.workload.edges.first { $0.consumer == 1 }?.kind == .stream)
        #expect(s.outputPath == "results/t.csv")
    }

    @Test func readsAHandWrittenSchedule() throws {
        let text = """
        workload: {builtin: self-attention}
        platform: u280
        templates:
          reconfigurable:
            lanes: 32
            compute_units: 2
            schedule: [[q_proj, k_proj], [v_proj], [qk, softmax, sv]]
        """
        let s = try DesignSpec.parse(text: text, file: "s.yaml")
        #expect(s.reconfigurableSchedule == [[0, 1], [2], [3, 4, 5]])
    }

    /// Every bad spec gives one SpecError naming the file, the key path, the bad value and
    /// what is accepted.
    func error(_ text: String) -> SpecError? {
        do {
            _ = try DesignSpec.parse(text: text, file: "bad.yaml")
            return nil
        } catch let e as SpecError {
            return e
        } catch {
            Issue.record("not a SpecError: \(error)")
            return nil
        }
    }

    let base = "workload: {builtin: mlp}\nplatform: u280\ntemplates: {sequential: {lanes: 16}}\n"

    @Test func unknownKey() throws {
        let e = try #require(error(base + "objective: [latency_ms]\n"))
        #expect(e.file == "bad.yaml" && e.key == "objective" && e.problem == "unknown key")
        #expect(e.accepted?.contains("objectives") == true)
        let nested = try #require(error("workload: {builtin: mlp}\nplatform: u280\ntemplates: {sequential: {lanez: 16}}\n"))
        #expect(nested.key == "templates.sequential.lanez")
        #expect(nested.description.contains("bad.yaml: templates.sequential.lanez: unknown key; accepted: lanes, scratchpad_kib"))
    }

    @Test func writeResponseCyclesOverride() throws {
        let s = try DesignSpec.parse(text: "workload: {builtin: mlp}\nplatform: {name: u280, write_response_cycles: 40}\ntemplates: {sequential: {lanes: 16}}\n", file: "w.yaml")
        #expect(s.platform.writeResponseCycles == 40)
        #expect(try DesignSpec.parse(text: base, file: "w.yaml").platform.writeResponseCycles == 64)
        let e = try #require(error("workload: {builtin: mlp}\nplatform: {name: u280, write_response_cycles: -1}\ntemplates: {sequential: {lanes: 16}}\n"))
        #expect(e.key == "platform.write_response_cycles" && e.value == "-1")
    }

    @Test func wrongType() throws {
        let e = try #require(error("workload: {builtin: mlp}\nplatform: u280\ntemplates: {sequential: {lanes: many}}\n"))
        #expect(e.key == "templates.sequential.lanes" && e.value == "many")
        #expect(e.accepted == Knob.lanes.accepted)
        let l = try #require(error(base + "constraints: {dsp: [0.5]}\n"))
        #expect(l.key == "constraints.dsp" && l.problem.contains("single value"))
        let m = try #require(error(base + "search: 5\n"))
        #expect(m.key == "search" && m.problem.contains("mapping"))
    }

    @Test func zeroOrNegativeDimension() throws {
        let t = "platform: u280\ntemplates: {sequential: {lanes: 16}}\nworkload:\n  tasks:\n    - {name: a, op: matmul, m: 1, k: K, n: 8}\n"
        let zero = try #require(error(t.replacingOccurrences(of: "k: K", with: "k: 0")))
        #expect(zero.key == "workload.tasks[0].k" && zero.value == "0" && zero.accepted?.contains("from 1") == true)
        let neg = try #require(error(t.replacingOccurrences(of: "k: K", with: "k: -3")))
        #expect(neg.key == "workload.tasks[0].k" && neg.value == "-3")
        let lanes = try #require(error("workload: {builtin: mlp}\nplatform: u280\ntemplates: {dataflow: {lanes: [16, 0]}}\n"))
        #expect(lanes.key == "templates.dataflow.lanes[1]" && lanes.value == "0")
        let seq = try #require(error("workload: {builtin: gpt2-medium, parameters: {sequence_length: 100}}\nplatform: u280\ntemplates: {dataflow: {lanes: 16}}\n"))
        #expect(seq.key == "workload.parameters.sequence_length" && seq.value == "100")
    }

    @Test func unknownPlatformAndNames() throws {
        let p = try #require(error("workload: {builtin: mlp}\nplatform: {name: u999}\ntemplates: {sequential: {lanes: 16}}\n"))
        #expect(p.key == "platform.name" && p.value == "u999" && p.accepted == PlatformCatalog.acceptedNames)
        let w = try #require(error("workload: {builtin: resnet}\nplatform: u280\ntemplates: {sequential: {lanes: 16}}\n"))
        #expect(w.key == "workload.builtin" && w.accepted?.contains("self-attention") == true)
        let t = try #require(error("workload: {builtin: mlp}\nplatform: u280\ntemplates: {systolic: {lanes: 16}}\n"))
        #expect(t.key == "templates.systolic" && t.accepted == TemplateKind.acceptedNames)
        let o = try #require(error(base + "objectives: [speed]\n"))
        #expect(o.key == "objectives[0]" && o.value == "speed")
        let task = try #require(error("platform: u280\ntemplates: {sequential: {lanes: 16}}\nworkload:\n  tasks:\n    - {name: a, op: relu, elements: 4, inputs: [ghost]}\n"))
        #expect(task.key == "workload.tasks" && task.problem.contains("ghost"))
        let sched = try #require(error("workload: {builtin: mlp}\nplatform: u280\ntemplates: {reconfigurable: {lanes: 16, schedule: [[relu1], [fc1, fc2, relu2, fc3, relu3]]}}\n"))
        #expect(sched.key == "templates.reconfigurable.schedule" && sched.problem.contains("fc1"))
    }

    @Test func notYAML() throws {
        let broken = try #require(error("workload: {builtin: mlp\nplatform: [u280\n"))
        #expect(broken.problem.hasPrefix("not valid YAML"))
        let prose = try #require(error("This is a shopping list, not a spec."))
        #expect(prose.problem.contains("not a mapping"))
        let empty = try #require(error(""))
        #expect(empty.problem.contains("empty"))
        let missing = try #require(error("platform: u280\ntemplates: {sequential: {lanes: 16}}\n"))
        #expect(missing.key == "workload" && missing.problem == "missing required key")
    }

    @Test func missingAndUnreadableFiles() throws {
        #expect(throws: SpecError.self) { try DesignSpec.load(path: "/nonexistent/spec.yaml") }
        #expect(throws: SpecError.self) { try DesignSpec.load(path: "/tmp") }
        #expect(throws: SpecError.self) { try DesignSpec.load(path: "/bin/sh") }  // binary, not UTF-8 text
    }

    @Test func bundledSpecsAllRead() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("designs/intar")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 6)
        for f in files {
            let s = try DesignSpec.load(path: dir.appendingPathComponent(f).path)
            #expect(s.space.templates.count == (f.contains("schedule") ? 1 : 3), "\(f)")
            #expect(s.platform.name == "u280")
        }
    }
}

import Foundation

@Suite struct SpecLimitsTests {
    func problem(_ task: String) -> SpecError? {
        do {
            _ = try DesignSpec.parse(text: "platform: u280\ntemplates: {sequential: {lanes: 16}}\nworkload:\n  tasks:\n    - \(task)\n", file: "t.yaml")
            return nil
        } catch { return error as? SpecError }
    }

    @Test func hugeOrEmptyTasksAreRejectedNotCrashed() {
        #expect(problem("{name: a, op: matmul, m: 1073741824, k: 1073741824, n: 1073741824}")?.problem.contains("too large") == true)
        #expect(problem("{name: a, op: pool, height: 3, width: 3, window: 4}")?.problem.contains("empty") == true)
        #expect(problem("{name: a, op: conv2d, channels: 1, height: 8, width: 8, filters: 1, kernel: 3, padding: 3}")?.key == "workload.tasks[0].padding")
        #expect(problem("{name: a, op: upsample, height: 8, width: 8, factor: 1000}")?.key == "workload.tasks[0].factor")
        let kind = problem("{name: a, op: pool, height: 4, width: 4, kind: median}")
        #expect(kind?.key == "workload.tasks[0].kind" && kind?.accepted?.contains("avg") == true, "\(String(describing: kind))")
        #expect(problem("{name: a, op: matmul, m: 2, k: 2, n: 2, kind: avg}")?.key == "workload.tasks[0].kind")
        #expect(problem("{name: a, op: pool, height: 4, width: 4, kind: avg}") == nil)
        #expect(problem("{name: a, op: transposed_conv2d, channels: 1, height: 1, width: 1, filters: 1, kernel: 2, stride: 1, padding: 1}") != nil)
    }
}
