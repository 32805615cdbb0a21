import ConveneStore
import Vapor

/// `convene serve`.
public enum ConveneServer {
    public static func run(options: ConveneOptions) async throws {
        // Vapor's own command line must not see ours: it runs `serve` with the options above.
        let env = Environment(name: ProcessInfo.processInfo.environment["CONVENE_ENV"] ?? "production",
                              arguments: ["convene", "serve"])
        let app = try await Application.make(env)
        app.http.server.configuration.hostname = options.hostname
        app.http.server.configuration.port = options.port
        do {
            try await configure(app, options: options)
            let url = "http://\(options.hostname):\(options.port)/"
            app.logger.notice("Convene: \(options.database), \(url)")
            if options.demo {
                try await DemoData.seedIfEmpty(app)
                DemoData.printWelcome(app, url: url)
            }
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
