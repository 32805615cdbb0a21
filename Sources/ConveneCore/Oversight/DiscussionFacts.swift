import Foundation

/// What one duty came to, in the timescale engine's own terms (OVS-ALL-01: one definition of
/// "on time", the engine's duty status; a late duty is split by whether a reason was recorded).
public enum DutyTimeliness: String, Codable, CaseIterable, Sendable {
    case onTime = "on-time"
    case lateWithReason = "late-with-reason"
    case lateWithoutReason = "late-without-reason"
    /// Still running: not done and not yet past its deadline.
    case due
    case notRequired = "not-required"

    public var isLate: Bool { self == .lateWithReason || self == .lateWithoutReason }
    /// Decided one way or the other: counted in an on-time percentage.
    public var isDecided: Bool { self == .onTime || isLate }

    public init(status: DutyStatus, lateReason: Bool) {
        switch status {
        case .met: self = .onTime
        case .missed: self = lateReason ? .lateWithReason : .lateWithoutReason
        case .open: self = .due
        case .notRequired: self = .notRequired
        }
    }

    /// The status at `asOf` of a duty stored as `self` with deadline `due`: one still due when
    /// stored is late once its deadline has passed, exactly as the engine decides an open duty
    /// (`asOf > due`; an open duty is never done), so facts written last week read true today
    /// without running the timeline again.
    public func at(_ asOf: Date, due: Date?, lateReason: Bool) -> DutyTimeliness {
        guard self == .due, let due, asOf > due else { return self }
        return lateReason ? .lateWithReason : .lateWithoutReason
    }

    public var label: String {
        switch self {
        case .onTime: "On time"
        case .lateWithReason: "Late, reason recorded"
        case .lateWithoutReason: "Late, no reason recorded"
        case .due: "Due"
        case .notRequired: "Not required"
        }
    }
}

/// One duty of a discussion, as the engine worked it out when the discussion last changed.
public struct DutyFact: Codable, Hashable, Sendable {
    public var duty: Duty
    /// The event the deadline counts from (for the period a duty is counted in).
    public var basisAt: Date
    public var due: Date?
    public var done: Date?
    /// The engine's status when the facts were written, with the late-reason split.
    public var timeliness: DutyTimeliness
    /// A reason for lateness is on record (TIME-000-01).
    public var lateReason: Bool
    public var rule: String
    /// "within 15 working days", in the pack's words where it has them.
    public var timescale: String

    public init(duty: Duty, basisAt: Date, due: Date?, done: Date?, timeliness: DutyTimeliness, lateReason: Bool = false,
                rule: String, timescale: String) {
        self.duty = duty
        self.basisAt = basisAt
        self.due = due
        self.done = done
        self.timeliness = timeliness
        self.lateReason = lateReason
        self.rule = rule
        self.timescale = timescale
    }

    /// The status at `asOf` (`DutyTimeliness.at`).
    public func timeliness(at asOf: Date) -> DutyTimeliness {
        done == nil ? timeliness.at(asOf, due: due, lateReason: lateReason) : timeliness
    }
}

/// Who of one agency was invited to a discussion and how they took part (ATT-ALL-03).
public struct AgencyAttendance: Codable, Hashable, Sendable {
    public var agency: String
    public var invited: Int
    public var attended: Int
    public var apologies: Int

    public init(agency: String, invited: Int = 0, attended: Int = 0, apologies: Int = 0) {
        self.agency = agency
        self.invited = invited
        self.attended = attended
        self.apologies = apologies
    }
}

/// The outcome recorded for one child at a discussion (DEC-ALL-01).
public struct ChildOutcomeFact: Codable, Hashable, Sendable {
    public var childID: UUID
    /// Nil until the decision is recorded.
    public var outcome: DiscussionOutcome?

    public init(childID: UUID, outcome: DiscussionOutcome?) {
        self.childID = childID
        self.outcome = outcome
    }
}

/// A SMART action or safety-plan item, as far as the figures need it (ACT-ALL-01).
public struct ActionFact: Codable, Hashable, Sendable {
    public var id: UUID
    public var agency: String
    public var due: LocalDate?
    public var done: Date?
    public var status: SmartAction.Status

    public init(id: UUID, agency: String, due: LocalDate?, done: Date?, status: SmartAction.Status) {
        self.id = id
        self.agency = agency
        self.due = due
        self.done = done
        self.status = status
    }

    /// Done by the end of its due day (Europe/London); an action without a date is never late.
    public var doneOnTime: Bool {
        guard status == .done, let done else { return false }
        guard let due else { return true }
        return done <= EuropeLondon.endOfDay(due)
    }

    /// Not done, not cancelled, and its due day has ended by `asOf`.
    public func overdue(asOf: Date) -> Bool {
        guard status == .open || status == .inProgress, let due else { return false }
        return asOf > EuropeLondon.endOfDay(due)
    }
}

