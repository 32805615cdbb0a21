import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import SQLKit
import ConveneTestSupport
import Testing

/// The outbox as the delivery worker's queue (issue 11): claims with a lease, retries with a
/// time, failure, resend, and one row per reminder and person; on SQLite and (in CI)
/// PostgreSQL, where several workers claim at once with FOR UPDATE SKIP LOCKED.
@Suite("Outbox queue")
struct OutboxQueueTests {
    static func queue(_ world: TestWorld, count: Int) async throws -> [UUID] {
        var ids: [UUID] = []
        for i in 0..<count {
            let row = OutboxMessage(organisationID: world.organisationID, kind: NoticeKind.invitation.rawValue,
                                    toEmail: "p\(i)@police.example", toName: "P \(i)", subject: "Invitation SD-2026-0042",
                                    body: "Open it: https://convene.example/x", discussionID: nil,
                                    messageID: "\(UUID().uuidString.lowercased())@convene.example")
            try await row.create(on: world.app.db)
            ids.append(row.id!)
        }
        return ids
    }

    @Test("A claimed row is leased to its worker; a second worker does not get it until the lease ends (a killed server), and then the first worker's late result is refused")
    func leaseAndKill() async throws {
        try await TestWorld.run { world in
            let db = world.app.db
            let ids = try await Self.queue(world, count: 3)
            let now = world.clock.now
            let a = OutboxQueue(worker: "a", lease: 300), b = OutboxQueue(worker: "b", lease: 300)
            let first = try await a.claim(limit: 2, now: now, on: db)
            #expect(first.map(\.id) == Array(ids.prefix(2)))
            #expect(first.allSatisfy { $0.status == .sending && $0.claimedBy == "a" && $0.attempts == 1 })
            #expect(try await b.claim(limit: 10, now: now, on: db).map(\.id) == [ids[2]])
            #expect(try await b.claim(limit: 10, now: now.addingTimeInterval(299), on: db).isEmpty)
            // a was killed holding two rows (and b too, holding one): after the lease, b takes all three.
            let retaken = try await b.claim(limit: 10, now: now.addingTimeInterval(301), on: db)
            #expect(retaken.map(\.id) == ids)
            #expect(retaken.allSatisfy { $0.attempts == 2 && $0.claimedBy == "b" })
            #expect(try await a.markSent(ids[0], transport: "smtp", providerReference: nil, now: now, on: db) == false)
            #expect(try await b.markSent(ids[0], transport: "smtp", providerReference: "250 queued as 7F", now: now, on: db))
            let sent = try #require(try await OutboxMessage.find(ids[0], on: db))
            #expect(sent.status == .sent && sent.providerReference == "250 queued as 7F" && sent.claimedBy == nil)
        }
    }

    @Test("A retry waits for its time; a failure stays failed until an administrator resends it")
    func retryFailResend() async throws {
        try await TestWorld.run { world in
            let db = world.app.db
            let ids = try await Self.queue(world, count: 1)
            let now = world.clock.now
            let q = OutboxQueue(worker: "w")
            _ = try await q.claim(limit: 1, now: now, on: db)
            #expect(try await q.retry(ids[0], error: "421 try later", retryAt: now.addingTimeInterval(60), on: db))
            #expect(try await q.claim(limit: 1, now: now.addingTimeInterval(59), on: db).isEmpty)
            #expect(try await q.claim(limit: 1, now: now.addingTimeInterval(60), on: db).first?.attempts == 2)
            #expect(try await q.fail(ids[0], error: "550 no such user", now: now, on: db))
            #expect(try await q.claim(limit: 1, now: now.addingTimeInterval(86_400), on: db).isEmpty)
            let failed = try #require(try await OutboxMessage.find(ids[0], on: db))
            #expect(failed.status == .failed && failed.lastError == "550 no such user")
            #expect(try await OutboxQueue.resend(ids[0], on: db))
            #expect(try await OutboxQueue.resend(ids[0], on: db) == false)
            let again = try await q.claim(limit: 1, now: now, on: db)
            #expect(again.first?.attempts == 1)
        }
    }

    @Test("One row per reminder and person: a second with the same key is refused by the database")
    func dedupeKey() async throws {
        try await TestWorld.run { world in
            let db = world.app.db
            func row() -> OutboxMessage {
                OutboxMessage(organisationID: world.organisationID, kind: NoticeKind.actionReminder.rawValue, toEmail: "a@b.example",
                              toName: "A", subject: "Due soon", body: "x", discussionID: nil, dedupeKey: "action/1/approaching/person")
            }
            try await row().create(on: db)
            await #expect(throws: (any Error).self) { try await row().create(on: db) }
        }
    }

    @Test("Four workers claiming at once take every row exactly once")
    func concurrentClaims() async throws {
        try await TestWorld.run { world in
            let db = world.app.db
            let ids = try await Self.queue(world, count: 40)
            let now = world.clock.now
            let claimed = try await withThrowingTaskGroup(of: [UUID].self) { group in
                for w in 0..<4 {
                    group.addTask {
                        var mine: [UUID] = []
                        while true {
                            let rows = try await OutboxQueue(worker: "w\(w)").claim(limit: 3, now: now, on: db)
                            if rows.isEmpty { return mine }
                            mine += rows.compactMap(\.id)
                        }
                    }
                }
                var all: [UUID] = []
                for try await part in group { all += part }
                return all
            }
            #expect(claimed.count == ids.count)
            #expect(Set(claimed) == Set(ids))
        }
    }
}
