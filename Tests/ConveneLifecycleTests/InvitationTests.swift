import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import Testing

@Suite("Invitations (REQ-001-03) and attendance (ATT-ALL-03)")
struct InvitationTests {
    @Test("Someone without an account is invited by email or telephone; each field is named when wrong")
    func addInvitation() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .booked)
            let loaded = try await world.load(id, as: .minuteTaker, for: .manageInvitations)
            let ctx = world.ctx(.minuteTaker)
            await expectInvalid("email") {
                _ = try await Operations.addInvitation(ctx, loaded, .init(personID: nil, name: "Dr Ayo", agency: "health"))
            }
            await expectInvalid("agency") {
                _ = try await Operations.addInvitation(ctx, loaded, .init(personID: nil, name: "Dr Ayo", email: "ayo@nhs.example",
                                                                          agency: "astrology"))
            }
            await expectInvalid("phone") {
                _ = try await Operations.addInvitation(ctx, loaded, .init(personID: nil, name: "Dr Ayo", agency: "health", phone: "call me"))
            }
            await expectInvalid("person") {
                _ = try await Operations.addInvitation(ctx, loaded, .init(personID: world.id(.foreignSocialWorker)))
            }
            let invitation = try await Operations.addInvitation(ctx, loaded, .init(personID: nil, name: "Dr Ayo", email: "ayo@nhs.example",
                                                                                   agency: "health", role: "Consultant"))
            #expect(try await Invitation.find(invitation, on: world.db)?.role == "consultant")
        }
    }

    @Test("Inviting before the booking is at the wrong stage; removing an unknown invitation is not found")
    func invitationRefusals() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let early = try await world.load(id, as: .teamManager, for: .manageInvitations)
            await expectWrongStage {
                _ = try await Operations.addInvitation(world.ctx(.teamManager), early, .init(personID: world.id(.health)))
            }
            try await world.advance(id, to: .booked)
            let loaded = try await world.load(id, as: .minuteTaker, for: .manageInvitations)
            await expectNotFound { try await Operations.removeInvitation(world.ctx(.minuteTaker), loaded, invitationID: UUID()) }
            let own = try #require(loaded.invitations.first)
            await expectInvalid("person") {
                _ = try await Operations.addInvitation(world.ctx(.minuteTaker), loaded, .init(personID: own.personID))
            }
        }
    }

    @Test("REQ-001-03: sending invitations writes the outbox with links at the public address; those without an account get a personal link")
    func sendInvitations() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .awaitingBooking)
            try await world.book(id)
            let loaded = try await world.load(id, as: .minuteTaker, for: .manageInvitations)
            _ = try await Operations.addInvitation(world.ctx(.minuteTaker), loaded, .init(personID: nil, name: "Dr Ayo",
                                                                                          email: "ayo@nhs.example", agency: "health"))
            let sent = try await Operations.sendInvitations(world.ctx(.minuteTaker), try await world.load(id, as: .minuteTaker, for: .manageInvitations))
            let messages = try await OutboxMessage.query(on: world.db).filter(\.$discussionID == id)
                .filter(\.$kind == NoticeKind.invitation.rawValue).all()
            #expect(sent >= 4 && messages.count == sent)
            #expect(messages.allSatisfy { $0.body.contains("https://convene.test/") })
            let personal = try #require(messages.first { $0.toEmail == "ayo@nhs.example" })
            #expect(personal.body.contains("https://convene.test/access/"))
            let link = try #require(try await Invitation.query(on: world.db).filter(\.$email == "ayo@nhs.example").first())
            let slotEnd = try #require(try await world.discussion(id).slotEnd)
            #expect(link.accessTokenHash != nil && link.accessExpiresAt! > slotEnd)
            #expect(try await Operations.sendInvitations(world.ctx(.minuteTaker), try await world.load(id, as: .minuteTaker, for: .manageInvitations)) == 0)
        }
    }

    @Test("ATT-ALL-03: attendance names a start time, refuses strangers to the discussion, and records quoracy; a stale form is a conflict")
    func attendance() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .booked)
            let loaded = try await world.load(id, as: .teamManager, for: .recordMeeting)
            let ctx = world.ctx(.teamManager)
            let version = try await world.version(id)
            await expectInvalid("startedAt") {
                try await Operations.recordAttendance(ctx, loaded, .init(modes: [:], startedAt: nil), expectedVersion: version)
            }
            let stranger = UUID()
            await expectInvalid("mode." + stranger.slug) {
                try await Operations.recordAttendance(ctx, loaded, .init(modes: [stranger: .virtual], startedAt: world.clock.now,
                                                                        earlyStartReason: "Early"), expectedVersion: version)
            }
            let slot = try #require(loaded.discussion.slotStart)
            await expectInvalid("earlyStartReason") {
                try await Operations.recordAttendance(ctx, loaded, .init(modes: [:], startedAt: slot.addingTimeInterval(-600)),
                                                      expectedVersion: version)
            }
            await expectConflict {
                try await Operations.recordAttendance(ctx, loaded, .init(modes: [:], startedAt: world.clock.now, earlyStartReason: "Early"),
                                                      expectedVersion: version + 5)
            }
            let modes = Dictionary(uniqueKeysWithValues: loaded.invitations.map { ($0.id!, AttendanceMode.virtual) })
            let check = try await Operations.recordAttendance(ctx, loaded, .init(modes: modes, startedAt: world.clock.now,
                                                                                 earlyStartReason: "Early"), expectedVersion: version)
            #expect(check.quorate)
            #expect(try await world.discussion(id).quoracy?.quorate == true)
        }
    }

    @Test("The attendance engine names who the procedure requires, met or not")
    func attendanceAnswer() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .booked)
            let loaded = try await world.load(id, as: .minuteTaker, for: .manageInvitations)
            let answer = Operations.attendance(loaded)
            #expect(!answer.required.isEmpty && answer.required.contains(where: \.present))
            let people = try await Operations.invitablePeople(world.ctx(.minuteTaker), loaded)
            #expect(!people.contains { $0.role == .administrator || $0.role == .auditor })
        }
    }
}
