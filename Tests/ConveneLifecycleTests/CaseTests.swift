import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import Testing

@Suite("Follow-up on the case: events, reviews, deadlines (TIME-*, INT-ALL-06), immediate protection, transfers (REQ-003-01)")
struct CaseTests {
    func loadCase(_ world: LifecycleWorld, _ id: UUID, as who: Who, for permission: Permission) async throws
        -> (LoadedDiscussion, CaseTimeline)
    {
        try await DiscussionAccess.loadCase(try await world.caseID(id), for: permission, world.ctx(who))
    }

    @Test("A follow-up event names what happened and when; not in the future, not before the referral")
    func caseEvent() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let (loaded, timeline) = try await loadCase(world, id, as: .teamManager, for: .recordFollowUp)
            let ctx = world.ctx(.teamManager)
            await expectInvalid("type") {
                _ = try await Operations.addCaseEvent(ctx, loaded, timeline, type: .immediateAction, at: world.clock.now,
                                                      icpcRequired: nil, note: "")
            }
            await expectInvalid("at") {
                _ = try await Operations.addCaseEvent(ctx, loaded, timeline, type: .icpcHeld, at: world.clock.now.addingTimeInterval(86_400),
                                                      icpcRequired: nil, note: "")
            }
            await expectInvalid("icpcRequired") {
                _ = try await Operations.addCaseEvent(ctx, loaded, timeline, type: .s47Completed, at: world.clock.now, icpcRequired: nil,
                                                      note: "")
            }
            _ = try await Operations.addCaseEvent(ctx, loaded, timeline, type: .ladoReferralMade, at: world.clock.now, icpcRequired: nil,
                                                  note: "Referred")
            #expect(try await CaseEvent.query(on: world.db).filter(\.$type == .ladoReferralMade).count() == 1)
            await expectRefused(canSee: true) { _ = try await loadCase(world, id, as: .minuteTaker, for: .recordFollowUp) }
        }
    }

    @Test("TIME-002-04: a manager's review request needs no decision; its urgency and reason are named when missing")
    func review() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let (loaded, timeline) = try await loadCase(world, id, as: .teamManager, for: .recordFollowUp)
            await expectInvalid("urgency") {
                _ = try await Operations.requestReview(world.ctx(.teamManager), loaded, timeline, urgency: .other, reason: "More")
            }
            await expectInvalid("reason") {
                _ = try await Operations.requestReview(world.ctx(.teamManager), loaded, timeline, urgency: .standard, reason: "")
            }
            let review = try await Operations.requestReview(world.ctx(.teamManager), loaded, timeline, urgency: .standard,
                                                            reason: "New information")
            let d = try await world.discussion(review)
            #expect(d.sequence == 2 && d.stage == .awaitingBooking && d.reference.hasSuffix("/2"))
        }
    }

    @Test("INT-ALL-06: only a manager changes a deadline; a late reason names the duty; an unknown duty is named")
    func dutyNotes() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let (asWorker, timeline) = try await loadCase(world, id, as: .socialWorker, for: .recordFollowUp)
            let duty = try #require(timeline.duties(pack: asWorker.pack, asOf: world.clock.now).first { $0.status != .notRequired })
            await expectNotAllowed {
                try await Operations.addDutyNote(world.ctx(.socialWorker), asWorker, timeline, duty: duty.duty, discussionKey: duty.discussion,
                                                 kind: .override, due: world.clock.now.addingTimeInterval(86_400), text: "Agreed")
            }
            await expectInvalid("duty") {
                try await Operations.addDutyNote(world.ctx(.socialWorker), asWorker, timeline, duty: .icpc, discussionKey: "d9",
                                                 kind: .lateReason, due: nil, text: "Late")
            }
            await expectInvalid("text") {
                try await Operations.addDutyNote(world.ctx(.socialWorker), asWorker, timeline, duty: duty.duty,
                                                 discussionKey: duty.discussion, kind: .lateReason, due: nil, text: "")
            }
            let (asManager, _) = try await loadCase(world, id, as: .teamManager, for: .recordFollowUp)
            try await Operations.addDutyNote(world.ctx(.teamManager), asManager, timeline, duty: duty.duty, discussionKey: duty.discussion,
                                             kind: .override, due: world.clock.now.addingTimeInterval(3 * 86_400), text: "Police in court")
            #expect(try await world.audit("deadline-override").count == 1)
        }
    }

    @Test("IMM-000-01: immediate protection needs the action, who took it, where the child is, other children; not in the future")
    func immediateProtection() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let (loaded, timeline) = try await loadCase(world, id, as: .socialWorker, for: .recordImmediateProtection)
            await expectInvalid("power") {
                _ = try await Operations.addImmediateProtection(world.ctx(.socialWorker), loaded, timeline, nil, at: world.clock.now)
            }
            let record = ImmediateProtection(power: .policeProtection, agency: "police", takenBy: "PC Ward", childLocation: "",
                                             childSeen: true, legalAdvice: false, otherChildren: "None")
            await expectInvalid("childLocation") {
                _ = try await Operations.addImmediateProtection(world.ctx(.socialWorker), loaded, timeline, record, at: world.clock.now)
            }
            var complete = record
            complete.childLocation = "With her grandmother"
            await expectInvalid("at") {
                _ = try await Operations.addImmediateProtection(world.ctx(.socialWorker), loaded, timeline, complete,
                                                                at: world.clock.now.addingTimeInterval(3600))
            }
            _ = try await Operations.addImmediateProtection(world.ctx(.socialWorker), loaded, timeline, complete, at: world.clock.now)
            #expect(try await CaseEvent.query(on: world.db).filter(\.$type == .immediateAction).count() == 1)
        }
    }

    @Test("REQ-003-01: a manager moves the case with a reason; the old team keeps read access to what it held")
    func transfer() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let (asManager, _) = try await loadCase(world, id, as: .teamManager, for: .viewDiscussion)
            await expectNotAllowed {
                try await Operations.transferCase(world.ctx(.socialWorker), try await world.load(id, as: .socialWorker), toTeam: world.otherTeamID,
                                                  reason: "Moved")
            }
            await expectInvalid("toTeam") {
                try await Operations.transferCase(world.ctx(.teamManager), asManager, toTeam: world.teamID, reason: "Same team")
            }
            await expectInvalid("transferReason") {
                try await Operations.transferCase(world.ctx(.teamManager), asManager, toTeam: world.otherTeamID, reason: "")
            }
            // The move comes after the discussion was written (its `created_at` is the machine's clock).
            world.clock.advance(90 * 86_400)
            try await Operations.transferCase(world.ctx(.teamManager), asManager, toTeam: world.otherTeamID, reason: "Child moved south")
            #expect(try await world.discussion(id).teamID == world.otherTeamID)
            let former = try await world.load(id, as: .socialWorker)
            #expect(former.context.formerTeam && !former.allows(.manageInvitations))
            _ = try await world.load(id, as: .otherTeamSocialWorker)
        }
    }

    @Test("The case history lists what happened in order")
    func history() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .circulated)
            let (loaded, timeline) = try await loadCase(world, id, as: .teamManager, for: .viewDiscussion)
            let history = try await CaseHistory.load(timeline, pack: loaded.pack, world.ctx(.teamManager))
            #expect(history.entries.first?.title == "Referral or new information received")
            #expect(history.entries.contains { $0.title.hasSuffix("minutes circulated") })
            #expect(history.entries.map(\.at) == history.entries.map(\.at).sorted())
        }
    }
}

