import ConveneLifecycle
import Foundation
import Vapor

/// `convene serve --demo`: the demonstration authority (`DemoAuthority`) seeded into the
/// application's database, and its accounts printed.
enum DemoData {
    static let password = DemoAuthority.password
    static var accounts: [DemoAuthority.Account] { DemoAuthority.accounts }

    /// Seeds the demo authority if the database has no organisation yet. Returns whether it did.
    @discardableResult
    static func seedIfEmpty(_ app: Application, packID: String = ProcessInfo.processInfo.environment["CONVENE_DEMO_PACK"] ?? "bradford")
        async throws -> Bool
    {
        guard app.convene.packs.pack(packID) != nil else {
            throw ConfigurationError(message: "CONVENE_DEMO_PACK names no pack: \(packID)")
        }
        return try await DemoAuthority.seedIfEmpty(app.lifecycleContext(acting: .system("convene serve --demo")), packID: packID)
    }

    static func printWelcome(_ app: Application, url: String) {
        // Written straight to the file handle: print() is buffered when stdout is not a terminal.
        FileHandle.standardOutput.write(Data(DemoAuthority.welcome(url: url).utf8))
    }
}
