import Foundation

/// What a reminder is about.
public enum ReminderSubject: Hashable, Sendable {
    /// A duty of a case from the timescale engine (`discussion` is the engine's key, `d1`…).
    case duty(caseID: UUID, duty: Duty, discussion: String?)
    /// A SMART action (ACT-ALL-01, ACT-ALL-03).
    case action(UUID)
    /// A disclosure request waiting for a service manager (REC-ALL-02).
    case disclosure(UUID)

    /// Stable text for the reminder's key.
    public var key: String {
        switch self {
        case let .duty(caseID, duty, discussion):
            "duty/\(caseID.uuidString.lowercased())/\(duty.rawValue)/\(discussion ?? "case")"
        case let .action(id): "action/\(id.uuidString.lowercased())"
        case let .disclosure(id): "disclosure/\(id.uuidString.lowercased())"
        }
    }
}

/// One reminder the policy decided: about what, which threshold, from when it may be sent,
/// and to whom. `key` is the same every time the policy is asked, so the scheduler records
/// it (per person) and never sends it twice.
public struct Reminder: Hashable, Sendable {
    public let subject: ReminderSubject
    public let threshold: ReminderThreshold
    /// From when it may be sent.
    public let at: Date
    /// The deadline it is about (an action's due date ends at 23:59:59 London time).
    public let deadline: Date
    public let audience: [ReminderAudience]
    public let kind: NoticeKind
    /// The case's or discussion's reference, for the message.
    public let reference: String
    /// The requirement the deadline comes from, for the message.
    public let rule: RequirementID?

    public init(subject: ReminderSubject, threshold: ReminderThreshold, at: Date, deadline: Date,
                audience: [ReminderAudience], kind: NoticeKind, reference: String, rule: RequirementID?) {
        self.subject = subject
        self.threshold = threshold
        self.at = at
        self.deadline = deadline
        self.audience = Array(Set(audience)).sorted()
        self.kind = kind
        self.reference = reference
        self.rule = rule
    }

    /// `duty/<case>/minutes-circulation/d1/approaching`: one per subject and threshold.
    public var key: String {
        subject.key + "/" + threshold.rawValue
    }
}