/// Everything the oversight figures need about one discussion (issue 13, OVS-ALL-01): kept up
/// to date as each change is written, so a view of ten thousand discussions reads these rows
/// instead of running every timeline again.
public struct DiscussionFacts: Codable, Hashable, Sendable {
    public var discussionID: UUID
    public var caseID: UUID
    public var organisationID: UUID
    public var teamID: UUID
    public var packID: String
    public var reference: String
    public var caseReference: String
    /// 1 for the initial discussion, 2… for review discussions.
    public var sequence: Int
    public var urgency: Urgency
    public var stage: DiscussionStage

    public var requestedAt: Date
    /// When the manager decided, either way (REQ-001-02).
    public var decidedAt: Date?
    /// Agreed to convene (and not cancelled).
    public var convened: Bool
    public var declined: Bool
    public var heldAt: Date?

    /// The deadline this discussion had to be held by: the strategy discussion's for the
    /// initial one, the parent's review-discussion duty for a review.
    public var convening: DutyFact?
    /// The duties this discussion owes, each counted once across a case: its per-discussion
    /// duties, and the case's duties for the discussion they count from (s47 and ICPC for the one
    /// that started the enquiry, the rest for the initial discussion).
    public var duties: [DutyFact]

    /// Nil until quoracy was checked at the meeting.
    public var quorate: Bool?
    public var attendance: [AgencyAttendance]
    public var outcomes: [ChildOutcomeFact]
    public var actions: [ActionFact]

    /// Awaiting a decision: some child's outcome was deferred and no later discussion has been
    /// held in the case. `deferredDue` is the date set for the decision (the engine's review
    /// duty), nil where none was set.
    public var deferredSince: Date?
    public var deferredDue: Date?

    /// From the case's timeline, for the inspection list.
    public var s47CompletedAt: Date?
    public var icpcHeldAt: Date?

    /// When these facts were worked out.
    public var asOf: Date

    public init(discussionID: UUID, caseID: UUID, organisationID: UUID, teamID: UUID, packID: String, reference: String,
                caseReference: String, sequence: Int, urgency: Urgency, stage: DiscussionStage, requestedAt: Date,
                decidedAt: Date? = nil, convened: Bool = false, declined: Bool = false, heldAt: Date? = nil,
                convening: DutyFact? = nil, duties: [DutyFact] = [], quorate: Bool? = nil, attendance: [AgencyAttendance] = [],
                outcomes: [ChildOutcomeFact] = [], actions: [ActionFact] = [], deferredSince: Date? = nil,
                deferredDue: Date? = nil, s47CompletedAt: Date? = nil, icpcHeldAt: Date? = nil, asOf: Date) {
        self.discussionID = discussionID
        self.caseID = caseID
        self.organisationID = organisationID
        self.teamID = teamID
        self.packID = packID
        self.reference = reference
        self.caseReference = caseReference
        self.sequence = sequence
        self.urgency = urgency
        self.stage = stage
        self.requestedAt = requestedAt
        self.decidedAt = decidedAt
        self.convened = convened
        self.declined = declined
        self.heldAt = heldAt
        self.convening = convening
        self.duties = duties
        self.quorate = quorate
        self.attendance = attendance
        self.outcomes = outcomes
        self.actions = actions
        self.deferredSince = deferredSince
        self.deferredDue = deferredDue
        self.s47CompletedAt = s47CompletedAt
        self.icpcHeldAt = icpcHeldAt
        self.asOf = asOf
    }

    /// The discussion as the weekly trend counts it (nil: not held).
    public func held(asOf: Date) -> HeldConvening? {
        heldAt.map { HeldConvening(heldAt: $0, convening: convening?.timeliness(at: asOf)) }
    }

    /// Seconds from the request to the meeting, for held discussions.
    public var requestToMeeting: TimeInterval? {
        heldAt.map { $0.timeIntervalSince(requestedAt) }
    }

    public func duty(_ duty: Duty) -> DutyFact? {
        duties.first { $0.duty == duty }
    }

    /// Whether anything of the discussion falls in `period`: its request, decision or meeting,
    /// a duty due or done, or an action due or done (what an export of the period lists).
    public func touches(_ period: OversightPeriod) -> Bool {
        let instants = [requestedAt, decidedAt, heldAt] + ((convening.map { [$0] } ?? []) + duties).flatMap { [$0.due, $0.done] }
            + actions.map(\.done)
        return instants.contains { $0.map(period.contains) ?? false }
            || actions.contains { $0.due.map(period.contains) ?? false }
    }

    /// Whether the deferred decision is overdue at `asOf`: past the date the discussion set for it.
    public func deferredTooLong(asOf: Date) -> Bool {
        guard deferredSince != nil, let deferredDue else { return false }
        return asOf > deferredDue
    }
}
