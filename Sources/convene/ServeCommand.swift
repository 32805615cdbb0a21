import ArgumentParser
import ConveneStore
import ConveneWeb
import Foundation

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the web application and JSON API (http://127.0.0.1:8080 by default).")

    @Option(help: "Address to listen on (CONVENE_HOST).")
    var hostname = ProcessInfo.processInfo.environment["CONVENE_HOST"] ?? "127.0.0.1"

    @Option(help: "Port to listen on (CONVENE_PORT).")
    var port = Int(ProcessInfo.processInfo.environment["CONVENE_PORT"] ?? "") ?? 8080

    @Option(help: "Database: a postgres:// URL, or a SQLite file path (sqlite:PATH or PATH; DATABASE_URL; default convene.sqlite).")
    var database: String?

    @Flag(help: "Seed a demonstration authority, people of every role and discussions at every stage (if empty).")
    var demo = false

    @Option(help: "The address people reach Convene at, for links in messages (CONVENE_PUBLIC_URL; default the listening address).")
    var publicURL: String?

    func run() async throws {
        var options = try ConveneOptions.fromEnvironment()
        options.hostname = hostname
        options.port = port
        options.demo = demo
        if let publicURL { options.publicURL = publicURL }
        options.mail = try MailSettings.fromEnvironment()
        if let database {
            options.database = DatabaseLocation.parse(database)
        }
        try await ConveneServer.run(options: options)
    }
}
