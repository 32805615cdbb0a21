import FluentKit
import FluentSQL
import FluentSQLiteDriver
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Connections of our own to a SQLite file that answer the reads made outside a transaction
/// (issue 12).
///
/// FluentSQLiteDriver runs a query by hopping to its pool's event loop to lease a connection,
/// then to the thread pool for libsqlite3, then sends every row back to the event loop as a task
/// of its own before the caller resumes: four thread switches for a row, one more per row after
/// it. A profile of one discussion's API read (about ten queries) had a quarter of the server's
/// time in the kernel switching threads. Here a connection is leased under a lock, and the query
/// runs through SQLiteNIO's `async` call, which steps every row on the pool's thread and resumes
/// the caller once: two switches a query, whatever the number of rows.
///
/// Only `SELECT` statements come here; changes, transactions and `PRAGMA`s stay on Fluent's own
/// connections. In write-ahead-log mode a read outside a transaction sees every transaction
/// committed before it starts, on any connection, so which connection answers a read changes
/// nothing it returns.
final class SQLiteReaders: Sendable {
    private struct State {
        var idle: [SQLiteConnection] = []
        /// Connections open or being opened.
        var opened = 0
        /// Connections leased or being opened: shutting down waits for them to come back.
        var busy = 0
        var waiting: [CheckedContinuation<SQLiteConnection, any Error>] = []
        var drained: CheckedContinuation<Void, Never>?
        var closed = false
    }

    private let path: String
    private let capacity: Int
    private let threads: NIOThreadPool
    private let loops: any EventLoopGroup
    private let logger = Logger(label: "convene.sqlite-readers")
    private let state = NIOLockedValueBox(State())

    init(path: String, capacity: Int, threads: NIOThreadPool, loops: any EventLoopGroup) {
        self.path = path
        self.capacity = max(capacity, 1)
        self.threads = threads
        self.loops = loops
    }

    /// How many connections are open (for the tests).
    var openConnections: Int { state.withLockedValue { $0.opened } }

    /// Runs `body` with a connection of its own, opening one while fewer than `capacity` are
    /// open, else waiting for one to be returned.
    func withConnection<T: Sendable>(_ body: (SQLiteConnection) async throws -> T) async throws -> T {
        let connection = try await lease()
        do {
            let result = try await body(connection)
            release(connection)
            return result
        } catch {
            release(connection)
            throw error
        }
    }

    private enum Lease {
        case ready(SQLiteConnection)
        case open
        case wait
        case closed
    }

