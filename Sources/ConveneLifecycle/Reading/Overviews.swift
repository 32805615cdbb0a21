import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// What the pages and the API show of a discussion, a record and a case, read in one place:
/// the task list with this discussion's deadlines, the record with what is still missing and
/// which step may come next, and the case with its deadlines, late reasons and history.
extension Operations {
    public struct DiscussionOverview: Sendable {
        public let snapshot: RecordSnapshot
        /// What the record still lacks before it can be finalised.
        public let missing: [InputError]
        public let sections: [DiscussionTasks.Section]
        /// This discussion's deadlines, with the case's own that it answers for.
        public let deadlines: [DutyAssessment]
    }

    /// The discussion's task list (INT-ALL-06).
    public static func discussionOverview(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion) async throws -> DiscussionOverview {
        async let timeline = CaseTimeline.load(around: loaded, on: ctx.db)
        let snapshot = try await RecordBuilder.snapshot(loaded, on: ctx.db)
        let missing = RecordReview.missing(pack: loaded.pack, record: snapshot)
        let duties = try await timeline.duties(pack: loaded.pack, asOf: ctx.now)
        return DiscussionOverview(snapshot: snapshot, missing: missing,
                                  sections: DiscussionTasks.sections(loaded, missing: missing, snapshot: snapshot),
                                  deadlines: try await timeline.duties(of: loaded.discussion, in: duties))
    }

    /// What the chair's meeting page shows besides the discussion (issue 14).
    public struct MeetingOverview: Sendable {
        public let snapshot: RecordSnapshot
        public let missing: [InputError]
        public let canFinalise: Bool
        public let actions: [ActionRecord]
        /// The people invited, who may be named responsible for an action.
        public let people: [Person]
        /// For a review discussion: the actions of earlier discussions of the case not yet done.
        public let openEarlierActions: [ActionRecord]
    }

    public static func meetingOverview(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion) async throws -> MeetingOverview {
        async let people = invitedPeople(ctx, loaded)
        let d = loaded.discussion
        async let decisionRows = RecordBuilder.decisions(loaded.id, on: ctx.db)
        async let actionRows = RecordBuilder.actions(loaded.id, on: ctx.db)
        let names = try await RecordBuilder.personNames([d.chairID, d.minuteTakerID].compactMap { $0 }, on: ctx.db)
        let snapshot = RecordBuilder.snapshot(
            of: d, pack: loaded.pack, children: loaded.childDetails, chair: d.chairID.flatMap { names[$0] } ?? "",
            minuteTaker: d.minuteTakerID.flatMap { names[$0] } ?? "", invitations: loaded.invitations,
            decisions: try await decisionRows, actions: try await actionRows)
        let missing = RecordReview.missing(pack: loaded.pack, record: snapshot)
        var earlier: [ActionRecord] = []
        if d.parentID != nil {
            let ids = try await Discussion.query(on: ctx.db).filter(\.$case.$id == d.$case.id).filter(\.$sequence < d.sequence)
                .field(\.$id).all().compactMap(\.id)
            if !ids.isEmpty {
                earlier = try await ActionRecord.query(on: ctx.db).filter(\.$discussion.$id ~~ ids)
                    .filter(\.$status ~~ [.open, .inProgress]).sort(\.$createdAt).all()
            }
        }
        return MeetingOverview(
            snapshot: snapshot, missing: missing,
            canFinalise: loaded.discussion.stage == .inMeeting && missing.isEmpty && loaded.allows(.finaliseRecord),
            actions: try await actionRows, people: try await people, openEarlierActions: earlier)
    }

    public struct RecordOverview: Sendable {
        public let snapshot: RecordSnapshot
        /// What is missing, while the record is open (nothing once it is final).
        public let missing: [InputError]
        public let canFinalise: Bool
        public let canReopen: Bool
        /// The chair's manager authorises only if the pack lets their role (REC-ALL-01).
        public let canAuthorise: Bool
        public let canCirculate: Bool
        /// The roles that may authorise, in words ("Team manager or Service manager").
        public let authorisers: String
        /// How many invitees the minutes go to (REC-ALL-02).
        public let recipients: Int
    }

