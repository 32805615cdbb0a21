import ConveneStore
import Vapor

/// `convene serve`.
public enum ConveneServer {
    public static func run(options: ConveneOptions) async throws {
        var env = try Environment.detect(arguments: ["convene"])
        if env.name == Environment.development.name {
            env = .production
        }
        let app = try await Application.make(env)
        app.http.server.configuration.hostname = options.hostname
        app.http.server.configuration.port = options.port
        do {
            try await configure(app, options: options)
            app.logger.notice("Convene: \(options.database), http://\(options.hostname):\(options.port)/")
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
