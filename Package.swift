// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ParIndex",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "parindex", targets: ["parindex"]),
        .library(name: "ParIndexCore", targets: ["ParIndexCore"]),
        .library(name: "ParIndexServer", targets: ["ParIndexServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        // Pure domain: PAR rules, scoring, Vietnamese text/number handling. Foundation only (+ Yams for framework files,
        // + ZIPFoundation for the XLSX reader: it is pure bytes → rows parsing, and living here lets the fuzz harness
        // (issue #20) exercise it without building Vapor under sanitizers).
        .target(
            name: "ParIndexCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // Vapor server: storage, auth, audit, API, views.
        .target(
            name: "ParIndexServer",
            dependencies: [
                "ParIndexCore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Resources")]
        ),
        // The demo province (seed 004) and its loader: only `parindex demo` and the tests link it,
        // so the server library does not ship it (issue #19).
        .target(
            name: "ParIndexDemo",
            dependencies: [
                "ParIndexCore",
                "ParIndexServer",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "parindex",
            dependencies: [
                "ParIndexCore",
                "ParIndexServer",
                "ParIndexDemo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks: `swift run -c release ParIndexBench` (see BENCHMARKS.md).
        .executableTarget(name: "ParIndexBench", dependencies: ["ParIndexCore"]),
        // Fuzz harness of the file readers (issue #20): `scripts/fuzz` builds it with libFuzzer in `.build-fuzz`;
        // a normal build gives a replay tool (`ParIndexFuzz <target> <files…>`) that feeds files to one reader.
        .executableTarget(
            name: "ParIndexFuzz",
            dependencies: ["ParIndexCore", "ParIndexFixtures", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        // Workbooks built in memory (test files, fuzz seeds, bombs), shared by the tests and the fuzz tool.
        .target(name: "ParIndexFixtures", dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(
            name: "ParIndexCoreTests",
            dependencies: ["ParIndexCore", "ParIndexFixtures", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            // Hostile inputs the readers once trapped on or must refuse (issue #20), read by path.
            exclude: ["Import/Regressions"]
        ),
        .testTarget(
            name: "ParIndexServerTests",
            dependencies: [
                "ParIndexServer",
                "ParIndexDemo",
                .product(name: "XCTVapor", package: "vapor"),
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ]
)
