// swift-tools-version: 6.1
import PackageDescription

/// Our own targets build in Swift 6 language mode and treat warnings as a defect.
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "arbook",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "arbook", targets: ["arbook"]),
        .executable(name: "arbook-benchmark", targets: ["ArbookBenchmark"]),
        .executable(name: "arbook-fuzz", targets: ["ArbookFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // The domain: values and pure rules. No packages, no I/O.
        .target(name: "Receivables", swiftSettings: strict),
        // Reading and writing interchange files (CSV from Excel, GB18030). No database.
        .target(
            name: "Interchange",
            dependencies: ["Receivables", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        // The use cases and the storage protocols they own.
        .target(
            name: "Bookkeeping",
            dependencies: [
                "Receivables", "Interchange",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        // What a request carries, as text, turned into the domain's documents: the API's JSON bodies and the
        // field parsers every front end shares (and the fuzz targets exercise).
        .target(name: "RequestInput", dependencies: ["Bookkeeping", "Receivables"], swiftSettings: strict),
        // The demo book: a realistic history written through the use cases (for `arbook demo` and `serve --demo`).
        .target(name: "Demo", dependencies: ["Bookkeeping", "Receivables", "Interchange"], swiftSettings: strict),
        // What the book's results look like to people and programs: printable letters, the dunning plan as a table or JSON.
        .target(name: "BookFormats", dependencies: ["Bookkeeping", "Receivables", "Interchange"], swiftSettings: strict),
        // The book's reads and writes, written once in SQL both engines run over an executor each gives.
        // Cross-module optimisation lets each engine specialise the core's generic reads for its own rows:
        // reports read millions of cells, and an unspecialised read of each through a witness table
        // doubled the time of `check`.
        .target(name: "BookSQL", dependencies: ["Bookkeeping", "Receivables"],
                swiftSettings: strict + [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]),
        // The embedded engine.
        .target(
            name: "SQLiteBook",
            dependencies: [
                "Bookkeeping", "BookSQL", "Receivables",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        // The server engine: the same book on PostgreSQL, for several servers on one database.
        .target(
            name: "PostgresBook",
            dependencies: [
                "Bookkeeping", "BookSQL", "Receivables",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // Delivery of the outbox: email through sendmail, webhooks, printable letters.
        .target(
            name: "Delivery",
            dependencies: [
                "Bookkeeping", "BookFormats", "Receivables",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // The web application and the JSON API.
        .target(
            name: "ReceivablesWeb",
            dependencies: [
                "Bookkeeping", "BookFormats", "Receivables", "Interchange", "RequestInput",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Templates")],
            swiftSettings: strict),
        .executableTarget(
            name: "arbook",
            dependencies: [
                "Bookkeeping", "BookFormats", "Demo", "Receivables", "Interchange", "SQLiteBook", "PostgresBook", "ReceivablesWeb",
                "Delivery",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "ArbookBenchmark",
            dependencies: [
                "Receivables",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        // What the fuzzer feeds untrusted bytes to, and the program it runs them with (scripts/fuzz).
        .target(name: "FuzzTargets", dependencies: ["Bookkeeping", "Interchange", "Receivables", "RequestInput"], swiftSettings: strict),
        .executableTarget(name: "ArbookFuzz", dependencies: ["FuzzTargets"], swiftSettings: strict),
        // The books tests run on: a SQLite file, or a database of its own on the PostgreSQL test server.
        .target(name: "TestBooks", dependencies: ["Bookkeeping", "SQLiteBook", "PostgresBook"], path: "Tests/TestBooks",
                swiftSettings: strict),
        .testTarget(name: "ReceivablesTests", dependencies: ["Receivables"], swiftSettings: strict),
        .testTarget(name: "InterchangeTests", dependencies: ["Interchange", "Receivables", "TestBooks"], swiftSettings: strict),
        .testTarget(
            name: "BookkeepingTests",
            dependencies: [
                "Bookkeeping", "Receivables", "Interchange", "SQLiteBook", "PostgresBook", "TestBooks",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        .testTarget(name: "CLITests", dependencies: ["arbook", "TestBooks"], swiftSettings: strict),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets"], resources: [.copy("corpus")], swiftSettings: strict),
        .testTarget(
            name: "DeliveryTests",
            dependencies: [
                "Delivery", "Bookkeeping", "Receivables", "TestBooks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "ReceivablesWebTests",
            dependencies: [
                "ReceivablesWeb", "Bookkeeping", "Receivables", "TestBooks",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict),
    ]
)
