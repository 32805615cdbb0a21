import ConveneCore
import ConveneStore
import ConveneTestSupport
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

/// Issue 16: deadlines and bookings that contradicted the procedures, through the pages and
/// the API, on real calendar edge cases.
@Suite("Procedures: deadlines and bookings")
struct ProcedureDeadlineTests {
    static func duties(_ world: TestWorld, _ id: UUID) async throws -> [DutyAssessment] {
        let d = try await world.discussion(id)
        let timeline = try #require(try await CaseTimeline.load(caseID: d.$case.id, on: world.app.db))
        return timeline.duties(pack: Packs.named(try await world.app.db.query(Organisation.self).first()!.packID),
                               asOf: world.clock.now)
    }

    @Test("TIME-004-01: North Yorkshire, urgency immediate on Christmas Eve is due by the end of Tuesday 29 December and counts as urgent; the form asks once")
    func northYorkshireImmediate() async throws {
        try await TestWorld.run(pack: "north-yorkshire", start: "2026-12-24T10:00:00Z") { world in
            let browser = try await world.browser(.socialWorker)
            let form = try await browser.get("/discussions/new")
            #expect(!form.text.contains("immediateConcerns"))
            let id = try await world.requestDiscussion(fields: world.requestFields(urgency: "immediate"))
            let d = try await world.discussion(id)
            let caseRecord = try #require(try await Case.find(d.$case.id, on: world.app.db))
            #expect(caseRecord.immediateConcerns)
            let due = try #require(try await Self.duties(world, id).duty(.strategyDiscussion))
            #expect(due.due == at("2026-12-29T23:59:59Z"))
            #expect(due.timescaleText == "within 1 working day")
            let page = try await browser.get("/discussions/\(id.slug)")
            #expect(page.plainText.contains("end of Tuesday 29 December 2026"))

            // The API cannot say immediate concerns with a standard urgency: one notion.
            let api = try await world.api(.socialWorker)
            var body = world.requestBody()
            body["immediateConcerns"] = true
            let refused = try await api.post("/discussions", body)
            #expect(refused.status == .badRequest, "\(refused.text)")
            #expect(refused.fields.contains("immediateConcerns"))
        }
    }

    @Test("TIME-001-01: Bradford, a 2-hour request made Friday 16:30 is offered Friday 16:30 on the page and the API, and books")
    func bradfordTwoHours() async throws {
        try await TestWorld.run(pack: "bradford", start: "2026-11-20T16:30:00Z") { world in
            let id = try await world.requestDiscussion(fields: world.requestFields(urgency: "immediate"))
            try await world.advance(id, to: .awaitingBooking, cast: .ownTeam)
            let minutes = try await world.browser(.minuteTaker)
            #expect(try await world.firstOfferedSlot(id, as: minutes) == "2026-11-20T16:30:00Z")
            let api = try await world.api(.minuteTaker)
            let offers = try await api.get("/discussions/\(id.slug)/slots")
            let first = try #require((offers["items"] as? [[String: Any]])?.first)
            #expect(first["start"] as? String == "2026-11-20T16:30:00Z")
            #expect(first["outsidePattern"] as? Bool == true)
            #expect(first["afterDeadline"] as? Bool == false)
            #expect(offers.string("due") == "2026-11-20T18:30:00Z")
            let booked = try await api.post("/discussions/\(id.slug)/booking", [
                "slotStart": "2026-11-20T16:30:00Z", "format": "phone", "chairId": world.people[.teamManager]!.slug,
                "expectedVersion": try await world.discussion(id).lockVersion,
            ])
            #expect(booked.status == .ok, "\(booked.text)")
            #expect(try await world.discussion(id).slotStart == at("2026-11-20T16:30:00Z"))
        }
    }

