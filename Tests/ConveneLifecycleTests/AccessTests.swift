import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import Testing

@Suite("Access: loading a discussion, a case or an action for a permission")
struct AccessTests {
    @Test("ASVS-5.0-8.2.2: another team, another authority and an uninvited partner get a 404 refusal, audited")
    func refusedUnseen() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            for who in [Who.otherTeamSocialWorker, .foreignSocialWorker, .foreignManager, .police, .administrator, .auditor] {
                await expectRefused(canSee: false) { _ = try await world.load(id, as: who) }
            }
            let denied = try await world.audit("access-denied")
            #expect(denied.count == 6)
            #expect(denied.allSatisfy { $0.objectID == id && $0.reason == "view-discussion" })
        }
    }

    @Test("ASVS-5.0-8.3.1: the team may see the request but a social worker may not decide it: a 403 refusal, audited")
    func refusedSeen() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let loaded = try await world.load(id, as: .socialWorker)
            #expect(loaded.allows(.viewDiscussion) && !loaded.allows(.decideConvene))
            #expect(loaded.read.action == "view" && loaded.read.objectID == id && !loaded.read.flagged)
            await expectRefused(canSee: true) { _ = try await world.load(id, as: .socialWorker, for: .decideConvene) }
            #expect(try await world.audit("access-denied").map(\.reason) == ["decide-convene"])
        }
    }

    @Test("A discussion that does not exist is not found, and nobody signed in is refused")
    func missing() async throws {
        try await LifecycleWorld.run { world in
            await expectNotFound { _ = try await world.load(UUID(), as: .teamManager) }
            await expectError("not signed in") {
                _ = try await DiscussionAccess.load(UUID(), for: .viewDiscussion, world.ctx(nil))
            } _: { error in
                if case LifecycleError.notSignedIn = error { return true }
                return false
            }
        }
    }

    @Test("Issue 9: a discussion row changed outside Convene is refused as an integrity failure")
    func alteredRow() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let d = try await world.discussion(id)
            d.request.rationale = "edited in the database"
            try await d.save(on: world.db)
            await expectError("an integrity failure") { _ = try await world.load(id, as: .teamManager) } _: { $0 is IntegrityError }
        }
    }

    @Test("A case is reached through its initial discussion's rules, with its timeline")
    func loadCase() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let caseID = try await world.caseID(id)
            let (loaded, timeline) = try await DiscussionAccess.loadCase(caseID, for: .recordFollowUp, world.ctx(.teamManager))
            #expect(loaded.id == id && timeline.discussions.count == 1)
            await expectRefused(canSee: false) { _ = try await DiscussionAccess.loadCase(caseID, for: .viewDiscussion, world.ctx(.foreignManager)) }
            await expectRefused(canSee: true) { _ = try await DiscussionAccess.loadCase(caseID, for: .recordFollowUp, world.ctx(.minuteTaker)) }
            await expectNotFound { _ = try await DiscussionAccess.loadCase(UUID(), for: .viewDiscussion, world.ctx(.teamManager)) }
        }
    }

    @Test("REQ-001-02: booking needs `book` at the booking stage, rebooking `rebook-or-cancel` once booked")
    func loadForBooking() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            await expectWrongStage { _ = try await DiscussionAccess.loadForBooking(id, world.ctx(.minuteTaker)) }
            try await world.advance(id, to: .awaitingBooking)
            await expectRefused(canSee: true) { _ = try await DiscussionAccess.loadForBooking(id, world.ctx(.socialWorker)) }
            _ = try await DiscussionAccess.loadForBooking(id, world.ctx(.minuteTaker))
        }
    }

    @Test("ACT-ALL-03: an action is read by the person responsible at any stage, refused to others with an audit entry")
    func actionAccess() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .inMeeting)
            let action = try #require(try await ActionRecord.query(on: world.db).filter(\.$discussion.$id == id)
                .filter(\.$ownerPersonID == world.id(.socialWorker)).first())
            let owned = try await LoadedAction.load(action.id!, world.ctx(.socialWorker))
            #expect(owned.allows(.updateActionStatus) && owned.read().objectID == action.id)
            await expectRefused(canSee: true) { _ = try await LoadedAction.load(action.id!, world.ctx(.police)) }
            await expectRefused(canSee: false) { _ = try await LoadedAction.load(action.id!, world.ctx(.foreignManager)) }
            await expectNotFound { _ = try await LoadedAction.load(UUID(), world.ctx(.socialWorker)) }
            #expect(try await world.audit("access-denied").allSatisfy { $0.objectType == "action" })
        }
    }

    @Test("A personal-link session reaches only its own discussion, as an invitee")
    func personalLinkScope() async throws {
        try await LifecycleWorld.run { world in
            let first = try await world.request()
            let second = try await world.request()
            try await world.advance(first, to: .booked)
            try await world.advance(second, to: .booked)
            let invitation = try #require(try await Invitation.query(on: world.db).filter(\.$discussion.$id == first)
                .filter(\.$personID == world.id(.police)).first())
            let session = UserSession(tokenHash: "x", personID: world.id(.police), invitationID: invitation.id, csrfToken: "c",
                                      secondFactorPending: false, now: world.clock.now, expiresAt: world.clock.now + 3600, ip: "",
                                      userAgent: "")
            let user = try CurrentUser(person: world.people[.police]!, session: session)
            let loaded = try await DiscussionAccess.load(first, for: .viewDiscussion, world.ctx(user: user))
            #expect(loaded.context.invitee && !loaded.context.sameOrganisation && loaded.ownInvitation?.id == invitation.id)
            await expectRefused(canSee: false) { _ = try await DiscussionAccess.load(second, for: .viewDiscussion, world.ctx(user: user)) }
        }
    }
}
