import ConveneCore
import ConveneLifecycle
@testable import ConveneStore
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

    @Test("OVS-ALL-01: the weekly trend read from the convening columns agrees with the facts, late once the deadline passes")
    func trendFromColumns() async throws {
        try await LifecycleWorld.run { world in
            let held = try await world.request()
            try await world.advance(held, to: .inMeeting)
            let open = try await world.request(world.requestValue(child: "Leo Smith"))
            // The row's columns say what its facts say.
            let row = try #require(try await DiscussionFactsRecord.find(held, on: world.db))
            let convening = try #require(row.facts.convening)
            #expect(row.conveningTimeliness == convening.timeliness && row.conveningDue == convening.due
                && row.conveningLateReason == convening.lateReason)
            #expect(row.facts.heldAt != nil)

            // Into December: the view's trend holds the meeting in its own week, as the facts do.
            world.clock.advance(9 * 86_400)
            let view = try await Operations.performance(world.ctx(.teamManager))
            let facts = try await OversightFactsStore.facts(organisation: world.organisationID, requestedFrom: .distantPast,
                                                            to: .distantFuture, on: world.db)
            let worked = OversightFigures(facts: facts, period: view.figures.period, filter: view.figures.filter,
                                          asOf: world.clock.now)
            #expect(view.figures.weeks == worked.weeks)
            #expect(view.figures.weeks.map(\.held).reduce(0, +) == 1)
            #expect(view.figures.measures == worked.measures)

            // A meeting stored as held with its deadline still due (an edited row): due until
            // the deadline, then late, with the reason split as the engine splits it.
            let due = world.clock.now.addingTimeInterval(-3_600)
            var edited = try await stored(open, world)
            edited.heldAt = world.clock.now.addingTimeInterval(-86_400)
            edited.convening = DutyFact(duty: .strategyDiscussion, basisAt: edited.requestedAt, due: due, done: nil,
                                        timeliness: .due, lateReason: true, rule: "test", timescale: "within a day")
            try await OversightFactsStore.save([edited], on: world.db)
            let read = { (asOf: Date) in
                try await OversightFactsStore.held(organisation: world.organisationID, team: world.teamID, from: .distantPast,
                                                   to: .distantFuture, asOf: asOf, on: world.db)
                    .first { $0.heldAt == edited.heldAt }?.convening
            }
            #expect(try await read(due) == .due)
            #expect(try await read(due.addingTimeInterval(1)) == .lateWithReason)
            #expect(try await read(due.addingTimeInterval(1)) == edited.convening?.timeliness(at: due.addingTimeInterval(1)))
            // Another team's or authority's trend does not see it.
            #expect(try await OversightFactsStore.held(organisation: world.organisationID, team: world.otherTeamID,
                                                       from: .distantPast, to: .distantFuture, asOf: due, on: world.db).isEmpty)
            #expect(try await OversightFactsStore.held(organisation: world.foreignOrganisationID, from: .distantPast,
                                                       to: .distantFuture, asOf: due, on: world.db).isEmpty)
        }
    }

    @Test("Migration 008 fills the convening columns of rows written before it from their stored facts")
    func migrationFillsColumns() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .inMeeting)
            try await DiscussionFactsRecord.query(on: world.db).set(\.$conveningTimeliness, to: nil)
                .set(\.$conveningDue, to: nil).set(\.$conveningLateReason, to: nil).update()
            #expect(try await DiscussionFactsRecord.find(id, on: world.db)?.conveningTimeliness == nil)
            try await AddDiscussionFactsConvening.fill(on: world.db)
            let row = try #require(try await DiscussionFactsRecord.find(id, on: world.db))
            #expect(row.conveningTimeliness != nil && row.conveningTimeliness == row.facts.convening?.timeliness)
            #expect(row.conveningDue == row.facts.convening?.due)
        }
    }
}
