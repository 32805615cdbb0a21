import ConveneCore
import ConveneStore
import ConveneTestSupport
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

/// Issue 16: REQ-003-01 (Devon), which team a case is assigned to, and moving it between
/// teams with the new team gaining access and the old one keeping read access.
@Suite("Procedures: team routing")
struct CaseRoutingTests {
    static func setAreas(_ world: TestWorld) async throws {
        let own = try #require(try await Team.find(world.teamID, on: world.app.db))
        own.areas = ["Exeter", "Crediton"]
        try await own.save(on: world.app.db)
        let other = try #require(try await Team.find(world.otherTeamID, on: world.app.db))
        other.areas = ["Torridge"]
        try await other.save(on: world.app.db)
    }

    @Test("REQ-003-01: a child closed to social care 7 weeks ago is assigned to the previous team; the requesting team keeps read access")
    func previousTeam() async throws {
        try await TestWorld.run(pack: "devon-mash", start: "2027-01-14T10:00:00Z") { world in
            try await Self.setAreas(world)
            let fields = world.requestFields().setting(date: "closedToSocialCareOn", day("2026-11-26"))
                .setting("previousTeam", world.otherTeamID.slug)
            let id = try await world.requestDiscussion(fields: fields)
            let d = try await world.discussion(id)
            #expect(d.teamID == world.otherTeamID)
            let caseRecord = try #require(try await Case.find(d.$case.id, on: world.app.db))
            #expect(caseRecord.$team.id == world.otherTeamID)
            let move = try #require(try await CaseTransfer.query(on: world.app.db).first())
            #expect(move.reason.contains("previous team"))
            #expect(try await world.audit("case-transfer").count == 1)
            // The previous team's manager decides; the requester can still read the request.
            let otherManager = try await world.browser(.otherTeamManager)
            #expect(try await otherManager.get("/discussions/\(id.slug)/decision").status == .ok)
            let requester = try await world.browser(.socialWorker)
            #expect(try await requester.get("/discussions/\(id.slug)").status == .ok)

            // Closed 9 weeks ago: it stays with the requesting team.
            let old = world.requestFields(childName: "Ben Okoro").setting(date: "closedToSocialCareOn", day("2026-11-12"))
                .setting("previousTeam", world.otherTeamID.slug)
            let oldID = try await world.requestDiscussion(fields: old)
            #expect(try await world.discussion(oldID).teamID == world.teamID)
        }
    }

    @Test("REQ-003-01: once the s47 discussion's record is authorised the case goes to the team of the child's area; the old team can read, not act")
    func areaTeamAfterS47() async throws {
        try await TestWorld.run(pack: "devon-mash", start: "2026-11-23T09:00:00Z") { world in
            try await Self.setAreas(world)
            let id = try await world.requestDiscussion(fields: world.requestFields().setting("childArea", "Torridge"))
            try await world.advance(id, to: .authorised, cast: .ownTeam)
            let d = try await world.discussion(id)
            #expect(d.teamID == world.otherTeamID)
            let move = try #require(try await CaseTransfer.query(on: world.app.db).first())
            #expect(move.fromTeamID == world.teamID && move.toTeamID == world.otherTeamID)
            #expect(move.reason.contains("the child lives in Torridge"))

            let newManager = try await world.browser(.otherTeamManager)
            let casePage = try await newManager.get("/cases/\(d.$case.id.slug)")
            #expect(casePage.status == .ok)
            #expect(casePage.plainText.contains("Case moved from Assessment North to Children and Families South"))
            let oldWorker = try await world.browser(.socialWorker)
            #expect(try await oldWorker.get("/discussions/\(id.slug)").status == .ok)
            #expect(try await oldWorker.get("/discussions/\(id.slug)/minutes").status == .ok)
            let refused = try await oldWorker.post("/cases/\(d.$case.id.slug)/events", [("type", "assessment-completed")])
            #expect(refused.status == .forbidden || refused.status == .notFound, "\(refused.summary)")

            // A review the new team requests afterwards is theirs alone.
            try await newManager.get("/cases/\(d.$case.id.slug)")
            let review = try await newManager.post("/cases/\(d.$case.id.slug)/reviews", [("urgency", "standard"), ("reason", "Plan the enquiry")])
            try world.step(review)
            let reviewText = try #require(Browser.firstMatch(#"/discussions/([0-9a-f-]{36})"#, in: review.location))
            #expect(try await oldWorker.get("/discussions/\(reviewText)").status == .notFound)
        }
    }

    @Test("REQ-003-01: a manager moves a case to another team with a reason, audited; without a reason it is refused")
    func managerTransfers() async throws {
        try await TestWorld.run(pack: "devon-mash") { world in
            let id = try await world.makeDiscussion(at: .awaitingBooking)
            let d = try await world.discussion(id)
            let manager = try await world.browser(.teamManager)
            let path = "/cases/\(d.$case.id.slug)"
            let page = try await manager.get(path)
            #expect(page.plainText.contains("Move the case to another team"))
            expectFieldError(try await manager.post(path + "/transfer", [("toTeam", world.otherTeamID.slug)]), "transferReason")
            try world.step(try await manager.post(path + "/transfer", [
                ("toTeam", world.otherTeamID.slug), ("transferReason", "Family moved to Bideford"),
            ]))
            #expect(try await world.discussion(id).teamID == world.otherTeamID)
            let entry = try #require(try await world.audit("case-transfer").last)
            #expect(entry.reason.contains("Family moved to Bideford"))
            // A social worker cannot move a case.
            let worker = try await world.browser(.otherTeamSocialWorker)
            let refused = try await worker.post(path + "/transfer", [("toTeam", world.teamID.slug), ("transferReason", "Back")])
            #expect(refused.status == .forbidden || refused.status == .notFound)
        }
    }
}
