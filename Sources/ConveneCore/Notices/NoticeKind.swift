/// Every kind of message Convene sends a person (issue 11). Each has its own GOV.UK Notify
/// template, its own line on the preferences page and its own rule about whether the person
/// may choose how it reaches them.
public enum NoticeKind: String, CaseIterable, Codable, Sendable, Comparable {
    // To the team's managers: a request waits for their decision (REQ-001-02).
    case newRequest = "new-request"
    // To the requester: the team manager convened or declined (REQ-001-02).
    case requestDecision = "request-decision"
    // To every invitee, with the calendar REQUEST (REQ-001-03: a personal link each).
    case invitation
    // To every invitee: the meeting moved (calendar REQUEST, SEQUENCE raised).
    case rearrangement
    // To every invitee: the meeting will not happen (calendar CANCEL).
    case cancellation
    // The code an invitee outside the authority signs in with (REQ-001-03).
    case accessCode = "access-code"
    // Hertfordshire's teleconference request to police and health (REQ-002-01).
    case teleconferenceRequest = "teleconference-request"
    // A link to the agreed actions (ACT-003-01: within 1 hour), never the actions themselves.
    case actionSummary = "action-summary"
    // The authorised minutes are ready to read (REC-001-01, REC-002-01).
    case minutes
    // A new version of the minutes after a correction, to the invitees.
    case correctedMinutes = "corrected-minutes"
    // The chair's decision on a correction, to the person who sent it (REC-001-01).
    case correctionDecision = "correction-decision"
    // A significant outcome change for the original members to endorse (DEC-004-01).
    case outcomeEndorsement = "outcome-endorsement"
    // A service manager's decision on a disclosure request, to the requester (REC-ALL-02).
    case disclosureDecision = "disclosure-decision"
    // Reminders and escalations from the timescale engine (ReminderPolicy).
    case bookingReminder = "booking-reminder"
    case recordReminder = "record-reminder"
    case actionReminder = "action-reminder"
    case enquiryReminder = "enquiry-reminder"
    case disclosureReminder = "disclosure-reminder"
    // Everything a person chose to receive once a day, in one message.
    case digest

    /// Notices a procedure requires to reach the person: they go at once and cannot be
    /// switched off or held for a digest (an invitation in tomorrow's digest is too late).
    public var isStatutory: Bool {
        switch self {
        case .invitation, .rearrangement, .cancellation, .accessCode, .teleconferenceRequest, .actionSummary,
             .minutes, .correctedMinutes, .outcomeEndorsement:
            true
        default:
            false
        }
    }

    /// Kinds a person may choose for: everything not statutory, except the digest itself.
    public static var choosable: [NoticeKind] {
        allCases.filter { !$0.isStatutory && $0 != .digest }
    }

    /// How the kind reads on the preferences page.
    public var title: String {
        switch self {
        case .newRequest: "A request for a discussion waits for your team's decision"
        case .requestDecision: "The decision on a request you made"
        case .invitation: "Invitations to a discussion"
        case .rearrangement: "A discussion you are invited to moves"
        case .cancellation: "A discussion you are invited to is cancelled"
        case .accessCode: "Access codes for invitees outside the authority"
        case .teleconferenceRequest: "Teleconference requests (police and health)"
        case .actionSummary: "The summary of agreed actions"
        case .minutes: "Minutes ready to read"
        case .correctedMinutes: "Corrected minutes"
        case .correctionDecision: "The decision on a correction you sent"
        case .outcomeEndorsement: "Outcome changes to endorse"
        case .disclosureDecision: "The decision on a disclosure request you made"
        case .bookingReminder: "Discussions not yet booked as their deadline nears"
        case .recordReminder: "Action summaries and minutes due or overdue"
        case .actionReminder: "Actions due tomorrow or overdue"
        case .enquiryReminder: "Review discussions, section 47 enquiries, conferences and assessments due"
        case .disclosureReminder: "Disclosure requests waiting for a decision"
        case .digest: "Your daily digest"
        }
    }

    public static func < (lhs: NoticeKind, rhs: NoticeKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