    @Test("SLOT-002-01 and TIME-000-01: Hertfordshire counts 24 hours from the request; earlier is refused; after the deadline needs a reason and a manager")
    func hertfordshireFromRequest() async throws {
        try await TestWorld.run(pack: "hertfordshire", start: "2026-11-23T10:00:00Z") { world in
            let id = try await world.requestDiscussion()
            try await world.advance(id, to: .awaitingBooking, cast: .ownTeam)
            world.clock.set(at("2026-11-24T08:00:00Z"))
            let minutes = try await world.browser(.minuteTaker)
            let page = try await minutes.get("/discussions/\(id.slug)/booking")
            #expect(Browser.firstMatch(#"name="slot" type="radio" value="([^"]+)""#, in: page.text) == "2026-11-24T10:30:00Z")
            #expect(page.plainText.contains("The first slot the calendar can offer is after the deadline"))
            let base: [(String, String)] = [("format", "phone"), ("details", "Dial-in"), ("chair", world.people[.teamManager]!.slug),
                                            ("duration", "30"), ("dialIn", "0800 123 4567"), ("accessCode", "4821"),]
            let inside = try await minutes.post("/discussions/\(id.slug)/booking",
                                                base + [("slot", "2026-11-24T09:45:00Z"), ("version", try await world.version(id))])
            expectFieldError(inside, "slot", containing: "SLOT-002-01")
            let late = try await minutes.post("/discussions/\(id.slug)/booking",
                                              base + [("slot", "2026-11-24T10:30:00Z"), ("version", try await world.version(id))])
            expectFieldError(late, "lateReason")
            expectFieldError(late, "lateAgreedBy")
            #expect(try await world.discussion(id).stage == .awaitingBooking)
            try world.step(try await minutes.post("/discussions/\(id.slug)/booking", base + [
                ("slot", "2026-11-24T10:30:00Z"), ("lateReason", "Police need the 24 hours to gather information"),
                ("lateAgreedBy", world.people[.serviceManager]!.slug), ("version", try await world.version(id)),
            ]))
            let notes = try await DutyNote.query(on: world.app.db).all()
            #expect(notes.count == 1)
            #expect(notes.first?.kind == .lateReason)
            #expect(notes.first?.duty == .strategyDiscussion)
            #expect(notes.first?.text.contains("agreed by ServiceManager: Police need the 24 hours") == true)
            let d = try await world.discussion(id)
            let casePage = try await minutes.get("/cases/\(d.$case.id.slug)")
            #expect(casePage.plainText.contains("Police need the 24 hours to gather information"))
        }
    }

    @Test("TIME-002-02: Hertfordshire 'other' agreed for Thursday 10:30 moves the deadline and the first session there")
    func hertfordshireOther() async throws {
        try await TestWorld.run(pack: "hertfordshire", start: "2026-11-23T10:00:00Z") { world in
            let id = try await world.requestDiscussion(fields: world.requestFields(urgency: "other").setting("agreedDue.time", "10:30"))
            try await world.advance(id, to: .awaitingBooking, cast: .ownTeam)
            let due = try #require(try await Self.duties(world, id).duty(.strategyDiscussion))
            #expect(due.due == at("2026-11-26T10:30:00Z"))
            #expect(due.rule == "TIME-002-02")
            let minutes = try await world.browser(.minuteTaker)
            let page = try await minutes.get("/discussions/\(id.slug)/booking")
            #expect(Browser.firstMatch(#"name="slot" type="radio" value="([^"]+)""#, in: page.text) == "2026-11-26T10:30:00Z")
            #expect(!page.plainText.contains("The first slot the calendar can offer is after the deadline"))
            #expect(!page.plainText.contains("10:30am to 11am – after the deadline"))
        }
    }

    @Test("ATT-ALL-03: a meeting recorded as started before its booked slot needs a reason; When shows when it was held")
    func startBeforeSlot() async throws {
        try await TestWorld.run(pack: "bradford", start: "2026-11-23T09:30:00Z") { world in
            let id = try await world.makeDiscussion(at: .booked)
            let d = try await world.discussion(id)
            let slot = try #require(d.slotStart)
            #expect(slot > world.clock.now)
            let chair = try await world.browser(.teamManager)
            try await chair.get("/discussions/\(id.slug)/attendance")
            let fields: [(String, String)] = [("version", try await world.version(id))]
                .setting(date: "startedAt", world.today, time: TestWorld.hhmm(world.clock.now))
            expectFieldError(try await chair.post("/discussions/\(id.slug)/attendance", fields), "earlyStartReason")
            try world.step(try await chair.post("/discussions/\(id.slug)/attendance",
                                                fields + [("earlyStartReason", "The police officer could only attend earlier")]))
            let held = try await world.discussion(id)
            #expect(held.earlyStartReason == "The police officer could only attend earlier")
            let page = try await chair.get("/discussions/\(id.slug)")
            #expect(page.plainText.contains("Held Monday 23 November 2026 at 9:30am (booked for"))
            let casePage = try await chair.get("/cases/\(held.$case.id.slug)")
            #expect(casePage.plainText.contains("Held Monday 23 November 2026 at 9:30am"))
        }
    }

