import ArgumentParser
import ConveneWeb
import Foundation

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the web application and JSON API.")

    @Option(help: "Address to listen on.")
    var hostname = ProcessInfo.processInfo.environment["CONVENE_HOST"] ?? "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = Int(ProcessInfo.processInfo.environment["CONVENE_PORT"] ?? "") ?? 8080

    func run() async throws {
        try await ConveneServer.run(hostname: hostname, port: port)
    }
}
