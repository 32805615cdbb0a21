import ConveneCore
import ConveneStore
import ConveneTestSupport
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

/// Issue 16: pack data that differed from the seed text, through the pages and the API.
@Suite("Procedures: pack data on the pages and the API")
struct ProcedureDataTests {
    @Test("TIME-000-02 and ATT-000-01: Front Door suspected sexual abuse prompts the SARC contact before convening; SARC stays listed until invited by phone")
    func frontDoorSarc() async throws {
        try await TestWorld.run(pack: "front-door", start: "2026-12-24T10:00:00Z") { world in
            let fields = world.requestFields(concerns: ["sexual-abuse"]).setting(date: "incidentDate", day("2026-12-20"))
            let id = try await world.requestDiscussion(fields: fields)
            let worker = try await world.browser(.socialWorker)
            let request = try await worker.get("/discussions/\(id.slug)/request")
            #expect(request.plainText.contains("contact the SARC immediately"))
            let manager = try await world.browser(.teamManager)
            let decision = try await manager.get("/discussions/\(id.slug)/decision")
            #expect(decision.plainText.contains("contact the SARC immediately"))

            expectFieldError(try await worker.post("/discussions/\(id.slug)/sarc-contact", [("return", "request")]), "sarcContactedBy")
            try world.step(try await worker.post("/discussions/\(id.slug)/sarc-contact", [
                ("return", "request"), ("sarcContactedBy", "Sam Okafor"),
                ("sarcForensicAdvice", "Forensic window open until 27 December: examination today"),
            ].setting(date: "sarcContactedAt", day("2026-12-24"), time: "10:00")))
            let d = try await world.discussion(id)
            #expect(d.request.sarcContact?.contactedBy == "Sam Okafor")
            #expect(d.request.sarcContact?.contactedAt == at("2026-12-24T10:00:00Z"))
            #expect(try await world.audit("sarc-contact").count == 1)
            let casePage = try await worker.get("/cases/\(d.$case.id.slug)")
            #expect(casePage.plainText.contains("SARC contacted"))
            #expect(casePage.plainText.contains("examination today"))

            // An incident long before does not prompt it.
            let old = world.requestFields(concerns: ["sexual-abuse"], childName: "Ben Okoro").setting(date: "incidentDate", day("2026-11-01"))
            let oldID = try await world.requestDiscussion(fields: old)
            #expect(!(try await worker.get("/discussions/\(oldID.slug)/request")).plainText.contains("contact the SARC immediately"))

            // The authority has no SARC account: the requirement shows until someone is invited.
            try await world.advance(id, to: .booked, cast: .ownTeam)
            let minutes = try await world.browser(.minuteTaker)
            let page = try await minutes.get("/discussions/\(id.slug)/invitations")
            #expect(page.plainText.contains("Not invited yet"))
            #expect(page.plainText.contains("SARC"))
            let api = try await world.api(.minuteTaker)
            var list = try await api.get("/discussions/\(id.slug)/invitations")
            let uninvited = try #require(list["uninvited"] as? [[String: Any]])
            let sarc = try #require(uninvited.first { $0["agency"] as? String == "sarc" })
            #expect(sarc["rule"] as? String == "ATT-000-01")
            let added = try await api.post("/discussions/\(id.slug)/invitations", [
                "name": "Duty SARC nurse", "agency": "sarc", "phone": "0330 223099",
            ])
            #expect(added.status == .created, "\(added.text)")
            #expect(added.string("phone") == "0330 223099")
            list = try await api.get("/discussions/\(id.slug)/invitations")
            #expect(!((list["uninvited"] as? [[String: Any]]) ?? []).contains { $0["agency"] as? String == "sarc" })
        }
    }

    @Test("ATT-ALL-01 (seed 003): Devon invites education by default, as one of the four key MASH agencies")
    func devonEducation() async throws {
        try await TestWorld.run(pack: "devon-mash") { world in
            let id = try await world.makeDiscussion(at: .booked)
            #expect(try await world.invitations(id).contains { $0.agency == "education" })
        }
    }

    @Test("ATT-002-01: Hertfordshire asks for the responsible consultant when the child receives hospital or child development services")
    func hertfordshireConsultant() async throws {
        try await TestWorld.run(pack: "hertfordshire") { world in
            let fields = world.requestFields(concerns: ["neglect"]) + [("children[0].circumstances", "hospitalServices")]
            let id = try await world.requestDiscussion(fields: fields)
            #expect(try await world.discussion(id).request.children.first?.hospitalServices == true)
            try await world.advance(id, to: .booked, cast: .ownTeam)
            let api = try await world.api(.minuteTaker)
            let list = try await api.get("/discussions/\(id.slug)/invitations")
            let uninvited = (list["uninvited"] as? [[String: Any]]) ?? []
            #expect(uninvited.contains { ($0["roles"] as? [String]) == ["consultant"] && $0["rule"] as? String == "ATT-002-01" })
            #expect(!uninvited.contains { ($0["roles"] as? [String]) == ["ward-nurse"] })
        }
    }
}
