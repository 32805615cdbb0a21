// swift-tools-version: 6.1
import PackageDescription

// Convene: multi-agency child-protection strategy discussions.
// ConveneCore is pure (Foundation + Yams); ConveneStore adds Fluent (no Vapor);
// ConveneLifecycle runs the procedure on the store (operations with a context, no Vapor);
// ConveneIdentity is the OpenID Connect client for directory sign-in (no Vapor);
// ConveneWeb adds Vapor, Leaf and the HTTP API; ConveneDelivery sends messages (NIO, no
// Vapor); `convene` wires everything.
let package = Package(
    name: "convene",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "convene", targets: ["convene"]),
        .library(name: "ConveneCore", targets: ["ConveneCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.52.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.30.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.4.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
        // The JSON API (/api/v1): types and server stubs generated from Sources/ConveneAPI/openapi.yaml.
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.0"),
        .package(url: "https://github.com/vapor/swift-openapi-vapor.git", from: "1.2.0"),
        // Delivery (ConveneDelivery): SMTP on SwiftNIO + TLS, GOV.UK Notify over HTTPS with a JWT.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        // The performance view's exports (issue 13): RFC 4180 CSV written and read back.
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
    ],
    targets: [
        .target(
            name: "ConveneCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources/Packs")]
        ),
        .target(
            name: "ConveneStore",
            dependencies: [
                "ConveneCore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // Sign-in through an authority's own directory (issue 15), apart from HTTP: discovery,
        // the signing keys, the code exchange over AsyncHTTPClient, ID tokens verified with
        // jwt-kit, and who a verified token names. No Vapor or Leaf.
        .target(
            name: "ConveneIdentity",
            dependencies: [
                "ConveneCore",
                "ConveneStore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The procedure run apart from HTTP: every lifecycle operation with a small context
        // (database, who acts, clock, packs), the access check, the writer, slots, the outbox,
        // and the background jobs. Pages, the API, commands and jobs all call it; no Vapor or Leaf.
        .target(
            name: "ConveneLifecycle",
            dependencies: [
                "ConveneCore",
                "ConveneStore",
                // The delivery worker sends the outbox through ConveneDelivery's transports (issue 11).
                "ConveneDelivery",
                // Directory sign-in and its settings run the OpenID Connect client (issue 15).
                "ConveneIdentity",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Generated from openapi.yaml at build time; nothing hand-written in this target.
        .target(
            name: "ConveneAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            resources: [.copy("openapi.yaml")],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .target(
            name: "ConveneWeb",
            dependencies: [
                "ConveneCore",
                "ConveneStore",
                "ConveneLifecycle",
                "ConveneIdentity",
                "ConveneAPI",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIVapor", package: "swift-openapi-vapor"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        // Sends messages: MIME rendering, SMTP, GOV.UK Notify and a log transport. No Vapor,
        // Leaf or Fluent, so the delivery worker can run it from any layer.
        .target(
            name: "ConveneDelivery",
            dependencies: [
                "ConveneCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "convene",
            dependencies: [
                "ConveneCore",
                "ConveneStore",
                "ConveneLifecycle",
                "ConveneWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "convene-bench",
            dependencies: ["ConveneCore"],
            path: "benchmarks/convene-bench"
        ),
        .target(
            name: "ConveneTestSupport",
            dependencies: ["ConveneCore"],
            path: "Tests/ConveneTestSupport"
        ),
        .testTarget(
            name: "ConveneCoreTests",
            dependencies: [
                "ConveneCore",
                "ConveneTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")]
        ),
        // The lifecycle on its own: operations called with a context on in-memory SQLite (or
        // PostgreSQL when CONVENE_TEST_POSTGRES_URL is set), no server.
        .testTarget(
            name: "ConveneLifecycleTests",
            dependencies: [
                "ConveneCore", "ConveneStore", "ConveneLifecycle", "ConveneTestSupport", "ConveneDelivery", "ConveneIdentity",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ConveneWebTests",
            dependencies: [
                "ConveneCore", "ConveneStore", "ConveneWeb", "ConveneTestSupport", "ConveneDelivery", "ConveneLifecycle",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "SQLKit", package: "sql-kit"),
                // Talks to the OpenID Connect provider the directory tests start (Support/oidc).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            exclude: ["Support/oidc"]
        ),
        .testTarget(
            name: "ConveneDeliveryTests",
            dependencies: [
                "ConveneCore", "ConveneDelivery", "ConveneTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            // Python peers (an SMTP server, a Notify stand-in, a mail reader) run from the
            // source tree, found through #filePath.
            exclude: ["Support"]
        ),
        .testTarget(
            name: "ConveneCLITests",
            dependencies: ["convene", "ConveneTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
