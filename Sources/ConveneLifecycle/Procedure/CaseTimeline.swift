import ConveneCore
import ConveneStore
import FluentKit
import Foundation
import SQLKit

/// Builds the timescale engine's timeline from what is stored about a case, and works out
/// every duty with the managers' overrides (INT-ALL-06).
public struct CaseTimeline: Sendable {
    public let caseRecord: Case
    public let discussions: [Discussion]
    public let decisions: [UUID: [ChildDecision]]
    public let events: [CaseEvent]
    public let notes: [DutyNote]

    public static func load(caseID: UUID, on db: any Database) async throws -> CaseTimeline? {
        guard let caseRecord = try await Rows.find(Case.self, caseID, on: db) else { return nil }
        let discussions = try await Rows.all(Discussion.self, "case_id = \(bind: caseID) ORDER BY sequence", on: db)
        return try await assemble(caseRecord, discussions: discussions, on: db)
    }

    /// The timeline of a discussion's case for a read that has already loaded the discussion and
    /// its case (the discussion's page, the API, the case page): only the case's other discussions,
    /// then their decisions, events and notes are read (issue 12).
    public static func load(around loaded: LoadedDiscussion, on db: any Database) async throws -> CaseTimeline {
        let others = try await Rows.all(Discussion.self, "case_id = \(bind: loaded.caseID) AND id <> \(bind: loaded.id)", on: db)
        let discussions = (others + [loaded.discussion]).sorted { $0.sequence < $1.sequence }
        return try await assemble(loaded.caseRecord, discussions: discussions, on: db)
    }

    /// The rest of a case's timeline once its discussions are known: their decisions, the case's
    /// events and notes, the three queries at once.
    private static func assemble(_ caseRecord: Case, discussions: [Discussion], on db: any Database) async throws -> CaseTimeline {
        let caseID = try caseRecord.requireID()
        async let events = Rows.all(CaseEvent.self, "case_id = \(bind: caseID) ORDER BY \"at\"", on: db)
        async let notes = Rows.all(DutyNote.self, "case_id = \(bind: caseID) ORDER BY created_at", on: db)
        let ids = discussions.compactMap(\.id)
        let decisionRows = ids.isEmpty ? [] : try await Rows.all(ChildDecisionRecord.self, "discussion_id IN (\(binds: ids))", on: db)
        return CaseTimeline(caseRecord: caseRecord, discussions: discussions, decisions: byDiscussion(decisionRows),
                            events: try await events, notes: try await notes)
    }

    static func byDiscussion(_ rows: [ChildDecisionRecord]) -> [UUID: [ChildDecision]] {
        Dictionary(grouping: rows, by: { $0.$discussion.id }).mapValues { $0.map(\.decision) }
    }

    /// The engine's name for a discussion: `d1` for the initial one, `d2`… for reviews.
    public static func key(_ discussion: Discussion) -> String {
        "d\(discussion.sequence)"
    }

    /// The engine's name for the discussion a review discussion follows (its parent), if any.
    public func parentKey(_ discussion: Discussion) -> String? {
        guard discussion.sequence > 1 else { return nil }
        if let parent = discussions.first(where: { $0.id != nil && $0.id == discussion.parentID }) {
            return Self.key(parent)
        }
        return "d\(discussion.sequence - 1)"
    }

    /// The deadline by which this discussion must be held: the strategy discussion's for the
    /// initial one; for a review, the review duty of the discussion that caused it (the date it
    /// set, or TIME-002-04's 15 working days).
    public func convening(_ discussion: Discussion, in duties: [DutyAssessment]) -> DutyAssessment? {
        if let parent = parentKey(discussion) {
            return duties.first { $0.duty == .reviewDiscussion && $0.discussion == parent }
        }
        return duties.first { $0.duty == .strategyDiscussion }
    }

    /// The duties that belong on a discussion's own pages: its convening deadline, its own
    /// per-discussion duties, and (for the initial one) the case's other deadlines.
    public func duties(of discussion: Discussion, in duties: [DutyAssessment]) -> [DutyAssessment] {
        let key = Self.key(discussion)
        let parent = parentKey(discussion)
        return duties.filter { duty in
            if duty.discussion == key { return true }
            if let parent {
                if duty.duty == .reviewDiscussion && duty.discussion == parent { return true }
                return duty.discussion == nil && duty.duty != .strategyDiscussion && duty.duty != .faceToFaceMeeting
            }
            return duty.discussion == nil
        }
    }

