import ConveneCore
import ConveneLifecycle
import ConveneStore
import FluentKit
import Foundation
import Testing

@Suite("Oversight facts (issue 13, OVS-ALL-01): written with each change, rebuilt by the command")
struct OversightFactsTests {
    func stored(_ id: UUID, _ world: LifecycleWorld) async throws -> DiscussionFacts {
        try #require(try await DiscussionFactsRecord.find(id, on: world.db)).facts
    }

    @Test("A request, the meeting and an action's progress each leave the discussion's facts as the store now says")
    func writtenWithEachChange() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            var facts = try await stored(id, world)
            let discussion = try await world.discussion(id)
            #expect(facts.stage == .requested && facts.requestedAt == discussion.requestedAt && facts.heldAt == nil)
            #expect(facts.teamID == world.teamID && facts.organisationID == world.organisationID && facts.packID == "bradford")

            try await world.advance(id, to: .inMeeting)
            facts = try await stored(id, world)
            let held = try await world.discussion(id)
            #expect(facts.stage == .inMeeting && facts.convened && facts.heldAt == held.startedAt && facts.heldAt != nil)
            let actions = try await ActionRecord.query(on: world.db).filter(\.$discussion.$id == id).all()
            #expect(!actions.isEmpty && Set(facts.actions.map(\.id)).isSubset(of: Set(actions.compactMap(\.id))))

            let action = try #require(actions.first { $0.ownerPersonID == world.id(.socialWorker) })
            #expect(facts.actions.first { $0.id == action.id }?.status != .done)
            try await Operations.updateActionStatus(world.ctx(.socialWorker), actionID: action.id!, status: .done, note: "Seen alone")
            facts = try await stored(id, world)
            #expect(facts.actions.first { $0.id == action.id }?.status == .done)
        }
    }

    @Test("convene oversight rebuild writes every discussion's facts again, one audited page at a time")
    func rebuild() async throws {
        try await LifecycleWorld.run { world in
            let first = try await world.request()
            let second = try await world.request(world.requestValue(child: "Leo Smith"))
            try await world.advance(first, to: .awaitingBooking)
            let before = [try await stored(first, world), try await stored(second, world)]
            try await DiscussionFactsRecord.query(on: world.db).delete()
            #expect(try await OversightFactsStore.count(on: world.db) == 0)

            let summary = try await OversightRebuild.run(world.ctx(nil), pageSize: 1)
            #expect(summary.cases == 2 && summary.discussions == 2)
            let after = [try await stored(first, world), try await stored(second, world)]
            #expect(after == before)
            #expect(after[0].convened && !after[1].convened)
            #expect(try await world.audit("oversight-rebuild").count == 2)
        }
    }
}