    private func lease() async throws -> SQLiteConnection {
        let lease: Lease = state.withLockedValue { state in
            if state.closed { return .closed }
            if let connection = state.idle.popLast() {
                state.busy += 1
                return .ready(connection)
            }
            if state.opened < capacity {
                state.opened += 1
                state.busy += 1
                return .open
            }
            return .wait
        }
        switch lease {
        case let .ready(connection):
            return connection
        case .closed:
            throw SQLiteReadersClosed()
        case .open:
            do {
                return try await open()
            } catch {
                let drained = state.withLockedValue { state in
                    state.opened -= 1
                    return Self.returned(&state)
                }
                drained?.resume()
                throw error
            }
        case .wait:
            return try await withCheckedThrowingContinuation { continuation in
                let ready: Result<SQLiteConnection, any Error>? = state.withLockedValue { state in
                    if state.closed { return .failure(SQLiteReadersClosed()) }
                    if let connection = state.idle.popLast() {
                        state.busy += 1
                        return .success(connection)
                    }
                    state.waiting.append(continuation)
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        }
    }

    /// A leased connection is back: the next waiter's (still leased), or idle.
    private func release(_ connection: SQLiteConnection) {
        let (waiter, drained): (CheckedContinuation<SQLiteConnection, any Error>?, CheckedContinuation<Void, Never>?) =
            state.withLockedValue { state in
                if !state.closed, !state.waiting.isEmpty { return (state.waiting.removeFirst(), nil) }
                state.idle.append(connection)
                return (nil, Self.returned(&state))
            }
        waiter?.resume(returning: connection)
        drained?.resume()
    }

    /// One connection less out; when shutting down and none is left out, who waits for that.
    private static func returned(_ state: inout State) -> CheckedContinuation<Void, Never>? {
        state.busy -= 1
        guard state.closed, state.busy == 0 else { return nil }
        defer { state.drained = nil }
        return state.drained
    }

    /// A connection set up as Fluent's are (foreign keys on), with the pool's busy timeout and
    /// memory map (`PooledSQLiteDriver`). Opened in a task of its own: the thread pool refuses
    /// work for a cancelled task (a request whose client went away), and a connection opened but
    /// then neither set up nor closed would be dropped open.
    private func open() async throws -> SQLiteConnection {
        try await Task { try await self.openUncancelled() }.value
    }

    private func openUncancelled() async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), threadPool: threads, logger: logger,
                                                         on: loops.next())
        do {
            _ = try await connection.query("PRAGMA foreign_keys = ON")
            _ = try await connection.query("PRAGMA busy_timeout = \(sqliteBusyTimeoutMilliseconds)")
            _ = try await connection.query("PRAGMA mmap_size = \(sqliteMemoryMapBytes)")
        } catch {
            try? await connection.close()
            throw error
        }
        return connection
    }

    /// Refuses new leases, waits for the connections out to come back (a read in progress
    /// finishes first), then closes them all. Call before the thread pool stops.
    func close() async {
        let waiting = state.withLockedValue { state in
            state.closed = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for waiter in waiting { waiter.resume(throwing: SQLiteReadersClosed()) }
        await withCheckedContinuation { (drained: CheckedContinuation<Void, Never>) in
            let done = state.withLockedValue { state in
                if state.busy == 0 { return true }
                state.drained = drained
                return false
            }
            if done { drained.resume() }
        }
        for connection in takeIdle() { try? await connection.close() }
    }

    /// `close()` for a synchronous shutdown, which blocks its thread anyway.
    func closeBlocking() {
        let waiting = state.withLockedValue { state in
            state.closed = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for waiter in waiting { waiter.resume(throwing: SQLiteReadersClosed()) }
        // Reads in progress finish within moments; a connection still out after a minute is
        // left to the process's exit.
        for _ in 0..<600 where state.withLockedValue({ $0.busy > 0 }) { usleep(100_000) }
        for connection in takeIdle() { try? connection.close().wait() }
    }

    private func takeIdle() -> [SQLiteConnection] {
        state.withLockedValue { state in
            defer { state.idle = [] }
            return state.idle
        }
    }
}

struct SQLiteReadersClosed: Error, CustomStringConvertible {
    var description: String { "The database is shut down." }
}

/// A database of the SQLite pool: Fluent's own (`inner`) for everything but the reads made
/// outside a transaction, which `SQLiteReaders` answers (the same rows, decoded the same way).
struct PooledSQLiteDatabase: Database, SQLDatabase, SQLiteDatabase {
    let inner: any Database & SQLDatabase & SQLiteDatabase
    let readers: SQLiteReaders
    private let encoder = SQLiteDataEncoder()
    private let decoder = SQLiteDataDecoder()

    init(inner: any Database & SQLDatabase & SQLiteDatabase, readers: SQLiteReaders) {
        self.inner = inner
        self.readers = readers
    }

    // Database

    var context: DatabaseContext { inner.context }
    var inTransaction: Bool { inner.inTransaction }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> {
        switch query.action {
        case .read, .aggregate where !inner.inTransaction: break
        default: return inner.execute(query: query, onOutput: onOutput)
        }
        let expression = SQLQueryConverter(delegate: ReadConverterDelegate()).convert(query)
        return inner.eventLoop.makeFutureWithTask {
            try await self.execute(sql: expression) { onOutput(RowOutput(row: $0, schema: nil)) }
        }
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { inner.execute(schema: schema) }
    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { inner.execute(enum: `enum`) }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        inner.transaction(closure)
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        inner.withConnection(closure)
    }

    // SQLDatabase

    var logger: Logger { inner.logger }
    var eventLoop: any EventLoop { inner.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { inner.version }
    var dialect: any SQLDialect { inner.dialect }
    var queryLogLevel: Logger.Level? { inner.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        inner.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        guard !inner.inTransaction, Self.isRead(sql) else {
            return try await inner.execute(sql: query, onRow)
        }
        let values = try binds.map { try encoder.encode($0) }
        let decoder = decoder
        try await readers.withConnection { connection in
            try await connection.query(sql, values) { onRow($0.sql(decoder: decoder)) }
        }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await inner.withSession(closure)
    }

    // SQLiteDatabase

    func query(_ query: String, _ binds: [SQLiteData], logger: Logger, _ onRow: @escaping @Sendable (SQLiteRow) -> Void)
        -> EventLoopFuture<Void>
    {
        inner.query(query, binds, logger: logger, onRow)
    }

    func query(_ query: String, _ binds: [SQLiteData], _ onRow: @escaping @Sendable (SQLiteRow) -> Void) async throws {
        try await inner.query(query, binds, onRow)
    }

    func withConnection<T>(_ closure: @escaping @Sendable (SQLiteConnection) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        inner.withConnection(closure)
    }

    func withConnection<T>(_ closure: @escaping @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        try await inner.withConnection(closure)
    }

    /// A statement that only reads: it begins with `SELECT` (ours and SQLKit's and Fluent's
    /// reads all do); `WITH`, `PRAGMA` and every change go to Fluent's connections.
    static func isRead(_ sql: String) -> Bool {
        sql.utf8.starts(with: "SELECT ".utf8)
    }
}

/// FluentSQLiteDriver's names for column types: only a schema uses them, never a read, but the
/// converter asks for a delegate.
private struct ReadConverterDelegate: SQLConverterDelegate {
    func customDataType(_ dataType: DatabaseSchema.DataType) -> (any SQLExpression)? {
        switch dataType {
        case .string, .enum: SQLRaw("TEXT")
        case .datetime: SQLRaw("REAL")
        case .int64: SQLRaw("INTEGER")
        default: nil
        }
    }
}

/// A row as Fluent's models read it (columns named by field key, prefixed by the schema where
/// Fluent qualifies them), as FluentSQLiteDriver's own output does.
private struct RowOutput: DatabaseOutput {
    let row: any SQLRow
    let schema: String?

    var description: String { String(describing: row) }

    private func column(_ key: FieldKey) -> String {
        (schema.map { .prefix(.prefix(.string($0), "_"), key) } ?? key).description
    }

    func schema(_ schema: String) -> any DatabaseOutput { RowOutput(row: row, schema: schema) }
    func contains(_ key: FieldKey) -> Bool { row.contains(column: column(key)) }
    func decodeNil(_ key: FieldKey) throws -> Bool { try row.decodeNil(column: column(key)) }
    func decode<T: Decodable>(_ key: FieldKey, as: T.Type) throws -> T { try row.decode(column: column(key), as: T.self) }
}
