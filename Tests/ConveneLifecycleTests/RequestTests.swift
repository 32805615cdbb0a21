import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import Testing

@Suite("The request (REQ-001-01), the decision to convene (REQ-001-02) and the SARC contact (TIME-000-02)")
struct RequestTests {
    @Test("A social worker's request makes the case, its children and the first discussion, audited, with its deadline")
    func createRequest() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let d = try await world.discussion(id)
            #expect(d.stage == .requested && d.reference.hasSuffix("/1") && d.teamID == world.teamID && d.nextDue != nil)
            #expect(try await CaseChild.query(on: world.db).filter(\.$case.$id == d.$case.id).count() == 1)
            #expect(try await world.audit("create").first?.objectID == id)
        }
    }

    @Test("Only staff who may request one can: a partner, a minute taker and an administrator are not allowed")
    func requestRefused() async throws {
        try await LifecycleWorld.run { world in
            for who in [Who.police, .minuteTaker, .administrator, .auditor] {
                await expectNotAllowed { _ = try await world.request(as: who) }
            }
            let made = try await Discussion.query(on: world.db).count()
            #expect(made == 0)
        }
    }

    @Test("The request's problems are named by field, and another authority's team is refused as `team`")
    func requestInvalid() async throws {
        try await LifecycleWorld.run { world in
            var request = world.requestValue()
            request.presentingIssue = ""
            await expectInvalid("presentingIssue") { _ = try await world.request(request) }
            let foreignTeam = try #require(try await Team.query(on: world.db).filter(\.$organisation.$id == world.foreignOrganisationID).first())
            await expectInvalid("team") {
                _ = try await Operations.createRequest(world.ctx(.socialWorker), request: world.requestValue(), teamID: foreignTeam.id)
            }
            #expect(try await Discussion.query(on: world.db).count() == 0)
        }
    }

    @Test("REQ-001-02: the team manager decides; a declined request needs a reason; a second decision is at the wrong stage")
    func decide() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let loaded = try await world.load(id, as: .teamManager, for: .decideConvene)
            await expectInvalid("convene") {
                try await Operations.decide(world.ctx(.teamManager), loaded, convene: nil, reason: "", expectedVersion: 0)
            }
            await expectInvalid("reason") {
                try await Operations.decide(world.ctx(.teamManager), loaded, convene: false, reason: " ", expectedVersion: 0)
            }
            try await Operations.decide(world.ctx(.teamManager), loaded, convene: true, reason: "", expectedVersion: 1)
            let d = try await world.discussion(id)
            #expect(d.stage == .awaitingBooking && d.chairID == world.id(.teamManager) && d.lockVersion == 2)
            await expectWrongStage {
                try await Operations.decide(world.ctx(.teamManager), loaded, convene: true, reason: "", expectedVersion: 2)
            }
        }
    }

    @Test("ASVS-5.0-2.3.3: a decision made on a stale version is a conflict and changes nothing")
    func decideStale() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let loaded = try await world.load(id, as: .teamManager, for: .decideConvene)
            await expectConflict {
                try await Operations.decide(world.ctx(.teamManager), loaded, convene: true, reason: "", expectedVersion: 7)
            }
            #expect(try await world.discussion(id).stage == .requested)
        }
    }

    @Test("TIME-000-02: the SARC contact is recorded once, with its fields checked, while the discussion is open")
    func sarcContact() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request(world.requestValue(concerns: ["sexual-abuse"]))
            let loaded = try await world.load(id, as: .teamManager, for: .recordImmediateProtection)
            await expectInvalid("sarcContactedBy") {
                try await Operations.recordSarcContact(world.ctx(.teamManager), loaded, at: world.clock.now, by: "", advice: "Seen today")
            }
            try await Operations.recordSarcContact(world.ctx(.teamManager), loaded, at: world.clock.now.addingTimeInterval(-60),
                                                   by: "Tara", advice: "Examination today")
            #expect(try await world.discussion(id).request.sarcContact?.contactedBy == "Tara")
            let again = try await world.load(id, as: .teamManager, for: .recordImmediateProtection)
            await expectConflict {
                try await Operations.recordSarcContact(world.ctx(.teamManager), again, at: world.clock.now, by: "Tara", advice: "Again")
            }
        }
    }

    @Test("The request form starts from the requester's team and its managers; a partner may not start one")
    func startRequest() async throws {
        try await LifecycleWorld.run { world in
            let start = try await Operations.startRequest(world.ctx(.socialWorker))
            #expect(start.team?.id == world.teamID && start.allocatedSocialWorker == "SocialWorker")
            #expect(start.teamManager == "TeamManager" && start.serviceManager == "ServiceManager" && start.teams.count == 2)
            await expectNotAllowed { _ = try await Operations.startRequest(world.ctx(.police)) }
        }
    }
}
