import ConveneCore
import ConveneStore
import Fluent
import Leaf
import Vapor

/// Wires the application: database (migrated at start), packs, templates, middleware, routes.
public func configure(_ app: Application, options: ConveneOptions) async throws {
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
            if loaded.created { app.logger.notice("Created the master key \(path): keep it safe and outside the database's backups") }
        } catch {
            throw ConfigurationError(message: error.description)
        }
    } else {
        keys = .ephemeral()
    }
    let checkpoints = options.resolvedCheckpointDirectory.map { AuditCheckpoints(directory: URL(fileURLWithPath: $0)) }
    app.convene = ConveneServices(options: options, packs: packs, keys: keys, checkpoints: checkpoints)
    await app.useOIDCDirectory()

    app.databases.use(try options.database.configuration().keyed(keys), as: .init(string: "main"), isDefault: true)
    app.migrations.add(Migrations.all)
    try await DatabaseTuning.prepare(app.db)
    try await app.autoMigrate()
    // A database written before the chain was keyed is re-keyed and sealed once, and only if it
    // was never checkpointed (a checkpointed one is keyed already: re-keying could launder edits).
    if (try? checkpoints?.read().isEmpty) ?? true, try await AuditTrail.upgradeIfNeeded(on: app.db) {
        app.logger.notice("The audit trail was keyed and the records sealed (issue 9)")
    }

    app.directory = DirectoryConfiguration(workingDirectory: options.rootDirectory)
    app.views.use(.leaf)
    app.leaf.cache.isEnabled = app.environment.isRelease
    app.routes.defaultMaxBodySize = "512kb"
    app.routes.caseInsensitive = false

    // Order matters: errors outermost; headers on everything, including errors and assets.
    app.middleware = Middlewares()
    app.middleware.use(SecurityHeaders())
    app.middleware.use(ErrorHandling())
    app.middleware.use(MethodFilter())
    app.middleware.use(AssetFiles(FileMiddleware(publicDirectory: app.directory.publicDirectory, defaultFile: nil)))
    app.middleware.use(SessionAuthenticator())
    app.middleware.use(CSRFMiddleware())
    app.middleware.use(ReadLogging())

    try routes(app)
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Serves `Public/` for GET and HEAD requests under `/assets/` only, so that every other path,
/// odd ones like `/discussions/..%2f..` included, is answered by the routes (404, not the file
/// server's 403).
struct AssetFiles: AsyncMiddleware {
    let files: FileMiddleware

    init(_ files: FileMiddleware) {
        self.files = files
    }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard req.url.path.hasPrefix("/assets/"), req.method == .GET || req.method == .HEAD else {
            return try await next.respond(to: req)
        }
        return try await files.respond(to: req, chainingTo: next)
    }
}
