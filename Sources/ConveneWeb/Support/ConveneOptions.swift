import ConveneCore
import ConveneLifecycle
import ConveneStore
import Foundation
import Vapor

/// How the application runs: from `convene serve` flags and the environment.
public struct ConveneOptions: Sendable {
    public enum CookieSecurity: String, Sendable {
        /// `Secure` and the `__Host-` prefix whenever the request came over HTTPS (directly or
        /// via a trusted proxy's X-Forwarded-Proto); plain HTTP on a development machine gets
        /// a cookie its browser will send back.
        case auto
        /// Always `Secure` with the `__Host-` prefix (production behind TLS).
        case always
    }

    public var database: DatabaseLocation
    public var hostname: String
    public var port: Int
    public var demo: Bool
    public var cookieSecurity: CookieSecurity
    /// Trust X-Forwarded-For / X-Forwarded-Proto from a load balancer.
    public var trustProxy: Bool
    /// ASVS-5.0-7.3.1 and 7.3.2.
    public var sessionIdleTimeout: TimeInterval
    public var sessionAbsoluteLifetime: TimeInterval
    /// bcrypt cost (12 in production; the tests use the minimum to stay fast).
    public var passwordCost: Int
    public var packsDirectory: URL?
    public var clock: @Sendable () -> Date
    /// Where `Resources/Views` and `Public` are.
    public var rootDirectory: String
    /// The master key file (`CONVENE_KEY_FILE`): the audit chain's HMAC key, the seals' key and the
    /// checkpoint signing key derive from it. Default: beside a SQLite file (`X-keys/master.key`),
    /// `./convene-keys/master.key` for PostgreSQL, none (a key for this process) in memory.
    public var keyFile: String?
    /// Create the key file when it does not exist (everything but `audit verify`).
    public var createKeyFile = true
    /// Where signed checkpoints of the audit chain's head are appended (`CONVENE_CHECKPOINT_DIR`);
    /// default beside a SQLite file (`X-checkpoints`), `./convene-checkpoints` for PostgreSQL.
    public var checkpointDirectory: String?
    /// How often `serve` checkpoints the head when it has moved (`CONVENE_CHECKPOINT_SECONDS`).
    public var checkpointInterval: TimeInterval = 10
    /// The address people reach Convene at (`CONVENE_PUBLIC_URL`, e.g. `https://convene.northtown.gov.uk`):
    /// every link in a message is built from it. Default: the listening address.
    public var publicURL: String?

