// swift-tools-version:6.1
// Aegis: detect, enforce, watermark, prove and share against model distillation.
//
// Dependencies point downwards only (see docs/architecture.md):
//   aegis → Detection / Inference / Watermark → AegisCore
// Watermark, Inference and Detection never import a server framework, so their
// tests build quickly and they can be embedded elsewhere (Watermark takes only
// swift-crypto, for its key schedule).
import PackageDescription

/// Hot numeric code (matrix kernels, samplers, PRFs) is compiled with full
/// optimisation even in debug builds, so tests that run the real model finish
/// quickly; correctness checks still run in every build.
let optimisedInDebug: [SwiftSetting] = [
    .unsafeFlags(["-O"], .when(configuration: .debug)),
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
]

/// The inference kernels are written with Swift SIMD types; without this LLVM
/// lowers them to SSE2 and the integer dot products run several times slower.
/// Haswell (AVX2, FMA, F16C) is the baseline of every x86-64 server in use.
let vectorISA: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "haswell"], .when(platforms: [.linux])),
]

let package = Package(
    name: "Aegis",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "aegis", targets: ["aegis"]),
        .library(name: "Watermark", targets: ["Watermark"]),
        .library(name: "Inference", targets: ["Inference"]),
        .library(name: "Detection", targets: ["Detection"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "Gateway", targets: ["Gateway"]),
        .library(name: "Consortium", targets: ["Consortium"]),
        .library(name: "Forensics", targets: ["Forensics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        // Server stack: only Store, Gateway and the aegis CLI depend on these.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", exact: "1.35.2"),
    ],
    targets: [
        .target(name: "AegisCore"),
        .target(name: "Watermark", dependencies: ["AegisCore", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: optimisedInDebug),
        .target(name: "Inference", dependencies: ["AegisCore", "Watermark"],
                swiftSettings: optimisedInDebug + vectorISA),
        .target(name: "Detection", dependencies: ["AegisCore", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: optimisedInDebug),
        .target(name: "Simulation", dependencies: ["AegisCore"]),
        // Proof of copying from a suspect model: corpus-level watermark tests, reading mode, attribution.
        .target(name: "Forensics", dependencies: ["AegisCore", "Watermark", "Inference"],
                swiftSettings: optimisedInDebug),
        .target(
            name: "Store",
            dependencies: [
                "AegisCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Gateway",
            dependencies: [
                "AegisCore", "Store", "Inference", "Watermark", "Detection",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),
        // The consortium exchange: STIX 2.1 objects, a TAXII 2.1 server and client.
        .target(
            name: "Consortium",
            dependencies: [
                "AegisCore", "Detection",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            // Per-exchange keyed digests are hot loops (PBKDF2 is BoringSSL's).
            swiftSettings: optimisedInDebug
        ),
        .executableTarget(
            name: "aegis",
            dependencies: [
                "AegisCore", "Watermark", "Inference", "Detection", "Simulation", "Store", "Gateway", "Consortium",
                "Forensics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),

        // Benchmarks: separate executables, never run by `make test`.
        // Evaluations: executables that read ../shared/data, never run by `make test`.
        .executableTarget(name: "WatermarkEvaluation", dependencies: ["Watermark", "Inference"],
                          path: "evaluations/WatermarkEvaluation", swiftSettings: optimisedInDebug),
        .executableTarget(name: "WatermarkGenerationEvaluation", dependencies: ["Watermark", "Inference"],
                          path: "evaluations/WatermarkGenerationEvaluation", swiftSettings: optimisedInDebug),
        .executableTarget(name: "ForensicsEvaluation", dependencies: ["AegisCore", "Inference"],
                          path: "evaluations/ForensicsEvaluation", swiftSettings: optimisedInDebug),
        .executableTarget(name: "WatermarkBenchmark", dependencies: ["Watermark"],
                          path: "Benchmarks/WatermarkBenchmark", swiftSettings: optimisedInDebug),
        .executableTarget(name: "InferenceBenchmark", dependencies: ["Inference", "Watermark"],
                          path: "Benchmarks/InferenceBenchmark", swiftSettings: optimisedInDebug),
        .executableTarget(name: "TokenizerBenchmark", dependencies: ["Inference"],
                          path: "Benchmarks/TokenizerBenchmark", exclude: ["differential.py"],
                          swiftSettings: optimisedInDebug),

        .executableTarget(name: "ConsortiumBenchmark",
                          dependencies: ["Consortium", "AegisCore",
                                         .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                         .product(name: "NIOCore", package: "swift-nio"),
                                         .product(name: "NIOHTTP1", package: "swift-nio")],
                          path: "Benchmarks/ConsortiumBenchmark"),
        .executableTarget(name: "DetectionBenchmark", dependencies: ["AegisCore", "Detection"],
                          path: "Benchmarks/DetectionBenchmark"),

        .testTarget(name: "AegisCoreTests", dependencies: ["AegisCore"]),
        .testTarget(name: "WatermarkTests", dependencies: ["Watermark", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "Watermark"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "DetectionTests", dependencies: ["Detection", "Simulation"]),
        .testTarget(name: "ForensicsTests", dependencies: ["Forensics", "Watermark", "Inference", "AegisCore"]),
        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        .testTarget(
            name: "ConsortiumTests",
            dependencies: [
                "Consortium", "AegisCore", "Detection", "Simulation",
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "Store", "AegisCore", "Inference", "Watermark", "Detection", "Simulation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ]
)
