// swift-tools-version: 6.1
import PackageDescription

// One target per concern; see ../shared/DESIGN.md. The executable only parses arguments and wires.
let package = Package(
    name: "facteur",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "facteur", targets: ["facteur"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.30.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
    ],
    targets: [
        // MariaDB Connector/C, found through pkg-config (Debian: libmariadb-dev).
        .systemLibrary(
            name: "CMariaDB",
            pkgConfig: "libmariadb",
            providers: [.apt(["libmariadb-dev"])]
        ),
        .target(
            name: "MariaDB",
            dependencies: [
                "CMariaDB",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "PHPList",
            dependencies: [
                "MariaDB",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "FacteurConfig",
            dependencies: [
                "PHPList",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "SMTP",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Compose",
            dependencies: [
                "PHPList",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Bounces",
            dependencies: [
                "SMTP",
                "PHPList",
                "Compose",
                "MariaDB",
                // The provider mapping of facteur_provider_stats (ProviderTable); Relaying does not import Bounces.
                "Relaying",
                "FacteurConfig",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Campaign scheduling, claims, leases: PHPList's queue processed as processqueue does.
        .target(
            name: "Worker",
            dependencies: [
                "MariaDB",
                "PHPList",
                "SMTP",
                "Compose",
                "FacteurConfig",
                "Relaying",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Relay pool, circuit breakers, AIMD speed control per relay and provider, retry schedule.
        .target(
            name: "Relaying",
            dependencies: [
                "SMTP",
                "MariaDB",
                "FacteurConfig",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `facteur import`: older PHPList databases and CSV files into the PHPList database Facteur serves.
        .target(
            name: "Import",
            dependencies: [
                "MariaDB",
                "PHPList",
                "Compose",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "facteur",
            dependencies: [
                "MariaDB",
                "PHPList",
                "FacteurConfig",
                "SMTP",
                "Compose",
                "Bounces",
                "Worker",
                "Import",
                "Supervision",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Supervision: Prometheus /metrics, /health, /ready, the status page (Hummingbird), `facteur status`.
        .target(
            name: "Supervision",
            dependencies: [
                "MariaDB",
                "PHPList",
                "FacteurConfig",
                "Relaying",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // Real-server helpers for tests: fresh databases from compat/, SMTP sinks, Dovecot.
        .target(
            name: "FacteurTesting",
            dependencies: [
                "MariaDB",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "MariaDBTests", dependencies: ["MariaDB", "FacteurTesting"]),
        .testTarget(name: "PHPListTests", dependencies: ["PHPList", "FacteurConfig", "FacteurTesting"]),
        .testTarget(name: "SMTPTests", dependencies: [
            "SMTP", "FacteurTesting", .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        .testTarget(name: "ComposeTests", dependencies: ["Compose", "PHPList", "SMTP", "Worker", "FacteurTesting"], exclude: ["Fixtures"]),
        .testTarget(name: "BouncesTests", dependencies: ["Bounces", "SMTP", "PHPList", "MariaDB", "Compose", "FacteurTesting"]),
        .testTarget(name: "FacteurConfigTests", dependencies: ["FacteurConfig", "FacteurTesting"]),
        .testTarget(name: "WorkerTests", dependencies: [
            "Worker", "Relaying", "PHPList", "SMTP", "MariaDB", "Compose", "FacteurConfig", "FacteurTesting",
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        .testTarget(name: "RelayingTests", dependencies: ["Relaying", "FacteurConfig", "SMTP", "MariaDB", "FacteurTesting"]),
        .testTarget(name: "ImportTests", dependencies: ["Import", "MariaDB", "PHPList", "FacteurTesting", "facteur"]),
        .testTarget(name: "SupervisionTests", dependencies: [
            "Supervision", "MariaDB", "FacteurTesting", "FacteurConfig", "Worker", "Relaying", "Bounces", "PHPList", "SMTP", "facteur",
            .product(name: "Prometheus", package: "swift-prometheus"), .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "FacteurCLITests", dependencies: ["facteur", "FacteurTesting"]),
    ],
    swiftLanguageModes: [.v6]
)
