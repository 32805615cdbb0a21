import ConveneCore
import ConveneLifecycle
import ConveneStore
import Foundation
import Vapor

/// How the application runs: from `convene serve` flags and the environment. The
/// installation's own settings (database, keys, checkpoints, packs, public address, clock) are
/// `installation`'s, read and set through this value (`options.database`).
@dynamicMemberLookup
public struct ConveneOptions: Sendable {
    public enum CookieSecurity: String, Sendable {
        /// `Secure` and the `__Host-` prefix whenever the request came over HTTPS (directly or
        /// via a trusted proxy's X-Forwarded-Proto); plain HTTP on a development machine gets
        /// a cookie its browser will send back.
        case auto
        /// Always `Secure` with the `__Host-` prefix (production behind TLS).
        case always
    }

    public var installation: InstallationOptions
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
    /// Where `Resources/Views` and `Public` are.
    public var rootDirectory: String

    public subscript<T>(dynamicMember keyPath: WritableKeyPath<InstallationOptions, T>) -> T {
        get { installation[keyPath: keyPath] }
        set { installation[keyPath: keyPath] = newValue }
    }

    public subscript<T>(dynamicMember keyPath: KeyPath<InstallationOptions, T>) -> T {
        installation[keyPath: keyPath]
    }

    /// Every link in a message starts here: `CONVENE_PUBLIC_URL`, else the listening address.
    public var publicAddress: String {
        installation.publicAddress(listening: "http://\(hostname):\(port)")
    }

    public init(database: DatabaseLocation = .fromEnvironment(), hostname: String = "127.0.0.1", port: Int = 8080,
                demo: Bool = false, cookieSecurity: CookieSecurity = .auto, trustProxy: Bool = false,
                sessionIdleTimeout: TimeInterval = 30 * 60, sessionAbsoluteLifetime: TimeInterval = 12 * 3600,
                passwordCost: Int = 12, packsDirectory: URL? = nil, clock: @escaping @Sendable () -> Date = { Date() },
                rootDirectory: String = ConveneOptions.detectRoot()) {
        installation = InstallationOptions(database: database, packsDirectory: packsDirectory, clock: clock)
        self.hostname = hostname
        self.port = port
        self.demo = demo
        self.cookieSecurity = cookieSecurity
        self.trustProxy = trustProxy
        self.sessionIdleTimeout = sessionIdleTimeout
        self.sessionAbsoluteLifetime = sessionAbsoluteLifetime
        self.passwordCost = passwordCost
        self.rootDirectory = rootDirectory
    }

    /// The options `convene serve` and the commands start from, read from the environment; a
    /// value that cannot be used stops the start, naming its variable.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> ConveneOptions {
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
        options.installation.read(env)
        options.installation.sqliteConnections = try DatabaseLocation.sqliteConnections(env)
        return options
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

/// What every request handler may need: the options, and the installation's packs, keys,
/// checkpoints and pack cache (`req.convene.packs`).
@dynamicMemberLookup
public struct ConveneServices: Sendable {
    public let options: ConveneOptions
    public let installation: Installation

    public init(options: ConveneOptions, installation: Installation) {
        self.options = options
        self.installation = installation
    }

    public subscript<T>(dynamicMember keyPath: KeyPath<Installation, T>) -> T {
        installation[keyPath: keyPath]
    }

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
