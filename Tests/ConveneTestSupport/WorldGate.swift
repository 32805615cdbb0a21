import Foundation

/// Lets a bounded number of test worlds exist at once. Swift Testing starts every test of the
/// run together; each world holds a database (SQLite files or PostgreSQL connections), so
/// without a bound a full run held over 1,500 file descriptors, and Foundation's
/// `Process.run()` (the tests' Python peers) crashed copying them.
public actor WorldGate {
    /// Worlds on SQLite: a few files each.
    public static let sqlite = WorldGate(limit: 16)
    /// Worlds on PostgreSQL: a pool of connections each, within the server's max_connections.
    public static let postgres = WorldGate(limit: 6)

    /// The gate for this run's database: PostgreSQL when CONVENE_TEST_POSTGRES_URL is set.
    public static var forThisRun: WorldGate { TestDatabase.postgresURL == nil ? sqlite : postgres }

    private let limit: Int
    private var inside = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(limit: Int) {
        self.limit = limit
    }

    public func enter() async {
        if inside < limit {
            inside += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    public func leave() {
        if waiting.isEmpty {
            inside -= 1
        } else {
            // Hand the place straight to the next in line.
            waiting.removeFirst().resume()
        }
    }

}

/// Where a test world keeps its database.
public enum TestDatabase {
    /// The PostgreSQL server the tests use, if any (as CI runs them).
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["CONVENE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A fresh directory for one world's SQLite file, removed by `remove(_:)`. A file of its
    /// own rather than SQLite "in memory": SQLiteKit fakes in-memory databases with files in
    /// the system's temporary directory that it never deletes (gigabytes over a few runs).
    public static func makeDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("convene-test-" + UUID().uuidString.lowercased(), isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    public static func remove(_ directory: URL) {
        try? FileManager.default.removeItem(at: directory)
    }
}
