import Foundation

/// One discussion of a case as stored, in plain values: what `OversightCase` needs to work out
/// its facts (the store maps its rows to this in one place).
public struct OversightDiscussion: Hashable, Sendable {
    public var id: UUID
    /// The timescale engine's name for it: `d1` for the initial discussion, `d2`… for reviews.
    public var key: String
    /// The engine's name for the discussion a review follows.
    public var parentKey: String?
    public var organisationID: UUID
    public var teamID: UUID
    public var reference: String
    public var sequence: Int
    public var stage: DiscussionStage
    public var urgency: Urgency
    public var requestedAt: Date
    public var decidedAt: Date?
    public var startedAt: Date?
    public var quoracy: QuoracyCheck?
    public var attendance: [AttendanceEntry]
    public var children: [UUID]
    public var decisions: [UUID: ChildDecision]
    public var actions: [SmartAction]

    public init(id: UUID, key: String, parentKey: String? = nil, organisationID: UUID, teamID: UUID, reference: String,
                sequence: Int, stage: DiscussionStage, urgency: Urgency, requestedAt: Date, decidedAt: Date? = nil,
                startedAt: Date? = nil, quoracy: QuoracyCheck? = nil, attendance: [AttendanceEntry] = [],
                children: [UUID] = [], decisions: [UUID: ChildDecision] = [:], actions: [SmartAction] = []) {
        self.id = id
        self.key = key
        self.parentKey = parentKey
        self.organisationID = organisationID
        self.teamID = teamID
        self.reference = reference
        self.sequence = sequence
        self.stage = stage
        self.urgency = urgency
        self.requestedAt = requestedAt
        self.decidedAt = decidedAt
        self.startedAt = startedAt
        self.quoracy = quoracy
        self.attendance = attendance
        self.children = children
        self.decisions = decisions
        self.actions = actions
    }

    /// Held: started, and not declined or cancelled (as the case timeline counts it).
    public var heldAt: Date? {
        stage.isOpen ? startedAt : nil
    }
}

/// A duty whose lateness has a reason recorded (TIME-000-01), by the engine's names.
public struct LateReasonKey: Hashable, Sendable {
    public var duty: Duty
    public var discussion: String?

    public init(duty: Duty, discussion: String?) {
        self.duty = duty
        self.discussion = discussion
    }
}

/// A case with its timeline, its discussions and what managers recorded about its deadlines:
/// everything the facts of its discussions are worked out from.
public struct OversightCase: Sendable {
    public var caseID: UUID
    public var caseReference: String
    public var timeline: Timeline
    public var overrides: [DeadlineOverride]
    public var lateReasons: Set<LateReasonKey>
    /// In sequence order.
    public var discussions: [OversightDiscussion]

    public init(caseID: UUID, caseReference: String, timeline: Timeline, overrides: [DeadlineOverride] = [],
                lateReasons: Set<LateReasonKey> = [], discussions: [OversightDiscussion]) {
        self.caseID = caseID
        self.caseReference = caseReference
        self.timeline = timeline
        self.overrides = overrides
        self.lateReasons = lateReasons
        self.discussions = discussions.sorted { $0.sequence < $1.sequence }
    }

    /// The facts of every discussion of the case, from the engine's duty statuses at `asOf`.
    public func facts(pack: ProcedurePack, asOf: Date) -> [DiscussionFacts] {
        facts(pack: pack, asOf: asOf, assessments: TimescaleEngine(pack: pack).evaluate(timeline, asOf: asOf, overrides: overrides))
    }

    /// The same from the case's duties already worked out (with its overrides) at `asOf`, so a
    /// change or the seeder evaluates the timeline once for the next deadline and the facts.
    public func facts(pack: ProcedurePack, asOf: Date, assessments: [DutyAssessment]) -> [DiscussionFacts] {
        let initialKey = discussions.first?.key
        let s47CompletedAt = timeline.events.first { $0.type == .s47Completed }?.at
        let icpcHeldAt = timeline.events.first { $0.type == .icpcHeld }?.at
        return discussions.map { d in
            let convening = assessments.first { a in
                d.parentKey.map { a.duty == .reviewDiscussion && a.discussion == $0 } ?? (a.duty == .strategyDiscussion)
            }
            let own = assessments.filter { a in
                if a.discussion != nil { return a.discussion == d.key }
                if a.duty == .strategyDiscussion { return false }
                // A case's duty belongs to the discussion it counts from, else to the initial one.
                return (a.basis.discussion ?? initialKey) == d.key
            }
            let held = d.heldAt
            let later = discussions.contains { $0.sequence > d.sequence && $0.heldAt != nil }
            let deferred = held != nil && !later && d.decisions.values.contains { $0.outcome == .deferred }
            return DiscussionFacts(
                discussionID: d.id, caseID: caseID, organisationID: d.organisationID, teamID: d.teamID, packID: pack.id,
                reference: d.reference, caseReference: caseReference, sequence: d.sequence, urgency: d.urgency,
                stage: d.stage, requestedAt: d.requestedAt, decidedAt: d.decidedAt,
                convened: d.decidedAt != nil && d.stage != .declined && d.stage != .requested, declined: d.stage == .declined,
                heldAt: held, convening: convening.map(fact), duties: own.map(fact),
                quorate: held == nil ? nil : d.quoracy?.quorate, attendance: Self.attendance(d.attendance),
                outcomes: d.children.map { ChildOutcomeFact(childID: $0, outcome: d.decisions[$0]?.outcome) },
                actions: d.actions.map { ActionFact(id: $0.id, agency: $0.agency, due: $0.due, done: $0.completedAt, status: $0.status) },
                deferredSince: deferred ? held : nil,
                deferredDue: deferred ? own.first { $0.duty == .reviewDiscussion && $0.status != .notRequired }?.due : nil,
                s47CompletedAt: s47CompletedAt, icpcHeldAt: icpcHeldAt, asOf: asOf)
        }
    }

    private func fact(_ a: DutyAssessment) -> DutyFact {
        let reason = lateReasons.contains(LateReasonKey(duty: a.duty, discussion: a.discussion))
        return DutyFact(duty: a.duty, basisAt: a.basis.at, due: a.due, done: a.fulfilledAt,
                        timeliness: DutyTimeliness(status: a.status, lateReason: reason), lateReason: reason, rule: a.rule.description,
                        timescale: a.timescaleText)
    }

    /// Invitees (and those who joined uninvited) counted per agency, in first-seen order.
    static func attendance(_ entries: [AttendanceEntry]) -> [AgencyAttendance] {
        var order: [String] = []
        var byAgency: [String: AgencyAttendance] = [:]
        for entry in entries {
            if byAgency[entry.agency] == nil {
                order.append(entry.agency)
                byAgency[entry.agency] = AgencyAttendance(agency: entry.agency)
            }
            if entry.invited { byAgency[entry.agency]!.invited += 1 }
            if entry.mode?.present == true { byAgency[entry.agency]!.attended += 1 }
            if entry.mode == .apologies { byAgency[entry.agency]!.apologies += 1 }
        }
        return order.map { byAgency[$0]! }
    }
}
