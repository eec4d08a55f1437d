// swift-tools-version: 6.1
// The refinement workbench: three layers of an seL4-style MCS kernel and the checker that relates them.
import PackageDescription

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "refine-check",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "refine-check", targets: ["refine-check"]),
    .library(name: "KernelABI", targets: ["KernelABI"]),
    .library(name: "SMT", targets: ["SMT"]),
    .library(name: "Refinement", targets: ["Refinement"]),
    .library(name: "Scenario", targets: ["Scenario"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/pointfreeco/swift-custom-dump", from: "1.3.0"),
    // Persistent hash tries: the spec layers' heaps copy in O(log n) when a verified state shares them.
    .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
  ],
  targets: [
    // Machine-word arithmetic written once: UInt64 executes it, SMT's symbolic word proves it.
    .target(name: "Bitwise", swiftSettings: strict),
    // The user-visible vocabulary every layer speaks (the libsel4 analogue).
    .target(
      name: "KernelABI",
      dependencies: ["Bitwise", .product(name: "HashTreeCollections", package: "swift-collections")],
      swiftSettings: strict),
    // libz3 through pkg-config; see README.md when pkg-config cannot find it.
    .systemLibrary(
      name: "CZ3", pkgConfig: "z3",
      providers: [.apt(["libz3-dev"]), .brew(["z3"])]),
    // A small, memory-safe Swift face of the Z3 C API. Knows nothing about kernels.
    .target(name: "SMT", dependencies: ["CZ3", "Bitwise"], swiftSettings: strict),
    .target(
      name: "AbstractSpec",
      dependencies: ["KernelABI", .product(name: "HashTreeCollections", package: "swift-collections")],
      swiftSettings: strict),
    // The symbolic twin of AbstractSpec: its CSpace and derivation tree over machine words, run on
    // UInt64 beside AbstractSpec and on symbolic words to prove it preserves the invariants.
    .target(name: "SymbolicSpec", dependencies: ["KernelABI", "Bitwise"], swiftSettings: strict),
    .target(name: "ExecutableSpec", dependencies: ["KernelABI", "Bitwise"], swiftSettings: strict),
    .target(name: "Kernel", dependencies: ["KernelABI", "Bitwise"], swiftSettings: strict),
    // capDL text: lexer, parser, model, printer, and loading into a SystemPlan.
    .target(name: "CapDL", dependencies: ["KernelABI"], swiftSettings: strict),
    // Who can send to, call, signal, grant to or control whom in a capDL system, and why.
    .target(
      name: "Boot", dependencies: ["CapDL", "KernelABI", "AbstractSpec", "Kernel", "Refinement"], swiftSettings: strict),
    .target(name: "Authority", dependencies: ["CapDL", "KernelABI"], swiftSettings: strict),
    // Relations between the layers, invariants, and the proof-obligation engine.
    .target(
      name: "Refinement",
      dependencies: [
        "KernelABI", "SMT", "Bitwise", "AbstractSpec", "ExecutableSpec", "Kernel", "SymbolicSpec",
        .product(name: "CustomDump", package: "swift-custom-dump"),
        .product(name: "HashTreeCollections", package: "swift-collections"),
      ],
      swiftSettings: strict),
    // Scenario scripts: a line-oriented test language run on all three layers in lockstep.
    .target(
      name: "Scenario", dependencies: ["Refinement", "CapDL", "KernelABI", "AbstractSpec"],
      swiftSettings: strict),
    // Reports: the trust report (what is proved, checked, tested) and the HTML trace report.
    .target(
      name: "Report",
      dependencies: [
        "Refinement", "KernelABI", "SMT", "AbstractSpec", "ExecutableSpec", "Kernel", "CapDL", "Authority",
      ],
      swiftSettings: strict),
    // The interactive explorer: walk a trace on the three layers, inspect, check, branch, save.
    .target(
      name: "Explorer",
      dependencies: [
        "Refinement", "Scenario", "CapDL", "KernelABI", "AbstractSpec", "ExecutableSpec", "Kernel", "Bitwise",
      ],
      swiftSettings: strict),
    .executableTarget(
      name: "refine-check",
      dependencies: [
        "Refinement", "KernelABI", "SMT", "CapDL", "Authority", "Scenario", "Report", "Explorer", "Boot",
        "AbstractSpec", "SymbolicSpec", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict),
    // What every test target shares: the capDL corpus, sample systems, event builders, and the
    // helper that runs one expectation on every layer (as swift-collections' _CollectionsTestSupport).
    .target(
      name: "TestSupport",
      dependencies: ["KernelABI", "AbstractSpec", "ExecutableSpec", "Kernel", "Refinement"],
      path: "Tests/TestSupport", exclude: ["CapDL"], swiftSettings: strict),
    .testTarget(name: "BitwiseTests", dependencies: ["TestSupport", "Bitwise"], swiftSettings: strict),
    .testTarget(name: "KernelABITests", dependencies: ["TestSupport", "KernelABI", "Bitwise"], swiftSettings: strict),
    .testTarget(name: "SMTTests", dependencies: ["TestSupport", "SMT", "Bitwise"], swiftSettings: strict),
    .testTarget(
      name: "AbstractSpecTests", dependencies: ["TestSupport", "AbstractSpec", "KernelABI"], swiftSettings: strict),
    .testTarget(
      name: "ExecutableSpecTests", dependencies: ["TestSupport", "ExecutableSpec", "KernelABI"], swiftSettings: strict),
    .testTarget(
      name: "KernelTests", dependencies: ["TestSupport", "Kernel", "KernelABI", "Bitwise", "Refinement"],
      swiftSettings: strict),
    .testTarget(name: "CapDLTests", dependencies: ["TestSupport", "CapDL", "KernelABI"], swiftSettings: strict),
    .testTarget(
      name: "BootTests", dependencies: ["TestSupport", "Boot", "CapDL", "KernelABI", "AbstractSpec", "Refinement"],
      swiftSettings: strict),
    .testTarget(
      name: "AuthorityTests",
      dependencies: ["TestSupport", "Authority", "CapDL", "Refinement", "KernelABI", "AbstractSpec"],
      swiftSettings: strict),
    .testTarget(
      name: "RefinementTests",
      dependencies: [
        "TestSupport", "Refinement", "SMT", "KernelABI", "Bitwise", "AbstractSpec", "ExecutableSpec", "Kernel",
        "SymbolicSpec", .product(name: "CustomDump", package: "swift-custom-dump"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "ReportTests",
      dependencies: [
        "TestSupport", "Report", "Refinement", "KernelABI", "AbstractSpec", "ExecutableSpec", "Kernel", "CapDL",
      ],
      swiftSettings: strict),
    .testTarget(
      name: "ExplorerTests",
      dependencies: ["TestSupport", "Explorer", "Refinement", "Scenario", "KernelABI", "Kernel"],
      swiftSettings: strict),
    // The command line as a user runs it: the built binary as a subprocess, exit codes and messages.
    .testTarget(name: "CLITests", swiftSettings: strict),
    .testTarget(
      name: "ScenarioTests",
      dependencies: [
        "TestSupport", "Scenario", "Refinement", "CapDL", "KernelABI", "AbstractSpec", "SymbolicSpec", "SMT",
      ],
      swiftSettings: strict),
  ],
  swiftLanguageModes: [.v6]
)
