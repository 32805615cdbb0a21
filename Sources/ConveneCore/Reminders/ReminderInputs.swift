import Foundation

/// A duty of a case, by the engine's names (`discussion` is `d1`, `d2`… or nil).
public struct DutyReference: Hashable, Sendable {
    public let duty: Duty
    public let discussion: String?

    public init(_ duty: Duty, discussion: String? = nil) {
        self.duty = duty
        self.discussion = discussion
    }
}

/// The people of one discussion the record names.
public struct DiscussionPeople: Hashable, Sendable {
    public var chair: UUID?
    public var minuteTaker: UUID?

    public init(chair: UUID? = nil, minuteTaker: UUID? = nil) {
        self.chair = chair
        self.minuteTaker = minuteTaker
    }
}

/// What the reminder policy needs about a case: the timescale engine's duties (the only
/// source of deadlines) and who is responsible for what.
public struct CaseReminderFacts: Hashable, Sendable {
    public var caseID: UUID
    public var reference: String
    public var duties: [DutyAssessment]
    /// The allocated social worker (REQ-001-01).
    public var socialWorker: UUID?
    /// By the engine's discussion key.
    public var discussions: [String: DiscussionPeople]
    /// Convening duties whose discussion already has a slot: nobody needs telling to book it.
    public var booked: Set<DutyReference>

    public init(caseID: UUID, reference: String, duties: [DutyAssessment], socialWorker: UUID? = nil,
                discussions: [String: DiscussionPeople] = [:], booked: Set<DutyReference> = []) {
        self.caseID = caseID
        self.reference = reference
        self.duties = duties
        self.socialWorker = socialWorker
        self.discussions = discussions
        self.booked = booked
    }
}

/// An agreed action and who answers for it (ACT-ALL-03).
public struct ActionReminderFacts: Hashable, Sendable {
    public var action: SmartAction
    public var reference: String
    /// The chair of the discussion that agreed it.
    public var chair: UUID?

    public init(action: SmartAction, reference: String, chair: UUID?) {
        self.action = action
        self.reference = reference
        self.chair = chair
    }
}

/// A request to see minutes from someone outside the invitees (REC-ALL-02).
public struct DisclosureReminderFacts: Hashable, Sendable {
    public var id: UUID
    public var reference: String
    public var requestedAt: Date
    public var decided: Bool

    public init(id: UUID, reference: String, requestedAt: Date, decided: Bool) {
        self.id = id
        self.reference = reference
        self.requestedAt = requestedAt
        self.decided = decided
    }
}