    /// The most serious outcome among the children (the engine takes one per discussion).
    public static func outcome(_ decisions: [ChildDecision]) -> DiscussionOutcome? {
        let order: [DiscussionOutcome] = [.s47Joint, .s47Single, .deferred, .noS47ThresholdNotMet, .noS47Marginal]
        return order.first { outcome in decisions.contains { $0.outcome == outcome } }
    }

    public var timeline: Timeline {
        var events: [TimelineEvent] = [.concernReceived(at: caseRecord.concernReceivedAt)]
        if let initial = discussions.first {
            let request = initial.request
            events.append(.requestMade(at: initial.requestedAt, urgency: request.urgency, agreedDue: request.agreedDue,
                                       rationale: request.urgencyRationale))
            if initial.stage == .declined {
                events.append(.requestDeclined(at: initial.decidedAt ?? initial.requestedAt))
            }
        }
        for discussion in discussions {
            guard let held = discussion.startedAt, discussion.stage.isOpen, let id = discussion.id else { continue }
            let childDecisions = decisions[id] ?? []
            let further = childDecisions.compactMap(\.furtherDiscussionBy).min().map(EuropeLondon.endOfDay)
            events.append(.discussionHeld(HeldDiscussion(
                id: Self.key(discussion), at: held, faceToFace: discussion.meetingFormat == "in-person",
                outcome: Self.outcome(childDecisions), furtherDiscussionBy: further,
                ladoReferralNeeded: childDecisions.contains { $0.ladoReferral == .yes })))
            if let summary = discussion.content.actionSummaryIssuedAt {
                events.append(.actionSummaryIssued(at: summary, discussion: Self.key(discussion)))
            }
            if let authorised = discussion.authorisedAt {
                events.append(.minutesAuthorised(at: authorised, discussion: Self.key(discussion)))
            }
            if let circulated = discussion.circulatedAt {
                events.append(.minutesCirculated(at: circulated, discussion: Self.key(discussion)))
            }
        }
        for event in self.events {
            switch event.type {
            case .immediateAction: events.append(.immediateAction(at: event.at))
            case .ladoReferralMade: events.append(.ladoReferralMade(at: event.at))
            case .s47Completed: events.append(.s47Completed(at: event.at, icpcRequired: event.details.icpcRequired))
            case .icpcHeld: events.append(.icpcHeld(at: event.at))
            case .assessmentCompleted: events.append(.assessmentCompleted(at: event.at))
            default: continue
            }
        }
        return Timeline(facts: caseRecord.facts, events: events)
    }

    public var overrides: [DeadlineOverride] {
        notes.filter { $0.kind == .override }.compactMap { note in
            note.due.map { DeadlineOverride(duty: note.duty, discussion: note.discussionKey, due: $0, rationale: note.text,
                                            approvedBy: note.recordedByName) }
        }
    }

    public func duties(pack: ProcedurePack, asOf: Date) -> [DutyAssessment] {
        TimescaleEngine(pack: pack).evaluate(timeline, asOf: asOf, overrides: overrides)
    }

    /// A discussion's next deadline: the soonest of its own duties still open, or missed and not yet done.
    public func nextDeadline(of discussion: Discussion, in all: [DutyAssessment]) -> DutyAssessment? {
        duties(of: discussion, in: all).filter { $0.status == .open || ($0.status == .missed && $0.fulfilledAt == nil) }
            .min { ($0.due ?? .distantFuture) < ($1.due ?? .distantFuture) }
    }

    /// Keeps each discussion's "next deadline" up to date for the team page; answers the
    /// case's duties, for the performance facts written next.
    @discardableResult
    public func refreshNextDue(pack: ProcedurePack, asOf: Date, on db: any Database) async throws -> [DutyAssessment] {
        let all = duties(pack: pack, asOf: asOf)
        for discussion in discussions {
            let next = nextDeadline(of: discussion, in: all)
            if discussion.nextDue != next?.due || discussion.nextDuty != (next?.duty.rawValue ?? "") {
                discussion.nextDue = next?.due
                discussion.nextDuty = next?.duty.rawValue ?? ""
                try await discussion.save(on: db)
            }
        }
        return all
    }
}
