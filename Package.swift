// swift-tools-version: 6.0
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "Intarsia",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "intarsia", targets: ["intarsia"]),
        .library(name: "IntarsiaDriver", targets: ["IntarsiaDriver"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // Workload graphs, data types, platforms and their catalog: no dependencies.
        .target(name: "IntarsiaCore", swiftSettings: strict),
        // ONNX models as workloads: the protobuf schema compiled to Swift once (Generated/), and
        // an importer with shape inference onto the task model.
        .target(name: "IntarsiaONNX", dependencies: ["IntarsiaCore", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                exclude: ["Generated/README.md"], swiftSettings: strict),
        // YAML design specs: schema-checked reading into typed values.
        .target(name: "IntarsiaSpec", dependencies: ["IntarsiaCore", "IntarsiaFPGA", "IntarsiaExplore", "IntarsiaONNX", "IntarsiaASIC", "IntarsiaNAS", "IntarsiaRows", .product(name: "Yams", package: "Yams")], swiftSettings: strict),
        // FPGA templates (dataflow, sequential, reconfigurable) and their analytical cost models.
        .target(name: "IntarsiaFPGA", dependencies: ["IntarsiaCore", "IntarsiaExplore"], swiftSettings: strict),
        // GLPK: Debian's libglpk-dev as a system library, a C guard that keeps GLPK from aborting
        // the process, and a value-type model API.
        .systemLibrary(name: "CGLPK", providers: [.apt(["libglpk-dev"])]),
        // XGBoost's C API (Debian's libxgboost-dev) for the NAS's learned hardware-cost predictors.
        .systemLibrary(name: "CXGBoost", providers: [.apt(["libxgboost-dev"])]),
        .target(name: "CGLPKGuard", dependencies: ["CGLPK"], linkerSettings: [.linkedLibrary("glpk")]),
        .target(name: "IntarsiaGLPK", dependencies: ["CGLPKGuard"], swiftSettings: strict),
        // The generic sub-accelerator mapper: jobs (networks or layers) onto heterogeneous
        // sub-accelerators with a PE and bandwidth budget, as integer programs; costs are inputs.
        .target(name: "IntarsiaMapping", dependencies: ["IntarsiaGLPK"], swiftSettings: strict),
        // The FPGA reconfigurable template's schedules and allocations as mixed-integer programs
        // (reconfiguration schedule, stage balancing), with exact cross-checks.
        .target(name: "IntarsiaScheduler", dependencies: ["IntarsiaCore", "IntarsiaFPGA", "IntarsiaGLPK"], swiftSettings: strict),
        // ASIC dataflow templates (systolic WS/OS/IS, NVDLA-, ShiDianNao-, Eyeriss-like), technology
        // nodes, and heterogeneous multi-accelerators (mapped by IntarsiaMapping).
        .target(name: "IntarsiaASIC", dependencies: ["IntarsiaCore", "IntarsiaMapping", "IntarsiaExplore"], swiftSettings: strict),
        // Neural architecture search spaces (NAS-Bench-201 cells on its macro network, and
        // user-defined network templates with named choices) and
        // accuracy oracles (the NAS-Bench-201 table, shipped as data with its attribution).
        .target(name: "IntarsiaNAS", dependencies: ["IntarsiaCore", "IntarsiaGLPK", "IntarsiaASIC", "IntarsiaFPGA", "IntarsiaExplore", "IntarsiaRows", "CXGBoost"], exclude: ["Resources/NOTICE.md"],
                resources: [.copy("Resources/nb201-accuracy.csv")], swiftSettings: strict),
        // The exploration kernel: indexed design spaces, ask/tell strategies built by name,
        // constrained dominance, the Pareto archive, hypervolume.
        .target(name: "IntarsiaExplore", dependencies: ["IntarsiaCore"], swiftSettings: strict),
        // FPGA search over the knob space on the exploration kernel.
        .target(name: "IntarsiaSearch", dependencies: ["IntarsiaCore", "IntarsiaFPGA", "IntarsiaExplore"], swiftSettings: strict),
        // Result rows: typed column lists, one writer for CSV, JSON and text tables, one CSV reader
        // with required-column checks.
        .target(name: "IntarsiaRows", dependencies: ["IntarsiaCore"], swiftSettings: strict),
        // The design rows of FPGA searches (`DesignColumns`) and what is derived from them
        // (streamed CSV, plots, comparisons, summaries), and the output-file protocol.
        .target(name: "IntarsiaReports", dependencies: ["IntarsiaCore", "IntarsiaFPGA", "IntarsiaSearch", "IntarsiaRows"], swiftSettings: strict),
        // HLS C++ emission: bit-exact Swift reference of every operator (golden data), and the
        // Vitis HLS project writer for the three FPGA templates (module library embedded from
        // templates/hls, so an installed binary needs no repository).
        .target(name: "IntarsiaHLS", dependencies: ["IntarsiaCore", "IntarsiaFPGA"], swiftSettings: strict),
        // Timing simulation of an emitted project's process network, read from its C++.
        .target(name: "IntarsiaHLSSim", dependencies: ["IntarsiaCore"], swiftSettings: strict),
        // Platform constants fitted to measured designs: bounded nonlinear least squares on log
        // cycle errors, standard errors, leave-one-out, the measurements CSV and override output.
        .target(name: "IntarsiaCalibrate", dependencies: ["IntarsiaCore", "IntarsiaFPGA", "IntarsiaRows"], swiftSettings: strict),
        // What each command does, as a library the thin executable and the tests call.
        .target(name: "IntarsiaDriver", dependencies: ["IntarsiaCore", "IntarsiaSpec", "IntarsiaCalibrate", "IntarsiaFPGA", "IntarsiaSearch", "IntarsiaReports", "IntarsiaScheduler", "IntarsiaASIC", "IntarsiaNAS", "IntarsiaHLS", "IntarsiaHLSSim", "IntarsiaExplore", "IntarsiaRows"], swiftSettings: strict),
        .executableTarget(name: "intarsia", dependencies: ["IntarsiaDriver", .product(name: "ArgumentParser", package: "swift-argument-parser")], swiftSettings: strict),

        .testTarget(name: "IntarsiaCoreTests", dependencies: ["IntarsiaCore"]),
        .testTarget(name: "IntarsiaSpecTests", dependencies: ["IntarsiaSpec", "IntarsiaASIC", "IntarsiaNAS", "IntarsiaCore", "IntarsiaFPGA"]),
        .testTarget(name: "IntarsiaFPGATests", dependencies: ["IntarsiaFPGA", "IntarsiaSpec", "IntarsiaSearch", "IntarsiaHLS", "IntarsiaDriver"]),
        .testTarget(name: "IntarsiaExploreTests", dependencies: ["IntarsiaExplore", "IntarsiaCore", "IntarsiaFPGA", "IntarsiaSearch", "IntarsiaASIC", "IntarsiaNAS", "IntarsiaSpec"]),
        .testTarget(name: "IntarsiaSearchTests", dependencies: ["IntarsiaSearch", "IntarsiaExplore", "IntarsiaFPGA", "IntarsiaCore"]),
        .testTarget(name: "IntarsiaGLPKTests", dependencies: ["IntarsiaGLPK"]),
        .testTarget(name: "IntarsiaASICTests", dependencies: ["IntarsiaASIC", "IntarsiaMapping", "IntarsiaCore", "IntarsiaSpec", "IntarsiaDriver"]),
        .testTarget(name: "IntarsiaNASTests", dependencies: ["IntarsiaNAS", "IntarsiaASIC", "IntarsiaGLPK", "IntarsiaFPGA"]),
        .testTarget(name: "IntarsiaONNXTests", dependencies: ["IntarsiaONNX"], exclude: ["Fixtures"]),
        .testTarget(name: "IntarsiaSchedulerTests", dependencies: ["IntarsiaScheduler"]),
        .testTarget(name: "IntarsiaRowsTests", dependencies: ["IntarsiaRows", "IntarsiaCore"]),
        .testTarget(name: "IntarsiaMappingTests", dependencies: ["IntarsiaMapping", "IntarsiaCore"]),
        .testTarget(name: "IntarsiaCalibrateTests", dependencies: ["IntarsiaCalibrate", "IntarsiaDriver", "IntarsiaSpec", "IntarsiaFPGA", "IntarsiaCore"]),
        // Reads Package.swift and Sources/: the module graph (imports and dependencies) and the size rules.
        .testTarget(name: "IntarsiaArchitectureTests"),
        .testTarget(name: "IntarsiaReportsTests", dependencies: ["IntarsiaReports", "IntarsiaRows"]),
        .testTarget(name: "IntarsiaHLSSimTests", dependencies: ["IntarsiaHLSSim", "IntarsiaDriver", "IntarsiaCore"]),
        .testTarget(name: "IntarsiaHLSCheckTests", dependencies: ["IntarsiaHLS", "IntarsiaDriver"], exclude: ["Fixtures"]),
        .testTarget(name: "IntarsiaHLSTests", dependencies: ["IntarsiaHLS", "IntarsiaCore", "IntarsiaFPGA", "IntarsiaDriver", "IntarsiaSpec"]),
        .testTarget(name: "IntarsiaCLITests", dependencies: ["intarsia", "IntarsiaDriver", "IntarsiaReports", "IntarsiaRows", "IntarsiaFPGA", "IntarsiaCore", "IntarsiaSpec"],
                    exclude: ["Fuzz"]),
    ]
)
