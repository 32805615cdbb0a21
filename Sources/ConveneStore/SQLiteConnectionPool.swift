import FluentKit
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit

/// Several connections to one SQLite file, so reads run side by side (issue 12).
///
/// FluentSQLiteDriver keeps exactly one connection per event loop of the group it is given and
/// runs every libsqlite3 call on the databases' thread pool. On the application's own group that
/// is one connection per core (two on a small server), and while one of them waits for a disk
/// flush (a change, or a batch of read-log entries) every request on its event loop waits too.
/// This configuration gives the driver its own group of `connections` event loops and a thread
/// pool of the same size, and hands each database it makes to the next of those loops in turn.
/// Each connection maps the file into memory for reading (`mmap_size`), so a page is read from the
/// operating system's cache without a copy. In write-ahead-log mode readers never wait for the writer; writers queue on SQLite's lock,
/// sleeping (a busy timeout, set on each connection before its first query) rather than
/// spinning, and the audit chain's own lock keeps the order of changes.
///
/// Reads outside a transaction go to as many connections again, of our own (`SQLiteReaders`,
/// through `PooledSQLiteDatabase`), which answer a query with two thread switches instead of
/// four and one more per row; Fluent's connections keep every change and transaction.
struct PooledSQLiteConfiguration: DatabaseConfiguration {
    var inner: any DatabaseConfiguration
    let connections: Int
    /// The file, for the connections that answer reads (`SQLiteReaders`).
    let path: String

    var middleware: [any AnyModelMiddleware] {
        get { inner.middleware }
        set { inner.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        PooledSQLiteDriver(inner: inner, connections: connections, path: path)
    }
}

/// How long a connection waits for SQLite's write lock before the change fails (milliseconds).
let sqliteBusyTimeoutMilliseconds = 10_000
/// How much of the file each connection maps into memory for reading (1 GiB).
let sqliteMemoryMapBytes = 1 << 30

final class PooledSQLiteDriver: DatabaseDriver {
    private let driver: any DatabaseDriver
    private let group: MultiThreadedEventLoopGroup
    private let threads: NIOThreadPool
    private let readers: SQLiteReaders

    init(inner: any DatabaseConfiguration, connections: Int, path: String) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: connections)
        threads = NIOThreadPool(numberOfThreads: connections)
        threads.start()
        readers = SQLiteReaders(path: path, capacity: connections, threads: threads, loops: group)
        driver = inner.makeDriver(for: Databases(threadPool: threads, on: group))
        // Each loop's pool holds one connection and serves its queries in order, so this is the
        // first thing each connection runs. A failure shows on the query that follows it.
        let logger = Logger(label: "convene.sqlite-pool")
        for loop in group.makeIterator() {
            let context = DatabaseContext(configuration: inner, logger: logger, eventLoop: loop)
            guard let sql = driver.makeDatabase(with: context) as? any SQLDatabase else { continue }
            _ = sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(sqliteBusyTimeoutMilliseconds))").run()
            // Reads straight from the operating system's cache of the file, shared by every
            // connection, instead of copying each page into the connection's own small cache.
            _ = sql.raw("PRAGMA mmap_size = \(unsafeRaw: String(sqliteMemoryMapBytes))").run()
        }
    }

    func makeDatabase(with context: DatabaseContext) -> any Database {
        let database = driver.makeDatabase(with: DatabaseContext(
            configuration: context.configuration, logger: context.logger, eventLoop: group.next(),
            history: context.history, pageSizeLimit: context.pageSizeLimit, shouldTrace: context.shouldTrace))
        guard let sqlite = database as? any Database & SQLDatabase & SQLiteDatabase else { return database }
        return PooledSQLiteDatabase(inner: sqlite, readers: readers)
    }

    func shutdown() {
        readers.closeBlocking()
        driver.shutdown()
        try? threads.syncShutdownGracefully()
        try? group.syncShutdownGracefully()
    }

    func shutdownAsync() async {
        await readers.close()
        await driver.shutdownAsync()
        try? await threads.shutdownGracefully()
        try? await group.shutdownGracefully()
    }
}
