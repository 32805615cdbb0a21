import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

/// Object- and function-level access through the API (ASVS-5.0-8.2.1, 8.2.2), optimistic
/// locking and the lifecycle's order.
@Suite("API access and conflicts")
struct APIAccessTests {
    @Test("Another team's or authority's discussion does not exist for you: 404, and the refusal is audited")
    func otherTeams() async throws {
        try await TestWorld.run { world in
            let id = try await world.requestDiscussion()
            for who in [Who.otherTeamSocialWorker, .foreignManager] {
                let reply = try await world.api(who).get("/discussions/\(id.slug)")
                #expect(reply.status == .notFound, "\(who) saw it")
                #expect(reply.isProblem)
                let list = try await world.api(who).get("/discussions")
                #expect((list["items"] as? [Any])?.isEmpty == true)
            }
            let own = try await world.api(.socialWorker).get("/discussions")
            #expect((own["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id.slug], "ids are written in lower case")
        }
    }

    @Test("A social worker may see the discussion but not decide to convene: 403")
    func wrongRole() async throws {
        try await TestWorld.run { world in
            let id = try await world.requestDiscussion()
            let reply = try await world.api(.socialWorker).post("/discussions/\(id.slug)/decision",
                                                                ["convene": true, "expectedVersion": 1])
            #expect(reply.status == .forbidden)
            #expect(reply.isProblem)
            #expect(try await world.discussion(id).stage == .requested)
        }
    }

    @Test("A stale expectedVersion is refused with 409 and nothing changes")
    func staleVersion() async throws {
        try await TestWorld.run { world in
            let id = try await world.requestDiscussion()
            let reply = try await world.api(.teamManager).post("/discussions/\(id.slug)/decision",
                                                               ["convene": true, "expectedVersion": 7])
            #expect(reply.status == .conflict)
            #expect(reply.isProblem)
            #expect(try await world.discussion(id).stage == .requested)
        }
    }

    @Test("A step at the wrong stage is refused with 409: booking before the decision, deciding twice")
    func wrongStage() async throws {
        try await TestWorld.run { world in
            let id = try await world.requestDiscussion()
            let slots = try await world.api(.minuteTaker).get("/discussions/\(id.slug)/slots")
            #expect(slots.status == .conflict)
            let chair = try await world.api(.teamManager)
            #expect(try await chair.post("/discussions/\(id.slug)/decision", ["convene": true, "expectedVersion": 1]).status == .ok)
            let again = try await chair.post("/discussions/\(id.slug)/decision",
                                             ["convene": false, "reason": "Changed my mind", "expectedVersion": 2])
            #expect(again.status == .conflict)
        }
    }

    @Test("Invitees read the authorised minutes, not the working record")
    func inviteeMinutes() async throws {
        try await TestWorld.run { world in
            let id = try await world.requestDiscussion()
            try await world.advance(id, to: .circulated)
            let invited = try await world.discussion(id)
            let invitations = try await Invitation.query(on: world.app.db).filter(\.$discussion.$id == invited.id!).all()
            let who = try #require([Who.police, .health, .education].first { w in invitations.contains { $0.personID == world.people[w] } })
            let invitee = try await world.api(who)
            #expect(try await invitee.get("/discussions/\(id.slug)/record").status == .forbidden)
            let minutes = try await invitee.get("/discussions/\(id.slug)/minutes")
            #expect(minutes.status == .ok)
            #expect(minutes["released"] as? Bool == true)
            #expect(minutes["canCorrect"] as? Bool == true)
            let correction = try await invitee.post("/discussions/\(id.slug)/corrections",
                                                   ["section": "Decisions", "text": "The ABE interview is on Friday"])
            #expect(correction.status == .created, "\(correction.text)")
            let chair = try await world.api(.teamManager)
            let listed = try await chair.get("/discussions/\(id.slug)/corrections")
            let correctionID = try #require((listed["items"] as? [[String: Any]])?.first?["id"] as? String)
            let decided = try await chair.post("/discussions/\(id.slug)/corrections/\(correctionID)/decision", ["accept": false])
            #expect(decided.status == .badRequest)
            #expect(decided.fields == ["reason"])
            let accepted = try await chair.post("/discussions/\(id.slug)/corrections/\(correctionID)/decision", ["accept": true])
            #expect(accepted.string("status") == "accepted")
        }
    }
}
