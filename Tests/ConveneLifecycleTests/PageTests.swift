import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import Testing

@Suite("Pages' contexts assembled from the lifecycle's reads, as the templates read them")
struct PageTests {
    @Test("INT-ALL-06: the task list page carries the discussion's sections and deadlines")
    func discussionPage() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let loaded = try await world.load(id, as: .socialWorker)
            let overview = try await Operations.discussionOverview(world.ctx(.socialWorker), loaded)
            let page = try json(DiscussionPage(loaded, overview, now: world.clock.now))
            #expect(page["reference"] as? String == loaded.discussion.reference)
            #expect((page["sections"] as? [Any])?.count == overview.sections.count)
            #expect((page["deadlines"] as? [Any])?.isEmpty == false && page["noDeadlines"] as? Bool == false)
        }
    }

    @Test("REQ-003-01: the case page offers to move the case only to the authority's other teams")
    func casePage() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let (loaded, timeline) = try await DiscussionAccess.loadCase(try await world.caseID(id), for: .viewDiscussion,
                                                                         world.ctx(.teamManager))
            let overview = try await Operations.caseOverview(world.ctx(.teamManager), loaded, timeline)
            let page = try json(CasePage(loaded, timeline, overview: overview, state: FormState(),
                                         today: EuropeLondon.localDate(of: world.clock.now)))
            let toTeam = try #require(page["toTeam"] as? [String: Any])
            let values = try #require(toTeam["options"] as? [[String: Any]]).compactMap { $0["value"] as? String }
            #expect(values == ["", world.otherTeamID.slug])
            #expect(page["team"] as? String == "Assessment North" && page["canTransfer"] as? Bool == true)
        }
    }

    @Test("REC-ALL-01: each thing the record lacks links to where it is put right")
    func recordLinks() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .booked)
            let loaded = try await world.load(id, as: .teamManager, for: .viewRecord)
            let record = try await Operations.recordOverview(world.ctx(.teamManager), loaded)
            let page = try json(RecordPage(loaded, record, today: EuropeLondon.localDate(of: world.clock.now)))
            let missing = try #require(page["missing"] as? [[String: Any]])
            #expect(missing.count == record.missing.count && !missing.isEmpty)
            #expect(RecordPage.link(for: InputError(field: "attendance", "x"), loaded) == SiteURL.discussionPart(id, .attendance).path)
            #expect(RecordPage.link(for: InputError(field: "checklist.q1", "x"), loaded)
                == SiteURL.discussionPart(id, .checklist).path + "#checklist-q1")
        }
    }
}
