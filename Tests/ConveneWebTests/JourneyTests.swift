import ConveneCore
import ConveneStore
@testable import ConveneWeb
import Foundation
import Testing
import VaporTesting

/// The whole journey through the pages: request → decision → booking → invitations →
/// meeting → decisions → actions → finalise → authorise → circulate.
@Suite("Journey")
struct JourneyTests {
    @Test("A discussion goes from request to circulated minutes, each step leaving an audit entry")
    func requestToCirculation() async throws {
        try await TestWorld.run { world in
            let id = try await world.requestDiscussion()
            #expect(try await world.discussion(id).stage == .requested)
            try await world.advance(id, to: .circulated)
            let discussion = try await world.discussion(id)
            #expect(discussion.stage == .circulated)
            #expect(discussion.recordVersion == 2)
            let actions = try await AuditEntry.query(on: world.app.db).all().map(\.action)
            for step in ["create", "decide", "book", "invite-send", "attendance", "record-edit", "finalise", "authorise", "circulate"] {
                #expect(actions.contains(step), "no audit entry for \(step)")
            }
            let verification = try await AuditTrail.verify(on: world.app.db)
            #expect(verification.ok)
        }
    }
}
