import ConveneCore
import ConveneDelivery
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import ConveneTestSupport
import Testing

/// The outbox sent end to end (issue 11): the operations write notices, the delivery worker
/// sends them through the real SMTP transport to aiosmtpd, and Python's `email` and
/// `icalendar` read what arrived.
@Suite("Delivery of the outbox", .enabled(if: MailPeer.available, MailPeer.missing))
struct DeliveryTests {
    static func worker(port: Int, backoff: [TimeInterval] = [60, 300]) throws -> DeliveryWorker {
        DeliveryWorker(queue: OutboxQueue(worker: "test"),
                       transport: try SMTPTransport(SMTPConfiguration(url: "smtp://127.0.0.1:\(port)?starttls=off&helo=convene.test")),
                       from: try MailAddress(name: "Northtown Children's Services", address: "convene@northtown.example"),
                       backoff: backoff)
    }

    @Test("REQ-001-03, RFC 5545: book → rearrange → cancel reaches each invitee as a REQUEST, a REQUEST with a higher SEQUENCE, then a CANCEL, all with one UID, personal links and nothing of the child")
    func bookRearrangeCancel() async throws {
        try await TestWorld.run { world in
            let mail = try await MailPeer()
            let worker = try Self.worker(port: mail.port)
            let db = world.app.db
            // Book and send the invitations (advance does both), then deliver.
            let id = try await world.makeDiscussion(at: .booked, childName: "Amelia Rose Hart")
            try await worker.run(on: db) { world.clock.now }
            let invitations = try await Invitation.query(on: db).filter(\.$discussion.$id == id).filter(\.$invited == true).all()
            let addressed = Set(invitations.map(\.email).filter { !$0.isEmpty })
            var received = try mail.received()
            // The request to the team manager and the decision to the requester came first.
            let invited = received.filter { $0.calendar != nil }
            let before = received.count
            #expect(before - invited.count == 2)
            #expect(Set(invited.map(\.to_address)) == addressed)
            #expect(invited.allSatisfy { $0.calendar?.method == "REQUEST" && $0.calendar?.sequence == 0 })
            let uid = try #require(invited.first?.calendar?.uid)
            #expect(uid.hasPrefix(id.uuidString.lowercased()))

            // Rearrange with the service manager's agreement.
            let minutes = try await world.browser(.minuteTaker)
            let old = try await world.discussion(id).slotStart
            let slot = try #require(try await world.offeredSlots(id, as: minutes).first { RFC3339.parse($0) != old })
            let moved = try await minutes.post("/discussions/\(id.slug)/booking", [
                ("slot", slot), ("format", "virtual"), ("details", "Video link"), ("chair", world.people[.teamManager]!.slug),
                ("version", try await world.version(id)), ("agreedBy", world.people[.serviceManager]!.slug),
                ("reason", "Police unavailable at the first time"),
            ])
            #expect(moved.status == .seeOther, "\(moved.summary)")
            try await worker.run(on: db) { world.clock.now }
            received = try mail.received()
            let rearranged = Array(received.dropFirst(before))
            #expect(Set(rearranged.map(\.to_address)) == addressed)
            #expect(rearranged.allSatisfy { $0.calendar?.method == "REQUEST" && $0.calendar?.sequence == 1 && $0.calendar?.uid == uid })
            #expect(rearranged.allSatisfy { $0.subject.hasPrefix("Moved:") })

            // Cancel.
            try await minutes.get("/discussions/\(id.slug)/booking")
            let cancelled = try await minutes.post("/discussions/\(id.slug)/cancel", [
                ("cancelAgreedBy", world.people[.serviceManager]!.slug), ("cancelReason", "Family moved out of the area"),
                ("version", try await world.version(id)),
            ])
            #expect(cancelled.status == .seeOther, "\(cancelled.summary)")
            try await worker.run(on: db) { world.clock.now }
            received = try mail.received()
            let cancellations = Array(received.dropFirst(before + addressed.count))
            #expect(Set(cancellations.map(\.to_address)) == addressed)
            #expect(cancellations.allSatisfy {
                $0.calendar?.method == "CANCEL" && $0.calendar?.sequence == 2 && $0.calendar?.uid == uid && $0.calendar?.status == "CANCELLED"
            })