    public var publicAddress: String {
        let configured = (publicURL ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "/ "))
        return configured.isEmpty ? "http://\(hostname):\(port)" : configured
    }

    public init(database: DatabaseLocation = .fromEnvironment(), hostname: String = "127.0.0.1", port: Int = 8080,
                demo: Bool = false, cookieSecurity: CookieSecurity = .auto, trustProxy: Bool = false,
                sessionIdleTimeout: TimeInterval = 30 * 60, sessionAbsoluteLifetime: TimeInterval = 12 * 3600,
                passwordCost: Int = 12, packsDirectory: URL? = nil, clock: @escaping @Sendable () -> Date = { Date() },
                rootDirectory: String = ConveneOptions.detectRoot()) {
        self.database = database
        self.hostname = hostname
        self.port = port
        self.demo = demo
        self.cookieSecurity = cookieSecurity
        self.trustProxy = trustProxy
        self.sessionIdleTimeout = sessionIdleTimeout
        self.sessionAbsoluteLifetime = sessionAbsoluteLifetime
        self.passwordCost = passwordCost
        self.packsDirectory = packsDirectory
        self.clock = clock
        self.rootDirectory = rootDirectory
    }

    /// The options `convene serve` starts from, read from the environment.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> ConveneOptions {
        var options = ConveneOptions()
        if let value = env["CONVENE_COOKIE_SECURITY"], let mode = CookieSecurity(rawValue: value) {
            options.cookieSecurity = mode
        }
        options.trustProxy = env["CONVENE_TRUST_PROXY"] == "true"
        if let minutes = env["CONVENE_SESSION_IDLE_MINUTES"].flatMap(Double.init) {
            options.sessionIdleTimeout = minutes * 60
        }
        if let hours = env["CONVENE_SESSION_MAX_HOURS"].flatMap(Double.init) {
            options.sessionAbsoluteLifetime = hours * 3600
        }
        if let cost = env["CONVENE_BCRYPT_COST"].flatMap(Int.init) {
            options.passwordCost = min(max(cost, 4), 31)
        }
        options.packsDirectory = env["CONVENE_PACKS_DIR"].map { URL(fileURLWithPath: $0) }
        options.keyFile = env["CONVENE_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        options.publicURL = env["CONVENE_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 }
        options.checkpointDirectory = env["CONVENE_CHECKPOINT_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        if let seconds = env["CONVENE_CHECKPOINT_SECONDS"].flatMap(Double.init), seconds >= 1, seconds <= 3600 {
            options.checkpointInterval = seconds
        }
        return options
    }

    /// The key file in use: as configured, or the default for the database (nil: in memory).
    public var resolvedKeyFile: String? {
        if let keyFile { return keyFile }
        switch database {
        case let .sqlite(path): return path + "-keys/master.key"
        // In memory, and the tests' own PostgreSQL schemas: a key for this process.
        case .sqliteInMemory, .postgresSchema: return nil
        case .postgres: return "convene-keys/master.key"
        }
    }

    /// The checkpoint directory in use: as configured, or the default for the database.
    public var resolvedCheckpointDirectory: String? {
        if let checkpointDirectory { return checkpointDirectory }
        switch database {
        case let .sqlite(path): return path + "-checkpoints"
        case .sqliteInMemory, .postgresSchema: return nil
        case .postgres: return "convene-checkpoints"
        }
    }

    /// The package root: the working directory when it holds `Resources/Views`, else the
    /// directory this source file was built from (a development checkout).
    public static func detectRoot() -> String {
        let cwd = FileManager.default.currentDirectoryPath
        if let env = ProcessInfo.processInfo.environment["CONVENE_ROOT"] {
            return env.hasSuffix("/") ? env : env + "/"
        }
        if FileManager.default.fileExists(atPath: cwd + "/Resources/Views") {
            return cwd + "/"
        }
        let source = URL(fileURLWithPath: #filePath)
        return source.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path + "/"
    }
}

/// What every request handler may need: the packs, the options and the clock.
public struct ConveneServices: Sendable {
    public let options: ConveneOptions
    public let packs: PackLibrary
    /// The secrets held outside the database (audit chain, seals, checkpoints, device cookies).
    public let keys: KeyRing
    /// Where checkpoints of the audit chain are written; nil for an in-memory database.
    public let checkpoints: AuditCheckpoints?
    /// Which pack each authority follows, kept for a minute (read on every page).
    public let packCache = PackCache()

    public var now: Date { options.clock() }
}

extension Application {
    struct ServicesKey: StorageKey {
        typealias Value = ConveneServices
    }

    public var convene: ConveneServices {
        get {
            guard let services = storage[ServicesKey.self] else { fatalError("configure(_:options:) was not called") }
            return services
        }
        set { storage[ServicesKey.self] = newValue }
    }
}

extension Request {
    public var convene: ConveneServices { application.convene }
    public var now: Date { application.convene.now }

    /// The client address, from the socket or, behind a trusted proxy, X-Forwarded-For.
    public var clientIP: String {
        if application.convene.options.trustProxy, let forwarded = headers.first(name: "X-Forwarded-For") {
            // The trusted load balancer appends the address it saw; anything before it was
            // written by the client and could be chosen to dodge the sign-in throttle.
            return String(forwarded.split(separator: ",").last ?? "").trimmingCharacters(in: .whitespaces)
        }
        return remoteAddress?.ipAddress ?? ""
    }

    /// The request came over TLS (directly, or via a trusted proxy).
    public var isHTTPS: Bool {
        if application.convene.options.trustProxy, headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https" {
            return true
        }
        return url.scheme == "https" || application.http.server.configuration.tlsConfiguration != nil
    }
}
