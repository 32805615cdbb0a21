import ConveneCore
import ConveneTestSupport
import Foundation
import Testing

/// How the engine indexes a timeline before the rules read it (issue 12: the index lives in
/// stack buffers, one element per event): events about a discussion, whatever their order,
/// and timelines too long for the stack.
@Suite("Timescale engine: the timeline's index")
struct TimescaleEngineIndexTests {
    let pack = Packs.devonMash

    @Test("ACT-003-01: a summary recorded with a time before its discussion's still fulfils that discussion's duty")
    func summaryBeforeDiscussion() throws {
        let events = [Event.actionSummary("d1", "2026-11-23T09:59:00Z"), Event.discussion("d1", "2026-11-23T10:00:00Z")]
        let s = try #require(pack.duties(events, asOf: "2026-11-23T12:00:00Z").duty(.actionSummary, discussion: "d1"))
        #expect(s.status == .met)
        #expect(s.fulfilledAt == at("2026-11-23T09:59:00Z"))
    }

    @Test("ACT-003-01: a summary for a discussion never held fulfils nothing and adds no duty")
    func summaryForUnknownDiscussion() {
        let events = [Event.discussion("d1", "2026-11-23T10:00:00Z"), Event.actionSummary("d9", "2026-11-23T10:20:00Z")]
        let duties = pack.duties(events, asOf: "2026-11-23T12:00:00Z")
        #expect(duties.duty(.actionSummary, discussion: "d1")?.status == .missed)
        #expect(duties.duty(.actionSummary, discussion: "d9") == nil)
        #expect(!duties.contains { $0.discussion == "d9" })
    }

    @Test("ACT-003-01: the first summary of a discussion is the one that counts; later ones change nothing")
    func firstSummaryCounts() throws {
        let events = [Event.discussion("d1", "2026-11-23T10:00:00Z"), Event.actionSummary("d1", "2026-11-23T11:30:00Z"),
                      Event.actionSummary("d1", "2026-11-23T10:20:00Z")]
        let s = try #require(pack.duties(events, asOf: "2026-11-23T12:00:00Z").duty(.actionSummary, discussion: "d1"))
        #expect(s.fulfilledAt == at("2026-11-23T10:20:00Z"))
        #expect(s.status == .met)
    }

    @Test("Two discussions with one id: events about it count for the first held")
    func duplicateDiscussionIDs() {
        let events = [Event.discussion("d1", "2026-11-23T10:00:00Z"), Event.discussion("d1", "2026-11-24T10:00:00Z"),
                      Event.actionSummary("d1", "2026-11-23T10:30:00Z")]
        let summaries = pack.duties(events, asOf: "2026-11-24T12:00:00Z").filter { $0.duty == .actionSummary }
        #expect(summaries.count == 2)
        #expect(summaries.map(\.status) == [.met, .missed])
    }

    @Test("A timeline of 1,200 events (past what fits on the stack) gives every discussion its own duties")
    func longTimeline() {
        var events: [TimelineEvent] = [Event.concern("2026-01-05T09:00:00Z")]
        let start = at("2026-01-05T10:00:00Z")
        for n in 0..<400 {
            let held = start.addingTimeInterval(Double(n) * 7200)
            events.append(.discussionHeld(HeldDiscussion(id: "d\(n)", at: held)))
            // Every other discussion gets its summary in time, the rest an hour and a half late.
            events.append(.actionSummaryIssued(at: held.addingTimeInterval(n.isMultiple(of: 2) ? 600 : 5400), discussion: "d\(n)"))
            events.append(.ladoReferralMade(at: held.addingTimeInterval(60)))
        }
        let summaries = pack.duties(events, asOf: "2026-12-01T00:00:00Z").filter { $0.duty == .actionSummary }
        #expect(summaries.count == 400)
        #expect(summaries.filter { $0.status == .met }.count == 200)
        #expect(summaries.filter { $0.status == .missed }.count == 200)
        #expect(Set(summaries.compactMap(\.discussion)).count == 400)
    }
}
