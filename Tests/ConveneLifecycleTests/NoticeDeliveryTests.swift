import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import Testing

/// Issue 11 at the lifecycle: each operation writes its notices in its own transaction, to the
/// people who need them, with links from the public address and nothing of the child.
@Suite("Notices written by the operations (issue 11)")
struct NoticeDeliveryTests {
    func rows(_ world: LifecycleWorld, _ kind: NoticeKind) async throws -> [OutboxMessage] {
        try await OutboxMessage.query(on: world.db).filter(\.$kind == kind.rawValue).sort(\.$createdAt).sort(\.$toEmail).all()
    }

    static func childFree(_ text: String) -> Bool {
        !text.contains("Amira") && !text.contains("Khan") && !text.contains("2019-03-14") && !text.contains("14 March 2019")
            && !text.contains("Bruising")
    }

    @Test("REQ-001-02: a new request reaches the team's own managers only; the decision reaches the requester")
    func requestAndDecision() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let requests = try await rows(world, .newRequest)
            #expect(requests.map(\.toEmail) == [Who.teamManager.email])
            #expect(requests.allSatisfy { $0.body.contains("https://convene.test/discussions/\(id.slug)/decision") && $0.status == .queued })
            #expect(requests.first?.messageID?.hasSuffix("@convene.test") == true)
            try await world.advance(id, to: .awaitingBooking)
            let decisions = try await rows(world, .requestDecision)
            #expect(decisions.map(\.toEmail) == [Who.socialWorker.email])
            #expect(decisions.first?.subject.hasPrefix("Convened:") == true)
            for row in try await OutboxMessage.query(on: world.db).all() {
                #expect(Self.childFree(row.subject + row.body), "\(row.kind)")
            }
        }
    }

    @Test("Gap 3: an invitee without an account gets a personal link in the invitation, the rearrangement and the cancellation, each one that opens; the calendar keeps its UID and raises its SEQUENCE; nothing of the child")
    func rearrangeAndCancelCarryThePersonalLink() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .awaitingBooking)
            try await world.book(id)
            let manage = try await world.load(id, as: .minuteTaker, for: .manageInvitations)
            _ = try await Operations.addInvitation(world.ctx(.minuteTaker), manage,
                                                   .init(personID: nil, name: "Dr Ayo", email: "ayo@nhs.example", agency: "health"))
            try await Operations.sendInvitations(world.ctx(.minuteTaker), try await world.load(id, as: .minuteTaker, for: .manageInvitations))
            func token(_ row: OutboxMessage?) -> String? {
                guard let body = row?.body, let range = body.range(of: "https://convene.test/access/") else { return nil }
                return String(body[range.upperBound...].prefix { !$0.isWhitespace })
            }
            let invitation = try #require(try await rows(world, .invitation).first { $0.toEmail == "ayo@nhs.example" })
            let first = try #require(token(invitation))
            #expect(try await Operations.personalLinkValid(world.ctx(nil), token: first))
            #expect(invitation.calendarSequence == 0 && invitation.calendarMethod == "REQUEST")
            let staff = try await rows(world, .invitation).filter { $0.toEmail != "ayo@nhs.example" }
            #expect(!staff.isEmpty && staff.allSatisfy { token($0) == nil && $0.body.contains("https://convene.test/discussions/") },
                    "\(staff.map { "\($0.toEmail) \($0.body)" })")

            // Rearranged with the service manager's agreement.
            let loaded = try await world.load(id, as: .minuteTaker, for: .rebookOrCancel)
            let options = try await Operations.bookingOptions(world.ctx(.minuteTaker), loaded)
            let old = try await world.discussion(id).slotStart
            let slot = try #require(options.offers.first { $0.start != old })
            var booking = try await world.booking(id)
            booking.start = slot.start
            booking.agreedBy = world.id(.serviceManager)
            booking.reason = "The police officer is in court"
            try await Operations.book(world.ctx(.minuteTaker), loaded, booking, expectedVersion: try await world.version(id))
            let moved = try #require(try await rows(world, .rearrangement).first { $0.toEmail == "ayo@nhs.example" })
            let second = try #require(token(moved))
            #expect(second != first)
            #expect(try await Operations.personalLinkValid(world.ctx(nil), token: second))
            #expect(moved.calendarSequence == 1 && moved.calendarMethod == "REQUEST")
            #expect(moved.calendarICS?.replacingOccurrences(of: "\r\n ", with: "").contains("/access/\(second)") == true)
            let staffMoved = try await rows(world, .rearrangement).filter { $0.toEmail != "ayo@nhs.example" }
            #expect(staffMoved.count == staff.count && staffMoved.allSatisfy { token($0) == nil },
                    "\(staffMoved.map(\.toEmail)) \(staff.map(\.toEmail))")

            // Cancelled.
            let again = try await world.load(id, as: .minuteTaker, for: .rebookOrCancel)
            try await Operations.cancel(world.ctx(.minuteTaker), again, agreedBy: world.id(.serviceManager), reason: "Family moved away",
                                        expectedVersion: try await world.version(id))
            let cancelled = try #require(try await rows(world, .cancellation).first { $0.toEmail == "ayo@nhs.example" })
            let third = try #require(token(cancelled))
            #expect(try await Operations.personalLinkValid(world.ctx(nil), token: third))
            #expect(cancelled.calendarSequence == 2 && cancelled.calendarMethod == "CANCEL")
            let uids = Set(try await OutboxMessage.query(on: world.db).filter(\.$calendarICS != nil).all()
                .compactMap { $0.calendarICS?.split(separator: "\r\n").first { $0.hasPrefix("UID:") } })
            #expect(uids.count == 1)
            for row in try await OutboxMessage.query(on: world.db).all() {
                #expect(Self.childFree(row.subject + row.body + (row.calendarICS ?? "")), "\(row.kind) to \(row.toEmail)")
            }
        }
    }

    @Test("Gap 1: every reminder and digest row the scheduler writes has its audit entry; running again writes nothing twice")
    func remindersAudited() async throws {
        try await LifecycleWorld.run(start: "2026-11-23T09:00:00Z") { world in
            let id = try await world.request()
            try await world.advance(id, to: .awaitingBooking)
            try await NotificationPreference(personID: world.id(.teamManager), kind: NoticeKind.bookingReminder.rawValue,
                                             delivery: NoticeDelivery.dailyDigest.rawValue).create(on: world.db)
            try await NotificationPreference(personID: world.id(.minuteTaker), kind: NoticeKind.bookingReminder.rawValue,
                                             delivery: NoticeDelivery.off.rawValue).create(on: world.db)
            let scheduler = ReminderScheduler()
            world.clock.set(at("2026-11-24T05:00:00Z"))
            var written = 0
            for _ in 0..<3 { written += try await scheduler.run(world.ctx(nil)) }
            var reminders = try await rows(world, .bookingReminder)
            #expect(reminders.map(\.toEmail) == [Who.minuteTaker.email, Who.teamManager.email])
            #expect(reminders.map(\.status) == [.skipped, .digest])
            #expect(written == reminders.count)
            #expect(reminders.allSatisfy { $0.subject.hasPrefix("Due soon: SD-") && Self.childFree($0.body) })

            world.clock.set(at("2026-11-24T09:00:01Z"))
            try await scheduler.run(world.ctx(nil))
            reminders = try await rows(world, .bookingReminder)
            let overdue = reminders.filter { $0.subject.hasPrefix("Overdue") }
            #expect(overdue.map(\.toEmail).sorted() == [Who.minuteTaker.email, Who.serviceManager.email, Who.teamManager.email])
            #expect(!reminders.contains { $0.toEmail == Who.otherTeamManager.email })
            let digests = try await rows(world, .digest)
            #expect(digests.map(\.toEmail) == [Who.teamManager.email])

            let audited = try await world.audit("reminder")
            #expect(Set(audited.compactMap(\.objectID)) == Set(reminders.compactMap(\.id)))
            #expect(audited.count == reminders.count)
            #expect(audited.allSatisfy { $0.caseID != nil })
            #expect(Set(try await world.audit("digest").compactMap(\.objectID)) == Set(digests.compactMap(\.id)))
        }
    }
}
