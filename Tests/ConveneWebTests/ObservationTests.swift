import ConveneCore
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import Testing
import VaporTesting
@testable import ConveneWeb

/// OVS-001-01 (Bradford): service managers observe at least one strategy discussion a month.
@Suite("Observations by service managers (OVS-001-01)")
struct ObservationTests {
    @Test("OVS-001-01: a service manager records observing a held discussion; it is audited and counted in their month on the performance page")
    func recordsAndCounts() async throws {
        try await TestWorld.run(start: "2026-11-23T09:00:00Z") { world in
            let held = try await world.makeDiscussion(at: .circulated)
            let path = "/discussions/\(held.slug)/observation"
            let service = try await world.browser(.serviceManager)
            let discussionPage = try await service.get("/discussions/\(held.slug)")
            #expect(discussionPage.body.string.contains("href=\"\(path)\""), "the task list offers it")
            let form = try await service.get(path)
            #expect(form.status == .ok)
            #expect(form.body.string.contains("Nobody has recorded observing this discussion."))
            let meetingDay = EuropeLondon.localDate(of: try #require(try await world.discussion(held).startedAt))

            let done = try await service.post(path, [
                ("observedOn.day", String(meetingDay.day)), ("observedOn.month", String(meetingDay.month)),
                ("observedOn.year", String(meetingDay.year)), ("notes", "Police and health present; a clear safety plan."),
            ])
            #expect(done.status == .seeOther && done.location == path + "?done=observation")
            let after = try await service.get(path + "?done=observation")
            #expect(after.body.string.contains("Your observation was recorded"))
            #expect(after.body.string.contains("Police and health present; a clear safety plan."))
            let stored = try await Observation.query(on: world.app.db).all()
            #expect(stored.count == 1 && stored.first?.observerID == world.people[.serviceManager])
            #expect(EuropeLondon.localDate(of: try #require(stored.first?.observedAt)) == meetingDay)
            let audit = try await AuditEntry.query(on: world.app.db).filter(\.$objectType == "observation").all()
            #expect(audit.count == 1 && audit.first?.action == "create")

            let performance = try await service.get("/performance")
            #expect(performance.body.string.contains("Observations by service managers"))
            #expect(performance.body.string.contains("Observed (1)"))
            #expect(performance.body.string.contains("November 2026"))
        }
    }

    @Test("Only a service manager may record one, only once the meeting has started; each bad answer is named by its field and nothing is stored")
    func refusals() async throws {
        try await TestWorld.run(start: "2026-11-23T09:00:00Z") { world in
            let held = try await world.makeDiscussion(at: .circulated)
            let waiting = try await world.makeDiscussion(at: .awaitingBooking, childName: "Ben Okoro")
            let path = "/discussions/\(held.slug)/observation"
            for who in [Who.teamManager, .socialWorker, .minuteTaker] {
                let browser = try await world.browser(who)
                #expect(try await browser.get(path).status == .forbidden, "\(who)")
                #expect(try await browser.post(path, [("notes", "x")]).status == .forbidden, "\(who)")
                #expect(!(try await browser.get("/discussions/\(held.slug)").body.string.contains("href=\"\(path)\"")), "\(who)")
            }
            #expect(try await world.browser(.foreignManager).get(path).status == .notFound)

            let service = try await world.browser(.serviceManager)
            #expect(try await service.post(path, [("notes", "no token")], csrf: false).status == .forbidden)
            let early = try await service.post("/discussions/\(waiting.slug)/observation", [
                ("observedOn.day", "23"), ("observedOn.month", "11"), ("observedOn.year", "2026"), ("notes", "Too soon"),
            ])
            #expect(early.status == .conflict)

            func attempt(_ day: String, _ month: String, _ year: String, _ notes: String) async throws -> TestingHTTPResponse {
                try await service.post(path, [("observedOn.day", day), ("observedOn.month", month), ("observedOn.year", year),
                                              ("notes", notes)])
            }
            let blank = try await attempt("", "", "", "")
            #expect(blank.status == .badRequest)
            #expect(blank.body.string.contains("href=\"#observedOn\"") && blank.body.string.contains("href=\"#notes\""))
            let future = try await attempt("1", "1", "2027", "Next year")
            #expect(future.status == .badRequest && future.body.string.contains("today or earlier"))
            let before = try await attempt("1", "11", "2026", "Before the meeting")
            #expect(before.status == .badRequest && before.body.string.contains("on or after the meeting"))
            let impossible = try await attempt("31", "2", "2026", "No such day")
            #expect(impossible.status == .badRequest && impossible.body.string.contains("must be a real date"))
            let huge = try await attempt("99999999999999999999", "-1", "2026", String(repeating: "n", count: 6_000))
            #expect(huge.status == .badRequest && huge.body.string.contains("5000 characters or fewer"))
            #expect(try await Observation.query(on: world.app.db).count() == 0, "nothing stored from a refused form")
        }
    }
}
