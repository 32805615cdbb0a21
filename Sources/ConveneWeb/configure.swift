import Fluent
import Leaf
import Vapor

public func configure(_ app: Application) async throws {
    app.get("healthz") { _ in "ok" }
}

public enum ConveneServer {
    public static func run(hostname: String, port: Int) async throws {
        let app = try await Application.make(.detect(arguments: ["convene", "serve"]))
        app.http.server.configuration.hostname = hostname
        app.http.server.configuration.port = port
        do {
            try await configure(app)
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
