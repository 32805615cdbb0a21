import Vapor

extension Application {
    struct OIDCDirectoryKey: StorageKey {
        typealias Value = OIDCDirectory
    }

    /// The directories' discovery documents and keys, and the HTTP client that fetches them.
    var oidcDirectory: OIDCDirectory {
        guard let directory = storage[OIDCDirectoryKey.self] else { fatalError("configure(_:options:) was not called") }
        return directory
    }

    func useOIDCDirectory() async {
        await storage.setWithAsyncShutdown(OIDCDirectoryKey.self, to: OIDCDirectory()) { try await $0.http.shutdown() }
    }
}