    @Test("REQ-001-02: a Front Door request the manager declined on Christmas Eve is not overdue")
    func declinedNotOverdue() async throws {
        try await TestWorld.run(pack: "front-door", start: "2026-12-24T10:00:00Z") { world in
            let id = try await world.requestDiscussion()
            let manager = try await world.browser(.teamManager)
            try await manager.get("/discussions/\(id.slug)/decision")
            try world.step(try await manager.post("/discussions/\(id.slug)/decision", [
                ("convene", "no"), ("reason", "Single-agency response by the school nurse"), ("version", try await world.version(id)),
            ]))
            world.clock.set(at("2026-12-29T09:00:00Z"))
            let duty = try #require(try await Self.duties(world, id).duty(.strategyDiscussion))
            #expect(duty.status == .notRequired)
            #expect(try await world.discussion(id).nextDue == nil)
            let page = try await manager.get("/discussions/\(id.slug)")
            #expect(!page.plainText.contains("Missed"))
        }
    }

    @Test("DEC-ALL-01: Bradford, a deferral without a date is refused; with one, the next discussion is due that day")
    func deferredDecision() async throws {
        try await TestWorld.run(pack: "bradford", start: "2026-12-22T09:30:00Z") { world in
            let id = try await world.makeDiscussion(at: .booked)
            let chair = try await world.browser(.teamManager)
            try await world.attend(id, chair: chair)
            let child = try await world.firstChild(id)
            let p = "decisions.\(child.id!.slug)."
            let deferred = world.completeDecision(child.id!).setting(p + "outcome", "deferred")
            try await chair.get("/discussions/\(id.slug)/decisions/\(child.id!.slug)")
            let refused = try await chair.post("/discussions/\(id.slug)/decisions/\(child.id!.slug)",
                                               deferred + [("version", try await world.version(id))])
            expectFieldError(refused, p.replacingOccurrences(of: ".", with: "-") + "furtherDiscussionBy")
            try world.step(try await chair.post("/discussions/\(id.slug)/decisions/\(child.id!.slug)",
                                                deferred.setting(date: p + "furtherDiscussionBy", day("2026-12-29"))
                                                    + [("version", try await world.version(id))]))
            let review = try #require(try await Self.duties(world, id).duty(.reviewDiscussion, discussion: "d1"))
            #expect(review.due == at("2026-12-29T23:59:59Z"))
            #expect(review.status == .open)
            #expect(review.rule == "DEC-ALL-01")
        }
    }

    @Test("TIME-002-04: a Hertfordshire review discussion booked from the case page is due 15 working days after the s47 discussion, over Christmas")
    func reviewDeadline() async throws {
        try await TestWorld.run(pack: "hertfordshire", start: "2026-12-14T09:00:00Z") { world in
            let id = try await world.makeDiscussion(at: .inMeeting)
            let first = try await world.discussion(id)
            let held = try #require(first.startedAt)
            let manager = try await world.browser(.teamManager)
            try await manager.get("/cases/\(first.$case.id.slug)")
            let created = try await manager.post("/cases/\(first.$case.id.slug)/reviews", [
                ("urgency", "standard"), ("reason", "Agree the outcome of the enquiry"),
            ])
            try world.step(created)
            let reviewText = try #require(Browser.firstMatch(#"/discussions/([0-9a-f-]{36})"#, in: created.location))
            let reviewID = try #require(UUID(uuidString: reviewText))
            let expected = Packs.hertfordshire.calendar.endOfWorkingDays(15, after: held)
            #expect(expected == at("2027-01-07T23:59:59Z"))
            let review = try await world.discussion(reviewID)
            #expect(review.nextDue == expected)
            #expect(review.nextDuty == Duty.reviewDiscussion.rawValue)
            let task = try await manager.get("/discussions/\(reviewID.slug)")
            #expect(task.plainText.contains("Review discussion held"))
            #expect(task.plainText.contains("end of Thursday 7 January 2027"))
            #expect(!task.plainText.contains("Strategy discussion held"))
            let booking = try await world.browser(.minuteTaker).get("/discussions/\(reviewID.slug)/booking")
            #expect(booking.plainText.contains("Must be held by end of Thursday 7 January 2027"))
        }
    }
}