@Suite("DEC-004-01: changes to the s47 outcome, endorsed by the original members (North Yorkshire)")
struct OutcomeChangeTests {
    @Test("Proposed on the discussion that started the enquiry; answered once by each member; refused to others")
    func endorsement() async throws {
        try await LifecycleWorld.run(pack: "north-yorkshire") { world in
            let id = try await world.request()
            try await world.advance(id, to: .circulated)
            let chair = try await world.load(id, as: .teamManager, for: .recordFollowUp)
            await expectInvalid("change") {
                _ = try await Operations.proposeOutcomeChange(world.ctx(.teamManager), chair, change: "", reason: "New evidence")
            }
            let change = try await Operations.proposeOutcomeChange(world.ctx(.teamManager), chair, change: "No further action",
                                                                  reason: "New evidence")
            await expectConflict {
                _ = try await Operations.proposeOutcomeChange(world.ctx(.teamManager), chair, change: "Again", reason: "Again")
            }
            let police = try await world.load(id, as: .police)
            await expectInvalid("responseReason") {
                try await Operations.respondToOutcomeChange(world.ctx(.police), police, changeID: change, response: .endorse, reason: "")
            }
            try await Operations.respondToOutcomeChange(world.ctx(.police), police, changeID: change, response: .endorse, reason: "Agreed")
            await expectConflict {
                try await Operations.respondToOutcomeChange(world.ctx(.police), police, changeID: change, response: .object, reason: "Changed")
            }
            await expectNotAllowed {
                try await Operations.respondToOutcomeChange(world.ctx(.serviceManager), try await world.load(id, as: .serviceManager),
                                                            changeID: change, response: .endorse, reason: "Not a member")
            }
            let overview = try await Operations.outcomeChanges(world.ctx(.teamManager), chair)
            #expect(overview.changes.count == 1 && overview.responses.count == 1 && overview.decidedHere)
        }
    }

    @Test("A pack without the rule has no outcome changes")
    func noRule() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let loaded = try await world.load(id, as: .teamManager)
            await expectNotFound { _ = try await Operations.outcomeChanges(world.ctx(.teamManager), loaded) }
            await expectNotFound {
                _ = try await Operations.proposeOutcomeChange(world.ctx(.teamManager), loaded, change: "x", reason: "y")
            }
        }
    }
}
