import ConveneCore
import ConveneStore
import Fluent
import Leaf
import Vapor

/// Wires the application: database (migrated at start), packs, templates, middleware, routes.
public func configure(_ app: Application, options: ConveneOptions) async throws {
    let installation = try Installation.open(options.installation, logger: app.logger)
    app.convene = ConveneServices(options: options, installation: installation)
    let keys = installation.keys
    await app.useOIDCDirectory()

    app.databases.use(try options.database.configuration(connections: options.sqliteConnections).keyed(keys), as: .init(string: "main"), isDefault: true)
    app.migrations.add(Migrations.all)
    try await DatabaseTuning.prepare(app.db)
    try await app.autoMigrate()
    try await installation.upgradeAuditTrail(on: app.db, logger: app.logger)

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
