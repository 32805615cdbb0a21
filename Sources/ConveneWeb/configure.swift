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
    app.convene = ConveneServices(options: options, packs: packs)

    app.databases.use(try options.database.configuration(), as: .init(string: "main"), isDefault: true)
    app.migrations.add(Migrations.all)
    try await DatabaseTuning.prepare(app.db)
    try await app.autoMigrate()

    app.directory = DirectoryConfiguration(workingDirectory: options.rootDirectory)
    app.views.use(.leaf)
    app.leaf.cache.isEnabled = app.environment.isRelease
    app.routes.defaultMaxBodySize = "512kb"
    app.routes.caseInsensitive = false

    // Order matters: errors outermost; headers on everything, including errors and assets.
    app.middleware = Middlewares()
    app.middleware.use(SecurityHeaders())
    app.middleware.use(ErrorHandling())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory, defaultFile: nil))
    app.middleware.use(SessionAuthenticator())
    app.middleware.use(CSRFMiddleware())

    try routes(app)
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
