import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import Testing

@Suite("Disclosure (REC-ALL-02) and break-glass reads")
struct DisclosureTests {
    @Test("Someone outside asks; a service manager grants for the period; the grant opens the record, flagged when read")
    func requestAndGrant() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .circulated)
            let reference = try await world.discussion(id).reference
            await expectInvalid("days") {
                try await Operations.requestDisclosure(world.ctx(.otherTeamSocialWorker), reference: reference, purpose: "Court", days: 91)
            }
            await expectInvalid("reference") {
                try await Operations.requestDisclosure(world.ctx(.otherTeamSocialWorker), reference: "SD-1999-00001/1", purpose: "Court",
                                                       days: 14)
            }
            await expectInvalid("reference") {
                try await Operations.requestDisclosure(world.ctx(.socialWorker), reference: reference, purpose: "Already mine", days: 14)
            }
            await expectNotAllowed {
                try await Operations.requestDisclosure(world.ctx(.administrator), reference: reference, purpose: "Curious", days: 14)
            }
            let request = try await Operations.requestDisclosure(world.ctx(.otherTeamSocialWorker), reference: reference.lowercased(),
                                                                purpose: "Court report", days: 14)
            await expectNotAllowed {
                try await Operations.decideDisclosure(world.ctx(.teamManager), requestID: request, grant: true, reason: "Fine")
            }
            await expectInvalid("decision-" + request.slug) {
                try await Operations.decideDisclosure(world.ctx(.serviceManager), requestID: request, grant: nil, reason: "Fine")
            }
            await expectNotFound {
                try await Operations.decideDisclosure(world.ctx(.serviceManager), requestID: UUID(), grant: true, reason: "Fine")
            }
            try await Operations.decideDisclosure(world.ctx(.serviceManager), requestID: request, grant: true, reason: "For the court")
            await expectConflict {
                try await Operations.decideDisclosure(world.ctx(.serviceManager), requestID: request, grant: false, reason: "Changed my mind")
            }
            let granted = try await world.load(id, as: .otherTeamSocialWorker, for: .viewRecord)
            #expect(granted.context.grant && granted.read.flagged)
            world.clock.advance(15 * 86_400)
            await expectRefused(canSee: false) { _ = try await world.load(id, as: .otherTeamSocialWorker, for: .viewRecord) }
            let list = try await Operations.disclosures(world.ctx(.serviceManager))
            #expect(list.isManager && list.requests.count == 1 && list.references[id] == reference)
        }
    }

    @Test("Break-glass: a manager outside the team reads at once, flagged for review; a social worker may not")
    func breakGlass() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let reference = try await world.discussion(id).reference
            await expectNotAllowed {
                _ = try await Operations.breakGlass(world.ctx(.otherTeamSocialWorker), reference: reference, reason: "Urgent")
            }
            await expectInvalid("reason") {
                _ = try await Operations.breakGlass(world.ctx(.otherTeamManager), reference: reference, reason: "")
            }
            #expect(try await Operations.breakGlass(world.ctx(.otherTeamManager), reference: reference, reason: "Child at A&E") == id)
            #expect(try await world.audit("break-glass").first?.flagged == true)
            #expect(try await world.load(id, as: .otherTeamManager).context.grant)
            let grant = try #require(try await AccessGrant.query(on: world.db).first())
            await expectNotAllowed { try await Operations.reviewBreakGlass(world.ctx(.teamManager), grantID: grant.id!, note: "Fine") }
            await expectNotFound { try await Operations.reviewBreakGlass(world.ctx(.serviceManager), grantID: UUID(), note: "Fine") }
            try await Operations.reviewBreakGlass(world.ctx(.serviceManager), grantID: grant.id!, note: "Justified")
            #expect(try await Operations.disclosures(world.ctx(.serviceManager)).grants.isEmpty)
        }
    }
}
