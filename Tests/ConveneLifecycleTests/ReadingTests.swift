import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import Testing

@Suite("What pages and the API read: the task list, the record with its next steps, the case, and the documents")
struct ReadingTests {
    @Test("REC-ALL-01: the record says what is missing while open and which step may come next, for whom")
    func recordOverview() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .booked)
            let open = try await Operations.recordOverview(world.ctx(.teamManager), try await world.load(id, as: .teamManager, for: .viewRecord))
            #expect(!open.missing.isEmpty && !open.canFinalise && !open.canAuthorise && !open.canCirculate)
            try await world.advance(id, to: .inMeeting)
            let held = try await Operations.recordOverview(world.ctx(.teamManager), try await world.load(id, as: .teamManager, for: .viewRecord))
            #expect(held.missing.isEmpty && held.canFinalise && !held.canReopen)
            try await world.advance(id, to: .recordFinal)
            let final = try await Operations.recordOverview(world.ctx(.teamManager), try await world.load(id, as: .teamManager, for: .viewRecord))
            #expect(final.missing.isEmpty && final.canReopen && final.canAuthorise && !final.canFinalise)
            #expect(final.authorisers.contains("Team manager") || final.authorisers.contains("manager"))
            let minuteTaker = try await world.load(id, as: .minuteTaker, for: .viewRecord)
            #expect(try await !Operations.recordOverview(world.ctx(.minuteTaker), minuteTaker).canAuthorise)
        }
    }

    @Test("REC-ALL-02: an invitee reads the circulated minutes, not the working record")
    func inviteesReadMinutes() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .circulated)
            #expect(try await world.load(id, as: .teamManager, for: .viewRecord).readsWorkingRecord)
            #expect(try await !world.load(id, as: .police, for: .viewRecord).readsWorkingRecord)
        }
    }

    @Test("INT-ALL-06: the task list carries this discussion's deadlines; the case shows a late duty's reason instead of flagging it")
    func deadlines() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let loaded = try await world.load(id, as: .socialWorker)
            let overview = try await Operations.discussionOverview(world.ctx(.socialWorker), loaded)
            #expect(!overview.deadlines.isEmpty && !overview.sections.isEmpty && !overview.missing.isEmpty)
            world.clock.advance(30 * 86_400)
            let (asWorker, timeline) = try await DiscussionAccess.loadCase(try await world.caseID(id), for: .recordFollowUp, world.ctx(.socialWorker))
            let late = try #require(timeline.duties(pack: asWorker.pack, asOf: world.clock.now).first { $0.status == .missed })
            let before = try await Operations.caseOverview(world.ctx(.socialWorker), asWorker, timeline)
            #expect(before.deadlines.contains { $0.duty == late.duty.rawValue && $0.late })
            #expect(before.dutyChoices.contains { $0.value == late.duty.rawValue + "|" + (late.discussion ?? "") })
            try await Operations.addDutyNote(world.ctx(.socialWorker), asWorker, timeline, duty: late.duty, discussionKey: late.discussion,
                                             kind: .lateReason, due: nil, text: "The police were in court")
            let (again, updated) = try await DiscussionAccess.loadCase(try await world.caseID(id), for: .recordFollowUp, world.ctx(.socialWorker))
            let after = try await Operations.caseOverview(world.ctx(.socialWorker), again, updated)
            let row = try #require(after.deadlines.first { $0.duty == late.duty.rawValue && $0.discussion == (late.discussion ?? "") })
            #expect(!row.late && row.overridden.contains("The police were in court"))
            #expect(after.team?.id == world.teamID && after.history.entries.contains { $0.title.contains("requested") })
        }
    }

    @Test("The request and the record read as documents: each child, the concern, the quoracy and the actions in words")
    func documents() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let loaded = try await world.load(id, as: .socialWorker)
            let request = RequestDocument(loaded.discussion.request, requestedAt: loaded.discussion.requestedAt, pack: loaded.pack)
            #expect(request.groups.map(\.title).contains("Child 1: Amira Khan"))
            #expect(request.groups.contains { $0.title == "The concern" })
            let snapshot = try await RecordBuilder.snapshot(loaded, on: world.db)
            let document = RecordDocument(snapshot, pack: loaded.pack, today: EuropeLondon.localDate(of: world.clock.now))
            #expect(document.quoracy == "Quoracy not checked." && document.noActions && document.noSafetyPlan)
            #expect(document.children.hasPrefix("Amira Khan"))
        }
    }

    @Test("A deadline within four hours is due soon; a late one with a reason shows the reason")
    func deadlineWording() throws {
        let now = try #require(ISO8601DateFormatter().date(from: "2026-11-23T09:00:00Z"))
        #expect(Display.dueSoon == 4 * 3600)
        #expect(Display.tag(DiscussionStage.circulated).colour == "green")
        #expect(Display.childName(ChildDetails(name: "Baby", dateOfBirth: nil, unborn: true), today: EuropeLondon.localDate(of: now))
            == "Baby (unborn)")
    }
}
