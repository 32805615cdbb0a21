@testable import ConveneStore
@testable import ConveneWeb
import ConveneCore
import ConveneTestSupport
import FluentKit
import Foundation
import SQLKit
import Testing
import Vapor

/// The connections that answer reads outside a transaction on a SQLite file (`SQLiteReaders`,
/// issue 12): set up as Fluent's own, the same rows as Fluent's, never a transaction's
/// uncommitted writes, and no read lost when more arrive at once than there are connections.
/// On PostgreSQL (CI's second run) there is nothing of this to test.
@Suite("SQLite read connections")
struct SQLiteReadersTests {
    struct Value: Decodable { let v: Int }
    struct Reference: Decodable { let reference: String }

    /// The pooled database on SQLite; nil on PostgreSQL (where a SQLite world without it fails).
    static func pooled(_ world: TestWorld) -> PooledSQLiteDatabase? {
        let pooled = world.app.db as? PooledSQLiteDatabase
        #expect(pooled != nil || TestDatabase.postgresURL != nil, "a SQLite file's reads go through the read connections")
        return pooled
    }

    static func value(_ sql: SQLQueryString, _ db: any Database) async throws -> Int? {
        try await (db as! any SQLDatabase).raw(sql).first(decoding: Value.self)?.v
    }

    static func newCase(_ world: TestWorld, _ reference: String) -> Case {
        let request = DiscussionRequest(caseType: .newReferral, urgency: .standard, concernReceivedAt: at("2026-10-25T00:30:00Z"),
                                        presentingIssue: "Readers", rationale: "s47")
        return Case(id: UUID(), organisationID: world.organisationID, teamID: world.teamID, reference: reference, request: request)
    }

    @Test("A read outside a transaction goes to a connection set up like Fluent's: foreign keys on, the pool's busy timeout")
    func setUpLikeFluent() async throws {
        try await TestWorld.run { world in
            guard let pooled = Self.pooled(world) else { return }
            let foreignKeys = try await Self.value("SELECT foreign_keys AS v FROM pragma_foreign_keys", pooled)
            let busyTimeout = try await Self.value("SELECT timeout AS v FROM pragma_busy_timeout", pooled)
            #expect(foreignKeys == 1)
            #expect(busyTimeout == sqliteBusyTimeoutMilliseconds)
            #expect(pooled.readers.openConnections >= 1, "the reads above were answered by the read connections")
            #expect(pooled.readers.openConnections <= 3, "no more than the pool's size (CONVENE_SQLITE_CONNECTIONS)")
        }
    }

    @Test("Fluent's queries, SQLKit's and our own read the same rows through them, counts and firsts included")
    func sameRows() async throws {
        try await TestWorld.run { world in
            guard let pooled = Self.pooled(world) else { return }
            let db: any Database = pooled
            for n in 0..<5 { try await Self.newCase(world, "SD-2026-R\(n)").create(on: db) }
            let fluent = try await Case.query(on: db).filter(\.$reference ~~ (0..<5).map { "SD-2026-R\($0)" }).sort(\.$reference).all()
            #expect(fluent.map(\.reference) == (0..<5).map { "SD-2026-R\($0)" })
            #expect(try await Case.query(on: db).filter(\.$reference == "SD-2026-R3").count() == 1)
            let found = try #require(try await Case.find(fluent[2].id, on: db))
            #expect(found.reference == "SD-2026-R2" && found.caseType == .newReferral && found.concernReceivedAt == at("2026-10-25T00:30:00Z"))
            let ours = try await Rows.all(Case.self, "reference LIKE 'SD-2026-R%' ORDER BY reference", on: db)
            #expect(ours.map(\.id) == fluent.map(\.id))
            // A model read this way is one Fluent can save: only its change is written.
            ours[0].reference = "SD-2026-R9"
            try await ours[0].save(on: db)
            #expect(try await Case.query(on: db).filter(\.$reference == "SD-2026-R9").count() == 1)
            #expect(pooled.readers.openConnections >= 1)
        }
    }

    @Test("A transaction reads its own changes; reads outside it see them only once it commits, and never after a rollback")
    func transactionsKeepTheirOwn() async throws {
        try await TestWorld.run { world in
            guard Self.pooled(world) != nil else { return }
            let db = world.app.db
            let count: SQLQueryString = "SELECT COUNT(*) AS v FROM cases WHERE reference LIKE 'SD-2026-T%'"
            try await db.transaction { tx in
                try await Self.newCase(world, "SD-2026-T1").create(on: tx)
                #expect(try await Self.value(count, tx) == 1, "the transaction's own connection")
                #expect(try await Case.query(on: tx).filter(\.$reference == "SD-2026-T1").count() == 1)
                #expect(try await Self.value(count, db) == 0, "not committed yet")
            }
            #expect(try await Self.value(count, db) == 1, "committed")
            await #expect(throws: (any Error).self) {
                try await db.transaction { tx in
                    try await Self.newCase(world, "SD-2026-T2").create(on: tx)
                    throw Abort(.conflict)
                }
            }
            #expect(try await Self.value(count, db) == 1, "rolled back")
        }
    }

    @Test("Forty reads at once on three connections all finish, each with its own answer")
    func moreReadsThanConnections() async throws {
        try await TestWorld.run { world in
            guard let pooled = Self.pooled(world) else { return }
            let answers = try await withThrowingTaskGroup(of: (Int, Int?).self) { group in
                for n in 0..<40 {
                    group.addTask { (n, try await Self.value("SELECT \(bind: n) * 2 AS v", pooled)) }
                }
                return try await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
            }
            #expect(answers.count == 40)
            #expect(answers.allSatisfy { $0.value == $0.key * 2 })
            #expect(pooled.readers.openConnections == 3)
        }
    }

    @Test("Cancelled reads while connections open leave none dropped open; once shut down, a read is refused with an error, not a crash")
    func closedRefuses() async throws {
        let directory = try TestDatabase.makeDirectory()
        defer { TestDatabase.remove(directory) }
        let path = directory.appendingPathComponent("readers.sqlite").path
        let threads = NIOThreadPool(numberOfThreads: 2)
        threads.start()
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let readers = SQLiteReaders(path: path, capacity: 2, threads: threads, loops: loops)
        // Reads whose tasks are cancelled (a client gone) while the connections are first opened:
        // each fails or finishes, and every connection opened is kept set up, not dropped open.
        let cancelled = (0..<6).map { _ in
            Task { try await readers.withConnection { try await $0.query("SELECT 1 AS v") }.count }
        }
        for task in cancelled { task.cancel() }
        for task in cancelled { _ = try? await task.value }
        #expect(readers.openConnections <= 2)
        let one = try await readers.withConnection { try await $0.query("SELECT 1 AS v") }
        #expect(one.count == 1)
        await readers.close()
        await #expect(throws: SQLiteReadersClosed.self) {
            _ = try await readers.withConnection { try await $0.query("SELECT 1 AS v") }
        }
        try await threads.shutdownGracefully()
        try await loops.shutdownGracefully()
    }
}
