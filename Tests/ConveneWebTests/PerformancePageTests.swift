import ConveneCore
import ConveneStore
import Foundation
import Testing
import VaporTesting
@testable import ConveneWeb

/// Issue 13 (OVS-ALL-01): the performance page for team managers and service managers.
@Suite("Performance page")
struct PerformancePageTests {
    @Test("OVS-ALL-01: last month's figures for the manager's own scope, each number a drill-down; others are refused and see no link")
    func performancePage() async throws {
        try await TestWorld.run(start: "2026-11-23T09:00:00Z") { world in
            let own = try await world.makeDiscussion(at: .awaitingBooking)
            let ownSecond = try await world.makeDiscussion(childName: "Ben Okoro")
            let other = try await world.makeDiscussion(.otherTeam, childName: "Cara Doyle")
            // Into December: November is the last whole month.
            world.clock.advance(9 * 86_400)

            let manager = try await world.browser(.teamManager)
            let page = try await manager.get("/performance")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("1 November 2026 to 30 November 2026"))
            #expect(html.contains("<caption class=\"cv-table__caption cv-table__caption--m\">Measures for"))
            #expect(html.contains("href=\"/performance/requests-made\">2<span class=\"cv-visually-hidden\">"))
            #expect(html.contains("href=\"/performance/convened\">1<"))
            #expect(html.contains(">50%"))
            #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cv-chart\""))
            #expect(html.contains("role=\"img\""))
            #expect(html.contains("href=\"/performance\""), "the navigation links the page")
            #expect(!html.contains("style="))

            let list = try await manager.get("/performance/requests-made")
            #expect(list.status == .ok)
            let ownRef = try await world.discussion(own).reference, secondRef = try await world.discussion(ownSecond).reference
            let otherRef = try await world.discussion(other).reference
            #expect(list.body.string.contains(ownRef) && list.body.string.contains(secondRef))
            #expect(!list.body.string.contains(otherRef))
            #expect(try await manager.get("/performance/no-such-measure").status == .notFound)

            let service = try await world.browser(.serviceManager)
            let whole = try await service.get("/performance")
            #expect(whole.body.string.contains("The authority"))
            #expect(whole.body.string.contains("href=\"/performance/requests-made\">3<"))
            #expect(try await service.get("/performance/requests-made").body.string.contains(otherRef))

            for who in [Who.socialWorker, .minuteTaker, .administrator] {
                let browser = try await world.browser(who)
                #expect(try await browser.get("/performance").status == .forbidden, "\(who)")
                #expect(!(try await browser.get("/my-work").body.string.contains("href=\"/performance\"")), "\(who)")
            }
        }
    }
}
