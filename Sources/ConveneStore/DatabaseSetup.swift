import ConveneCore
import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit

/// Where the data lives: an embedded SQLite file by default, or PostgreSQL for scale.
public enum DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case sqliteInMemory
    case postgres(url: String)
    /// PostgreSQL with its own schema (the tests give each test one).
    case postgresSchema(url: String, schema: String)

    /// `DATABASE_URL` (postgres://…) if set, else `CONVENE_SQLITE` or `./convene.sqlite`.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> DatabaseLocation {
        if let url = env["DATABASE_URL"], !url.isEmpty {
            return parse(url)
        }
        return .sqlite(path: env["CONVENE_SQLITE"] ?? "convene.sqlite")
    }

    /// `postgres://…` (or `postgresql://…`) is a PostgreSQL server; `sqlite:PATH`, or any
    /// other text, is the path of a SQLite file.
    public static func parse(_ text: String) -> DatabaseLocation {
        let lower = text.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            return .postgres(url: text)
        }
        return .sqlite(path: text.hasPrefix("sqlite:") ? String(text.dropFirst("sqlite:".count)) : text)
    }

    public var description: String {
        switch self {
        case let .sqlite(path): "SQLite file \(path)"
        case .sqliteInMemory: "SQLite in memory"
        case let .postgres(url), let .postgresSchema(url, _):
            // Never print the password.
            "PostgreSQL " + (URL(string: url).map { "\($0.host ?? "")/\($0.path.dropFirst())" } ?? "")
        }
    }

    public var isSQLite: Bool {
        switch self {
        case .postgres, .postgresSchema: false
        default: true
        }
    }

    /// How many connections a SQLite file gets (`CONVENE_SQLITE_CONNECTIONS`, 2 to 64; default
    /// 8): readers run side by side, so a read never waits behind another read's queries or a
    /// disk flush. Anything else stops the start, naming the variable.
    public static let defaultSQLiteConnections = 8

    public static func sqliteConnections(_ env: [String: String] = ProcessInfo.processInfo.environment) throws(InputError) -> Int {
        guard let text = env["CONVENE_SQLITE_CONNECTIONS"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return defaultSQLiteConnections
        }
        guard let count = Int(text), (2...64).contains(count) else {
            throw InputError(field: "CONVENE_SQLITE_CONNECTIONS", "must be a whole number from 2 to 64")
        }
        return count
    }

    /// The driver's configuration; a SQLite file gets `connections` connections
    /// (`PooledSQLiteConfiguration`; at least one).
    public func configuration(connections: Int = DatabaseLocation.defaultSQLiteConnections) throws -> DatabaseConfigurationFactory {
        switch self {
        case let .sqlite(path):
            let count = max(connections, 1)
            let file = DatabaseConfigurationFactory.sqlite(.file(path), sqlLogLevel: .trace)
            return DatabaseConfigurationFactory { PooledSQLiteConfiguration(inner: file.make(), connections: count, path: path) }
        case .sqliteInMemory:
            return .sqlite(.memory, sqlLogLevel: .trace)
        case let .postgres(url):
            let config = try SQLPostgresConfiguration(url: url)
            return .postgres(configuration: config, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace)
        case let .postgresSchema(url, schema):
            var config = try SQLPostgresConfiguration(url: url)
            config.searchPath = [schema]
            return .postgres(configuration: config, maxConnectionsPerEventLoop: 2, sqlLogLevel: .trace)
        }
    }
}

public enum DatabaseTuning {
    /// SQLite for this data: write-ahead log, and fsync at every commit (synchronous=FULL,
    /// the default SQLite keeps in WAL mode), so an acknowledged write survives a crash.
    public static func prepare(_ db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await sql.raw("PRAGMA journal_mode = WAL").run()
        try await sql.raw("PRAGMA synchronous = FULL").run()
    }
}
