import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

/// Step 8, after the meeting: review discussions (TIME-002-04, TIME-000-03), case events
/// (s47, ICPC, LADO), the reason a deadline was late (TIME-000-01), deadlines changed only by
/// a manager with a rationale (INT-ALL-06), and immediate protection (IMM-000-01).
@Suite("Lifecycle pages: follow-up")
struct FollowUpPageTests {
    func caseOf(_ world: TestWorld, _ id: UUID) async throws -> String {
        "/cases/\(try await world.discussion(id).$case.id.slug)"
    }

    @Test("TIME-002-04: a manager requests a review discussion, linked to the first and ready to book; a reason is required")
    func reviewDiscussion() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .circulated)
            let path = try await caseOf(world, id)
            let manager = try await world.browser(.teamManager)
            #expect(try await manager.get(path).status == .ok)
            let before = try await world.storeState()
            let noReason = try await manager.post(path + "/reviews", [("urgency", "standard"), ("reason", "")])
            expectFieldError(noReason, "reason")
            let other = try await manager.post(path + "/reviews", [("urgency", "other"), ("reason", "Review the plan")])
            expectFieldError(other, "urgency")
            #expect(try await world.storeState() == before)

            let created = try await manager.post(path + "/reviews", [("urgency", "standard"), ("reason", "Review the s47 enquiry's progress")])
            #expect(created.status == .seeOther, "\(created.summary)")
            let reviewID = try #require(Browser.firstMatch(#"/discussions/([0-9a-f-]{36})"#, in: created.location).flatMap { UUID(uuidString: $0) })
            let review = try await world.discussion(reviewID)
            #expect(review.sequence == 2)
            #expect(review.parentID == id)
            #expect(review.stage == .awaitingBooking, "a manager's own review needs no separate decision")
            #expect(review.reference.hasSuffix("/2"))
            #expect(review.request.rationale == "Review the s47 enquiry's progress")
        }
    }

    @Test("TIME-002-04: a social worker's review request waits for the team manager's decision")
    func reviewBySocialWorker() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .circulated)
            let worker = try await world.browser(.socialWorker)
            let created = try await worker.post(try await caseOf(world, id) + "/reviews", [("urgency", "standard"), ("reason", "New injury")])
            #expect(created.status == .seeOther, "\(created.summary)")
            let reviewID = try #require(Browser.firstMatch(#"/discussions/([0-9a-f-]{36})"#, in: created.location).flatMap { UUID(uuidString: $0) })
            #expect(try await world.discussion(reviewID).stage == .requested)
        }
    }

    @Test("TIME-004-03: a case event in the future is refused, naming the time; a past one is recorded on the timeline")
    func caseEvents() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .circulated)
            let path = try await caseOf(world, id)
            let worker = try await world.browser(.socialWorker)
            try await worker.get(path)
            let before = try await world.storeState()
            let tomorrow = world.today.adding(days: 1)
            let future = try await worker.post(path + "/events", [("type", "s47-completed"), ("icpcRequired", "no")]
                .setting(date: "at", tomorrow, time: "10:00"))
            expectFieldError(future, "at", containing: "future")
            let noType = try await worker.post(path + "/events", [(String, String)]().setting(date: "at", world.today, time: "08:00"))
            expectFieldError(noType, "type")
            let noIcpc = try await worker.post(path + "/events", [("type", "s47-completed")].setting(date: "at", world.today, time: "08:00"))
            expectFieldError(noIcpc, "icpcRequired")
            let beforeReferral = try await worker.post(path + "/events", [("type", "lado-referral-made")]
                .setting(date: "at", world.today.adding(days: -30), time: "08:00"))
            expectFieldError(beforeReferral, "at", containing: "before the referral")
            #expect(try await world.storeState() == before)

            world.clock.advance(3600)
            let worker2 = try await world.browser(.socialWorker)
            let ok = try await worker2.post(path + "/events", [("type", "s47-completed"), ("icpcRequired", "yes"), ("note", "Joint visit done")]
                .setting(date: "at", world.today, time: TestWorld.hhmm(world.clock.now.addingTimeInterval(-600))))
            #expect(ok.status == .seeOther, "\(ok.summary)")
            let event = try #require(try await CaseEvent.query(on: world.app.db).filter(\.$type == .s47Completed).first())
            #expect(event.details.icpcRequired == true)
            #expect(try await worker2.get(path).plainText.contains("Section 47 enquiry completed"))
        }
    }

    /// The value of a deadline in the case page's list, e.g. `strategy-discussion|d1`.
    func dutyOption(_ page: TestingHTTPResponse, _ duty: String) throws -> String {
        try #require(Browser.firstMatch(#"value="(\#(duty)\|[^"]*)""#, in: page.text), "no deadline \(duty) on the case page")
    }

    @Test("TIME-000-01: the reason a deadline was late is recorded by the social worker and shown with the deadline")
    func lateReason() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .requested)
            let path = try await caseOf(world, id)
            world.clock.advance(25 * 3600)
            let worker = try await world.browser(.socialWorker)
            let page = try await worker.get(path)
            let duty = try dutyOption(page, "strategy-discussion")
            let before = try await world.storeState()
            expectFieldError(try await worker.post(path + "/notes", [("duty", duty), ("kind", "late-reason"), ("text", "")]), "text")
            expectFieldError(try await worker.post(path + "/notes", [("duty", "made-up|d1"), ("kind", "late-reason"), ("text", "x")]), "duty")
            #expect(try await world.storeState() == before)
            try world.expectRedirect(try await worker.post(path + "/notes", [
                ("duty", duty), ("kind", "late-reason"), ("text", "Police could not attend within 24 hours"),
            ]))
            #expect(try await world.audit("late-reason").last?.reason == "Police could not attend within 24 hours")
            #expect(try await worker.get(path).plainText.contains("Police could not attend within 24 hours"))
        }
    }

    @Test("INT-ALL-06: only a manager may change a deadline (a social worker is refused with 403); the manager's change needs a new time and a rationale")
    func deadlineOverrideByManagerOnly() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .requested)
            let path = try await caseOf(world, id)
            let worker = try await world.browser(.socialWorker)
            let page = try await worker.get(path)
            #expect(!page.text.contains(#"value="override""#), "the social worker is offered an override")
            let duty = try dutyOption(page, "strategy-discussion")
            let later = world.today.adding(days: 2)
            let override: [(String, String)] = [("duty", duty), ("kind", "override"), ("text", "Agreed later date with police")]
                .setting(date: "due", later, time: "12:00")
            let manager = try await world.browser(.teamManager)
            let before = try await world.storeState()
            let refused = try await worker.post(path + "/notes", override)
            #expect(refused.status == .forbidden, "\(refused.summary)")
            #expect(try await world.storeState() == before)

            #expect(try await manager.get(path).text.contains(#"value="override""#))
            expectFieldError(try await manager.post(path + "/notes", override.removing("due")), "due")
            expectFieldError(try await manager.post(path + "/notes", override.setting("text", "")), "text")
            #expect(try await world.storeState() == before)
            try world.expectRedirect(try await manager.post(path + "/notes", override))
            let note = try #require(try await DutyNote.query(on: world.app.db).filter(\.$kind == .override).first())
            #expect(note.recordedBy == world.people[.teamManager])
            #expect(note.due != nil)
            #expect(try await world.audit("deadline-override").count == 1)
        }
    }

    @Test("IMM-000-01: immediate protection needs the action, who, when (not in the future), where the child is, whether seen and legal advice")
    func immediateProtection() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .requested)
            let path = try await caseOf(world, id) + "/immediate-protection"
            let worker = try await world.browser(.socialWorker)
            #expect(try await worker.get(path).status == .ok)
            let before = try await world.storeState()
            let empty = try await worker.post(path, [])
            for field in ["power", "at", "childSeen", "legalAdvice"] { expectFieldError(empty, field) }
            let valid: [(String, String)] = [
                ("power", "police-protection"), ("agency", "police"), ("takenBy", "PC Amy Lowe"), ("childLocation", "Grandmother's home"),
                ("childSeen", "yes"), ("legalAdvice", "no"), ("otherChildren", "No other children in the household"),
            ]
            let future = try await worker.post(path, valid.setting(date: "at", world.today.adding(days: 1), time: "10:00"))
            expectFieldError(future, "at", containing: "future")
            let missing = try await worker.post(path, valid.removing("childLocation", "otherChildren")
                .setting(date: "at", world.today, time: "08:00"))
            expectFieldError(missing, "childLocation")
            expectFieldError(missing, "otherChildren")
            #expect(try await world.storeState() == before)

            try world.expectRedirect(try await worker.post(path, valid.setting(date: "at", world.today, time: "08:00")))
            let event = try #require(try await CaseEvent.query(on: world.app.db).filter(\.$type == .immediateAction).first())
            #expect(event.details.immediateProtection?.takenBy == "PC Amy Lowe")
            #expect(try await world.audit("immediate-protection").count == 1)
        }
    }
}
