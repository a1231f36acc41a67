// swift-tools-version:6.1
// Aegis: detect, enforce, watermark, prove and share against model distillation.
//
// Dependencies point downwards only (see docs/architecture.md):
//   aegis → Detection / Inference / Watermark → AegisCore
// Watermark, Inference and Detection never import a server framework, so their
// tests build in seconds and they can be embedded elsewhere.
import PackageDescription

/// Hot numeric code (matrix kernels, samplers, PRFs) is compiled with full
/// optimisation even in debug builds, so tests that run the real model finish
/// quickly; correctness checks still run in every build.
let optimisedInDebug: [SwiftSetting] = [
    .unsafeFlags(["-O"], .when(configuration: .debug)),
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
]

let package = Package(
    name: "Aegis",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "aegis", targets: ["aegis"]),
        .library(name: "Watermark", targets: ["Watermark"]),
        .library(name: "Inference", targets: ["Inference"]),
        .library(name: "Detection", targets: ["Detection"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        .target(name: "AegisCore"),
        .target(name: "Watermark", dependencies: ["AegisCore"], swiftSettings: optimisedInDebug),
        .target(name: "Inference", dependencies: ["AegisCore", "Watermark"], swiftSettings: optimisedInDebug),
        .target(name: "Detection", dependencies: ["AegisCore"], swiftSettings: optimisedInDebug),
        .executableTarget(
            name: "aegis",
            dependencies: [
                "AegisCore", "Watermark", "Inference", "Detection",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Benchmarks: separate executables, never run by `make test`.
        .executableTarget(name: "WatermarkBenchmark", dependencies: ["Watermark"],
                          path: "Benchmarks/WatermarkBenchmark", swiftSettings: optimisedInDebug),
        .executableTarget(name: "InferenceBenchmark", dependencies: ["Inference", "Watermark"],
                          path: "Benchmarks/InferenceBenchmark", swiftSettings: optimisedInDebug),
        .executableTarget(name: "TokenizerBenchmark", dependencies: ["Inference"],
                          path: "Benchmarks/TokenizerBenchmark", exclude: ["differential.py"],
                          swiftSettings: optimisedInDebug),

        .executableTarget(name: "DetectionBenchmark", dependencies: ["AegisCore", "Detection"],
                          path: "Benchmarks/DetectionBenchmark"),

        .testTarget(name: "AegisCoreTests", dependencies: ["AegisCore"]),
        .testTarget(name: "WatermarkTests", dependencies: ["Watermark"]),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "Watermark"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "DetectionTests", dependencies: ["Detection"]),
    ]
)