            // Every message: its own Message-ID, the reference, a link from the public address, no child.
            #expect(Set(received.map(\.message_id)).count == received.count)
            #expect(received.allSatisfy { $0.reference?.hasPrefix("SD-") == true })
            let child = MessageContentPolicy.child(name: "Amelia Rose Hart", dateOfBirth: day("2019-03-14"))
            for m in received {
                let read = try OutgoingMessage(messageID: "x@y", kind: .invitation, date: world.clock.now,
                                               from: try MailAddress(address: "a@b.example"), to: try MailAddress(address: m.to_address),
                                               subject: m.subject, text: m.text)
                #expect(child.findings(in: read).isEmpty, "\(m.subject): \(child.findings(in: read))")
                #expect(m.text.contains("http://127.0.0.1:8080/"), "no link from the public address in \(m.subject)")
            }
            let rows = try await OutboxMessage.query(on: db).filter(\.$discussionID == id).all()
            #expect(rows.allSatisfy { $0.status == .sent && $0.transport == "smtp" && $0.sentAt != nil })
        }
    }

    @Test("A refused recipient fails at once; a server that drops the connection is retried with back-off, then failed after the last try")
    func refusedAndDropped() async throws {
        try await TestWorld.run { world in
            let db = world.app.db
            func queue(_ email: String) async throws -> UUID {
                let id = UUID()
                try await OutboxMessage(id: id, organisationID: world.organisationID, kind: "invitation", toEmail: email, toName: "X",
                                        subject: "Invitation SD-2026-0001", body: "Open it: http://127.0.0.1/x", discussionID: nil,
                                        messageID: "\(id.uuidString.lowercased())@northtown.example").create(on: db)
                return id
            }
            let refusing = try await MailPeer(["--refuse", "nobody@police.example"])
            let refused = try await queue("nobody@police.example")
            try await Self.worker(port: refusing.port).run(on: db) { world.clock.now }
            let row = try #require(try await OutboxMessage.find(refused, on: db))
            #expect(row.status == .failed && row.attempts == 1)
            #expect(row.lastError?.isEmpty == false)

            let dropping = try await MailPeer(["--drop-after-data"])
            let dropped = try await queue("pc.jones@police.example")
            let worker = try Self.worker(port: dropping.port, backoff: [60, 300])
            try await worker.run(on: db) { world.clock.now }
            var state = try #require(try await OutboxMessage.find(dropped, on: db))
            #expect(state.status == .queued && state.attempts == 1 && state.nextAttemptAt == world.clock.now.addingTimeInterval(60))
            world.clock.advance(60)
            try await worker.run(on: db) { world.clock.now }
            state = try #require(try await OutboxMessage.find(dropped, on: db))
            #expect(state.status == .queued && state.attempts == 2 && state.nextAttemptAt == world.clock.now.addingTimeInterval(300))
            world.clock.advance(300)
            try await worker.run(on: db) { world.clock.now }
            state = try #require(try await OutboxMessage.find(dropped, on: db))
            #expect(state.status == .failed && state.attempts == 3 && state.failedAt != nil)
            // An administrator resends it once the relay is fixed.
            #expect(try await OutboxQueue.resend(dropped, on: db))
            let fixed = try await MailPeer()
            try await Self.worker(port: fixed.port).run(on: db) { world.clock.now }
            #expect(try await OutboxMessage.find(dropped, on: db)?.status == .sent)
            #expect(try fixed.received().map(\.to_address) == ["pc.jones@police.example"])
        }
    }

    @Test("Two servers' workers on one database deliver each of 30 messages exactly once (on PostgreSQL with FOR UPDATE SKIP LOCKED)")
    func twoWorkers() async throws {
        try await TestWorld.run { world in
            let db = world.app.db
            for i in 0..<30 {
                let id = UUID()
                try await OutboxMessage(id: id, organisationID: world.organisationID, kind: "invitation", toEmail: "p\(i)@police.example",
                                        toName: "P \(i)", subject: "Invitation SD-2026-0001", body: "Open it: http://127.0.0.1/x",
                                        discussionID: nil, messageID: "\(id.uuidString.lowercased())@northtown.example").create(on: db)
            }
            let mail = try await MailPeer()
            let transport = try SMTPTransport(SMTPConfiguration(url: "smtp://127.0.0.1:\(mail.port)?starttls=off&helo=convene.test"))
            let from = try MailAddress(address: "convene@northtown.example")
            let workers = ["server-a", "server-b"].map {
                DeliveryWorker(queue: OutboxQueue(worker: $0), transport: transport, from: from, batchSize: 3)
            }
            let clock = world.clock
            try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in workers { group.addTask { try await worker.run(on: db) { clock.now } } }
                try await group.waitForAll()
            }
            let received = try mail.received()
            #expect(received.count == 30)
            #expect(Set(received.map(\.message_id)).count == 30)
            let rows = try await OutboxMessage.query(on: db).all()
            #expect(rows.allSatisfy { $0.status == .sent && $0.attempts == 1 })
        }
    }

    @Test("Every message a discussion's journey writes (request, decision, invitations, minutes) names its reference, links to the public address, and carries nothing of the child")
    func journeyMessagesCarryNothingOfTheChild() async throws {
        try await TestWorld.run { world in
            _ = try await world.makeDiscussion(at: .circulated, childName: "Amelia Rose Hart")
            let rows = try await OutboxMessage.query(on: world.app.db).all()
            let kinds = Set(rows.map(\.kind))
            #expect(kinds.isSuperset(of: ["new-request", "request-decision", "invitation", "minutes"]), "\(kinds)")
            #expect(rows.first { $0.kind == "new-request" }?.toEmail == Who.teamManager.email)
            #expect(rows.first { $0.kind == "request-decision" }?.toEmail == Who.socialWorker.email)
            let child = MessageContentPolicy.child(name: "Amelia Rose Hart", dateOfBirth: day("2019-03-14"))
            for row in rows {
                let message = try OutgoingMessage(messageID: row.messageID ?? "x@y", kind: MessageKind(row.kind), date: world.clock.now,
                                                  from: try MailAddress(address: "a@b.example"), to: try MailAddress(address: row.toEmail),
                                                  subject: row.subject, text: row.body,
                                                  calendar: row.calendarICS.map { CalendarPart(method: row.calendarMethod == "CANCEL" ? .cancel : .request, ics: $0) },
                                                  reference: row.reference)
                #expect(child.findings(in: message).isEmpty, "\(row.kind): \(child.findings(in: message))")
                #expect(row.body.contains("http://127.0.0.1:8080/"), "\(row.kind) has no link from the public address")
                #expect(row.reference?.hasPrefix("SD-") == true, "\(row.kind) has no reference")
            }
        }
    }
}
