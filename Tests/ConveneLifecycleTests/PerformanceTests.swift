import ConveneCore
import ConveneLifecycle
import ConveneStore
import FluentKit
import Foundation
import Testing

@Suite("Performance figures (issue 13, OVS-ALL-01): whose, which month, and the discussions behind each")
struct PerformanceTests {
    @Test("A team manager sees their team's last month, a service manager the authority's; other roles are refused")
    func scopes() async throws {
        try await LifecycleWorld.run { world in
            let own = try await world.request()
            try await world.advance(own, to: .awaitingBooking)
            _ = try await world.request(world.requestValue(child: "Leo Smith"))
            let other = try await Operations.createRequest(world.ctx(.serviceManager), request: world.requestValue(child: "Cara Doyle"),
                                                           teamID: world.otherTeamID)
            // Into December: November is the last whole month.
            world.clock.advance(9 * 86_400)

            let team = try await Operations.performance(world.ctx(.teamManager))
            #expect(!team.organisationWide && team.team?.id == world.teamID)
            #expect(team.figures.period.label == "1 November 2026 to 30 November 2026")
            #expect(team.figures.measure("requests-made")?.count == 2)
            #expect(team.figures.measure("convened")?.count == 1 && team.figures.measure("convened")?.percentage == 50)
            #expect(team.figures.measure("requests-made")?.discussions.contains(other) == false)

            let service = try await Operations.performance(world.ctx(.serviceManager))
            #expect(service.organisationWide && service.figures.measure("requests-made")?.count == 3)

            let behind = try #require(try await Operations.performanceDiscussions(world.ctx(.teamManager), measure: "convened",
                                                                                   page: ListPage(number: 1, size: 25)))
            #expect(behind.total == 1 && behind.rows.map(\.id) == [own])
            #expect(try await Operations.performanceDiscussions(world.ctx(.teamManager), measure: "nonsense",
                                                                page: ListPage(number: 1, size: 25)) == nil)

            // A partner agency member: their agency's attendance and actions only.
            let police = try await Operations.performance(world.ctx(.police))
            #expect(police.agency == "police" && police.figures.measure("requests-made") == nil)
            for who in [Who.socialWorker, .minuteTaker, .administrator, .auditor] {
                await expectNotAllowed { _ = try await Operations.performance(world.ctx(who)) }
            }
            await expectNotSignedIn { _ = try await Operations.performance(world.ctx(nil)) }
        }
    }

    @Test("OVS-ALL-01: where an authority's discussions ran under two procedures, the view counts one of them on request")
    func procedureFilter() async throws {
        try await LifecycleWorld.run { world in
            let current = try await world.request()
            let earlier = try await world.request(world.requestValue(child: "Leo Smith"))
            // As if the second had run under the procedure the authority used before.
            var facts = try #require(try await DiscussionFactsRecord.find(earlier, on: world.db))
            facts.packID = "devon"
            facts.facts.packID = "devon"
            try await facts.save(on: world.db)
            world.clock.advance(9 * 86_400)

            let all = try await Operations.performance(world.ctx(.teamManager))
            #expect(all.procedures.map { $0.id } == ["bradford", "devon"] && all.procedure == nil)
            #expect(all.figures.measure("requests-made")?.count == 2)

            let one = try await Operations.performance(world.ctx(.teamManager), PerformanceQuery(procedure: "devon"))
            #expect(one.procedure?.id == "devon" && one.query.procedure == "devon")
            #expect(one.figures.measure("requests-made")?.discussions == [earlier])
            let behind = try #require(try await Operations.performanceDiscussions(
                world.ctx(.teamManager), PerformanceQuery(procedure: "bradford"), measure: "requests-made",
                page: ListPage(number: 1, size: 25)))
            #expect(behind.rows.map(\.id) == [current])

            await expectInvalid("procedure") {
                _ = try await Operations.performance(world.ctx(.teamManager), PerformanceQuery(procedure: "elsewhere"))
            }
        }
    }
}

