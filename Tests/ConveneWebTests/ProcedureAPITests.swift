import ConveneCore
import ConveneStore
import ConveneTestSupport
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

/// Issue 16 through the JSON API: the SARC contact (TIME-000-02), outcome endorsement
/// (DEC-004-01) and moving a case (REQ-003-01), with errors naming the API's own fields.
@Suite("Procedures through the API")
struct ProcedureAPITests {
    @Test("TIME-000-02: the SARC contact is recorded through the API; a missing field is named; a second record is a conflict")
    func sarcContact() async throws {
        try await TestWorld.run(pack: "front-door", start: "2026-12-24T10:00:00Z") { world in
            let worker = try await world.api(.socialWorker)
            var body = world.requestBody()
            body["concerns"] = ["sexual-abuse"]
            body["incidentDate"] = "2026-12-21"
            let created = try await worker.post("/discussions", body)
            let id = try #require(UUID(uuidString: created.string("id")))
            let missing = try await worker.post("/discussions/\(id.slug)/sarc-contact", [
                "contactedAt": "2026-12-24T10:00:00Z", "contactedBy": " ", "forensicAdvice": "Seen today",
            ])
            #expect(missing.status == .badRequest)
            #expect(missing.fields == ["contactedBy"], "\(missing.text)")
            let done = try await worker.post("/discussions/\(id.slug)/sarc-contact", [
                "contactedAt": "2026-12-24T10:00:00Z", "contactedBy": "Sam Okafor", "forensicAdvice": "Examination today",
            ])
            #expect(done.status == .ok, "\(done.text)")
            #expect(try await world.discussion(id).request.sarcContact?.forensicAdvice == "Examination today")
            let again = try await worker.post("/discussions/\(id.slug)/sarc-contact", [
                "contactedAt": "2026-12-24T10:05:00Z", "contactedBy": "Sam Okafor", "forensicAdvice": "Again",
            ])
            #expect(again.status == .conflict)
        }
    }

    @Test("DEC-004-01: through the API the members endorse a change one by one until it stands; others cannot answer")
    func outcomeEndorsement() async throws {
        try await TestWorld.run(pack: "north-yorkshire") { world in
            let id = try await world.makeDiscussion(at: .inMeeting)
            let manager = try await world.api(.teamManager)
            let proposed = try await manager.post("/discussions/\(id.slug)/outcome-changes", [
                "change": "Child protection plan needed", "reason": "New disclosure",
            ])
            #expect(proposed.status == .created, "\(proposed.text)")
            #expect(proposed.string("status") == "awaiting")
            let change = proposed.string("id")
            let outsider = try await world.api(.serviceManager)
            let refused = try await outsider.post("/discussions/\(id.slug)/outcome-changes/\(change)/responses",
                                                  ["response": "endorse", "reason": "Agree"])
            #expect(refused.status == .forbidden)
            let noReason = try await manager.post("/discussions/\(id.slug)/outcome-changes/\(change)/responses",
                                                  ["response": "endorse", "reason": ""])
            #expect(noReason.fields == ["reason"], "\(noReason.text)")
            let who = Dictionary(uniqueKeysWithValues: world.people.map { ($0.value, $0.key) })
            let members = try await world.invitations(id).filter { $0.attendance?.present ?? false }.compactMap { $0.personID.flatMap { who[$0] } }
            var last = proposed
            for member in members {
                last = try await world.api(member).post("/discussions/\(id.slug)/outcome-changes/\(change)/responses",
                                                        ["response": "endorse", "reason": "Agreed"])
                #expect(last.status == .ok, "\(member): \(last.text)")
            }
            #expect(last.string("status") == "stands")
            let list = try await manager.get("/discussions/\(id.slug)/outcome-changes")
            #expect(list.string("rule") == "DEC-004-01")
            #expect(((list["items"] as? [[String: Any]])?.first?["responses"] as? [Any])?.count == members.count)
        }
    }

    @Test("REQ-003-01: a manager moves a case through the API; the reason is required")
    func transfer() async throws {
        try await TestWorld.run(pack: "devon-mash") { world in
            let id = try await world.makeDiscussion(at: .awaitingBooking)
            let caseID = try await world.discussion(id).$case.id
            let manager = try await world.api(.teamManager)
            let bare = try await manager.post("/cases/\(caseID.slug)/transfer", ["toTeam": world.otherTeamID.slug, "reason": ""])
            #expect(bare.fields == ["reason"], "\(bare.text)")
            let moved = try await manager.post("/cases/\(caseID.slug)/transfer", [
                "toTeam": world.otherTeamID.slug, "reason": "Family moved to Bideford",
            ])
            #expect(moved.status == .ok, "\(moved.text)")
            #expect(try await world.discussion(id).teamID == world.otherTeamID)
        }
    }
}
