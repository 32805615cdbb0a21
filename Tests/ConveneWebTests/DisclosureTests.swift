import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

/// Disclosure control (REC-ALL-02, REC-002-02): someone outside a discussion asks to read its
/// minutes; a service manager decides with a reason; access is for the stated purpose and
/// period only. Break-glass reads need a reason, last 4 hours and are flagged for review.
@Suite("Disclosure control and break-glass")
struct DisclosureTests {
    func minutes(_ browser: Browser, _ id: UUID) async throws -> TestingHTTPResponse {
        try await browser.get("/discussions/\(id.slug)/minutes")
    }

    @Test("REC-002-02: a non-participant's request, granted by a service manager for 7 days, opens the minutes for 7 days only")
    func grantIsTimeLimited() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .circulated)
            let reference = try await world.discussion(id).reference
            let outsider = try await world.browser(.otherTeamSocialWorker)
            #expect(try await minutes(outsider, id).status == .notFound, "a non-invitee read the minutes")

            // The request needs a purpose and a period of 1 to 90 days, each named.
            let incomplete = try await outsider.post("/disclosures", [("reference", reference), ("purpose", ""), ("days", "400")])
            expectFieldError(incomplete, "purpose")
            expectFieldError(incomplete, "days")
            try world.expectRedirect(try await outsider.post("/disclosures", [
                ("reference", reference), ("purpose", "Court report for the care proceedings"), ("days", "7"),
            ]))
            let request = try #require(try await DisclosureRequest.query(on: world.app.db).first())
            #expect(request.status == .pending)
            #expect(try await minutes(outsider, id).status == .notFound, "access before any decision")

            // Only a service manager decides; a reason is required.
            let worker = try await world.browser(.socialWorker)
            try await worker.get("/my-work")
            #expect(try await worker.post("/disclosures/\(request.id!.slug)", [("decision", "grant"), ("reason", "Fine")]).status == .forbidden)
            let manager = try await world.browser(.serviceManager)
            let before = try await world.storeState()
            let noReason = try await manager.post("/disclosures/\(request.id!.slug)", [("decision", "grant"), ("reason", "")])
            expectFieldError(noReason, "reason-" + request.id!.slug)
            #expect(try await world.storeState() == before)

            try world.expectRedirect(try await manager.post("/disclosures/\(request.id!.slug)", [
                ("decision", "grant"), ("reason", "Needed for the court; the chair agrees"),
            ]))
            let grant = try #require(try await AccessGrant.query(on: world.app.db).first())
            #expect(grant.personID == world.people[.otherTeamSocialWorker])
            #expect(grant.purpose == "Court report for the care proceedings")
            #expect(grant.expiresAt.timeIntervalSince(grant.startsAt) == 7 * 86_400)
            let decided = try await world.audit("disclosure-grant")
            #expect(decided.count == 1 && decided[0].reason == "Needed for the court; the chair agrees")

            let granted = try await minutes(outsider, id)
            #expect(granted.status == .ok, "\(granted.summary)")
            // Reading under the grant is audited, naming the reader.
            #expect(try await world.audit("view").contains { $0.actorID == world.people[.otherTeamSocialWorker] && $0.objectID == id })

            world.clock.advance(7 * 86_400 - 120)
            let lastDay = try await world.browser(.otherTeamSocialWorker)
            #expect(try await minutes(lastDay, id).status == .ok, "the grant ended early")
            world.clock.advance(180)
            // The session would have timed out too: sign in afresh to see the grant itself end.
            let later = try await world.browser(.otherTeamSocialWorker)
            #expect(try await minutes(later, id).status == .notFound, "the grant outlived its period")
        }
    }

    @Test("REC-002-02: a refused request gives no access, and a request cannot be decided twice")
    func refusal() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .circulated)
            let outsider = try await world.browser(.otherTeamSocialWorker)
            try world.expectRedirect(try await outsider.post("/disclosures", [
                ("reference", try await world.discussion(id).reference), ("purpose", "Curiosity"), ("days", "3"),
            ]))
            let request = try #require(try await DisclosureRequest.query(on: world.app.db).first())
            let manager = try await world.browser(.serviceManager)
            expectFieldError(try await manager.post("/disclosures/\(request.id!.slug)", [("reason", "No")]), "decision-" + request.id!.slug)
            try world.expectRedirect(try await manager.post("/disclosures/\(request.id!.slug)", [
                ("decision", "refuse"), ("reason", "No purpose connected with the child's protection"),
            ]))
            #expect(try await AccessGrant.query(on: world.app.db).count() == 0)
            #expect(try await minutes(outsider, id).status == .notFound)
            let again = try await manager.post("/disclosures/\(request.id!.slug)", [("decision", "grant"), ("reason", "Changed my mind")])
            #expect(again.status == .conflict)
        }
    }

    @Test("A manager's break-glass read needs a reason, is flagged in the audit trail, and ends after 4 hours")
    func breakGlass() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .circulated)
            let reference = try await world.discussion(id).reference
            let manager = try await world.browser(.otherTeamManager)
            try await manager.get("/disclosures")
            #expect(try await manager.get("/discussions/\(id.slug)").status == .notFound)
            let before = try await world.storeState()
            expectFieldError(try await manager.post("/break-glass", [("reference", reference), ("reason", "")]), "reason")
            expectFieldError(try await manager.post("/break-glass", [("reference", "SD-1999-99999/1"), ("reason", "Urgent")]), "reference")
            #expect(try await world.storeState() == before)

            try world.expectRedirect(try await manager.post("/break-glass", [
                ("reference", reference), ("reason", "Police at the door out of hours; the allocated team is unavailable"),
            ]))
            #expect(try await manager.get("/discussions/\(id.slug)").status == .ok)
            let entry = try #require(try await world.audit("break-glass").first)
            #expect(entry.flagged)
            #expect(entry.actorID == world.people[.otherTeamManager])
            // It is listed for a service manager to review.
            let service = try await world.browser(.serviceManager)
            #expect(try await service.get("/disclosures").plainText.contains("Police at the door out of hours"))

            world.clock.advance(4 * 3600 + 60)
            let later = try await world.browser(.otherTeamManager)
            #expect(try await later.get("/discussions/\(id.slug)").status == .notFound, "break-glass access outlived 4 hours")
        }
    }

    @Test("A social worker cannot break glass")
    func breakGlassNeedsAManager() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .circulated)
            let worker = try await world.browser(.otherTeamSocialWorker)
            try await worker.get("/disclosures")
            let refused = try await worker.post("/break-glass", [("reference", try await world.discussion(id).reference), ("reason", "Urgent")])
            #expect(refused.status == .forbidden)
            #expect(try await AccessGrant.query(on: world.app.db).count() == 0)
        }
    }
}
