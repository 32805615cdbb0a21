import ConveneCore
import ConveneStore
import FluentKit
import Foundation
import Logging

/// Where an installation keeps its database, master key and checkpoints, which packs it adds
/// and the address its links start with: the same for `convene serve`, every command and the
/// jobs, from the command line and the environment.
public struct InstallationOptions: Sendable {
    public var database: DatabaseLocation
    public var packsDirectory: URL?
    public var clock: @Sendable () -> Date
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
    /// every link in a message is built from it.
    public var publicURL: String?
    /// How mail is sent (issue 11): SMTP, GOV.UK Notify or the log (`MailSettings.fromEnvironment`).
    public var mail = MailSettings()
    /// Connections to a SQLite file (`CONVENE_SQLITE_CONNECTIONS`, 2 to 64; default 8).
    public var sqliteConnections = DatabaseLocation.defaultSQLiteConnections

    public init(database: DatabaseLocation = .fromEnvironment(), packsDirectory: URL? = nil,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.packsDirectory = packsDirectory
        self.clock = clock
    }

    /// Reads `CONVENE_PACKS_DIR`, `CONVENE_KEY_FILE`, `CONVENE_PUBLIC_URL`, `CONVENE_CHECKPOINT_DIR`
    /// and `CONVENE_CHECKPOINT_SECONDS` (1 to 3600).
    public mutating func read(_ env: [String: String]) {
        packsDirectory = env["CONVENE_PACKS_DIR"].map { URL(fileURLWithPath: $0) }
        keyFile = env["CONVENE_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        publicURL = env["CONVENE_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 }
        checkpointDirectory = env["CONVENE_CHECKPOINT_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        if let seconds = env["CONVENE_CHECKPOINT_SECONDS"].flatMap(Double.init), seconds >= 1, seconds <= 3600 {
            checkpointInterval = seconds
        }
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

    /// The configured public address (without a trailing slash), else `listening`.
    public func publicAddress(listening: String) -> String {
        let configured = (publicURL ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "/ "))
        return configured.isEmpty ? listening : configured
    }
}

/// An installation opened: its packs, its keys, where checkpoints go, and which pack each
/// authority follows (kept for a minute). Pages, the API, commands and jobs share one.
public struct Installation: Sendable {
    public let options: InstallationOptions
    public let packs: PackLibrary
    /// The secrets held outside the database (audit chain, seals, checkpoints, device cookies).
    public let keys: KeyRing
    /// Where checkpoints of the audit chain are written; nil for an in-memory database.
    public let checkpoints: AuditCheckpoints?
    public let packCache = PackCache()

    public var now: Date { options.clock() }

    /// Loads the packs, checks the public address and loads the master key (creating it where
    /// allowed). Anything wrong is a `ConfigurationError` saying what to fix.
    public static func open(_ options: InstallationOptions, logger: Logger) throws -> Installation {
        let packs: PackLibrary
        do {
            packs = try PackLibrary.load(extraDirectory: options.packsDirectory)
        } catch {
            throw ConfigurationError(message: "A procedure pack is not valid: \(error.description)")
        }
        if let configured = options.publicURL, !configured.isEmpty {
            guard let url = URL(string: configured), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw ConfigurationError(message: "CONVENE_PUBLIC_URL must be an http or https address, like https://convene.example.gov.uk")
            }
        }
        let keys: KeyRing
        if let path = options.resolvedKeyFile {
            do {
                let loaded = try KeyRing.load(path: path, create: options.createKeyFile)
                keys = loaded.keys
                if loaded.created { logger.notice("Created the master key \(path): keep it safe and outside the database's backups") }
            } catch {
                throw ConfigurationError(message: error.description)
            }
        } else {
            keys = .ephemeral()
        }
        return Installation(options: options, packs: packs, keys: keys,
                            checkpoints: options.resolvedCheckpointDirectory.map { AuditCheckpoints(directory: URL(fileURLWithPath: $0)) })
    }

    /// Once migrated: a database written before the chain was keyed is re-keyed and sealed
    /// once, and only if it was never checkpointed (a checkpointed one is keyed already:
    /// re-keying could launder edits).
    public func upgradeAuditTrail(on db: any Database, logger: Logger) async throws {
        if (try? checkpoints?.read().isEmpty) ?? true, try await AuditTrail.upgradeIfNeeded(on: db) {
            logger.notice("The audit trail was keyed and the records sealed (issue 9)")
        }
    }
}

/// The installation cannot start as configured; the message says what to fix.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }

    public init(message: String) {
        self.message = message
    }
}