    /// The working record, for the chair and the managers (REC-ALL-01). Invitees read the
    /// circulated minutes instead (`LoadedDiscussion.readsWorkingRecord`).
    public static func recordOverview(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion) async throws -> RecordOverview {
        let d = loaded.discussion
        let snapshot = try await RecordBuilder.snapshot(loaded, on: ctx.db)
        let missing = d.stage.recordEditable ? RecordReview.missing(pack: loaded.pack, record: snapshot) : []
        let authorisedBy = loaded.pack.circulation.authorisedBy
        return RecordOverview(
            snapshot: snapshot, missing: missing,
            canFinalise: d.stage == .inMeeting && missing.isEmpty && loaded.allows(.finaliseRecord),
            canReopen: d.stage == .recordFinal && loaded.allows(.finaliseRecord),
            canAuthorise: d.stage == .recordFinal && loaded.allows(.authoriseRecord) && authorisedBy.contains(loaded.user.role.rawValue),
            canCirculate: d.stage == .authorised && loaded.allows(.circulateRecord),
            authorisers: authorisedBy.map { Role(rawValue: $0)?.label ?? $0 }.joined(separator: " or "),
            recipients: loaded.invitations.filter(\.invited).count)
    }

    public struct CaseOverview: Sendable {
        public let duties: [DutyAssessment]
        /// Every deadline in words, a late one with the reason recorded for it (TIME-000-01).
        public let deadlines: [Display.Deadline]
        /// "initial discussion", "review 1"… by discussion key.
        public let discussionLabels: [String: String]
        /// The deadlines a late reason or a changed deadline may be recorded against: the
        /// value `duty|discussion key` and its label.
        public let dutyChoices: [(value: String, label: String)]
        public let history: CaseHistory
        public let teams: [Team]
        /// The team that has the case (REQ-003-01).
        public let team: Team?
    }

    /// The case: its deadlines, the reasons late ones were late, what happened, and its team.
    public static func caseOverview(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, _ timeline: CaseTimeline) async throws
        -> CaseOverview
    {
        let labels = Dictionary(uniqueKeysWithValues: timeline.discussions.map {
            (CaseTimeline.key($0), $0.sequence == 1 ? "initial discussion" : "review \($0.sequence - 1)")
        })
        let duties = timeline.duties(pack: loaded.pack, asOf: ctx.now)
        let lateReasons = timeline.notes.filter { $0.kind == .lateReason }
        let deadlines = duties.map { duty in
            let reason = lateReasons.last { $0.duty == duty.duty && $0.discussionKey == duty.discussion }
            return Display.deadline(duty, now: ctx.now, discussionLabels: labels,
                                    lateReason: reason.map { (by: $0.recordedByName, text: $0.text) })
        }
        let teams = try await Operations.teams(ctx, organisationID: timeline.caseRecord.$organisation.id)
        return CaseOverview(
            duties: duties, deadlines: deadlines, discussionLabels: labels,
            dutyChoices: duties.filter { $0.status != .notRequired }.map { a in
                (a.duty.rawValue + "|" + (a.discussion ?? ""), a.duty.title + (a.discussion.flatMap { labels[$0] }.map { " – \($0)" } ?? ""))
            },
            history: try await CaseHistory.load(timeline, pack: loaded.pack, ctx),
            teams: teams, team: teams.first { $0.id == timeline.caseRecord.$team.id })
    }
}

extension LoadedDiscussion {
    /// The chair and the managers read the working record; invitees read the authorised
    /// minutes once circulated, not the working record (REC-ALL-01, REC-ALL-02).
    public var readsWorkingRecord: Bool {
        allows(.recordMeeting) || allows(.authoriseRecord)
    }
}
