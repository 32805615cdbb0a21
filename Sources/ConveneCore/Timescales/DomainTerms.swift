/// How soon the requester asks for the discussion (REQ-001-01).
public enum Urgency: String, CaseIterable, Codable, Sendable {
    /// Risk to life or serious immediate harm (e.g. Bradford's 2 hours).
    case immediate
    /// The standard timescale (e.g. 24 hours).
    case standard
    /// Outside the standard timescale, with the service manager's rationale and an agreed time.
    case other
}

/// Whether the child is newly referred or already open to children's social care (TIME-000-01).
public enum CaseType: String, CaseIterable, Codable, Sendable {
    case newReferral = "new-referral"
    case openCase = "open-case"
}

/// The outcome of a strategy discussion for a child (DEC-002-01).
public enum DiscussionOutcome: String, CaseIterable, Codable, Sendable {
    case s47Joint = "s47-joint"
    case s47Single = "s47-single"
    case deferred
    case noS47ThresholdNotMet = "no-s47-threshold-not-met"
    case noS47Marginal = "no-s47-marginal"

    /// A section 47 enquiry is initiated or continued.
    public var startsS47: Bool {
        self == .s47Joint || self == .s47Single
    }
}

/// The things that happen to a case, in the JSON contract's names.
public enum EventType: String, CaseIterable, Codable, Sendable {
    case concernReceived = "concern-received"
    case immediateAction = "immediate-action"
    case requestMade = "request-made"
    /// The team manager decided no discussion is needed (REQ-001-02).
    case requestDeclined = "request-declined"
    case discussionHeld = "discussion-held"
    case actionSummaryIssued = "action-summary-issued"
    case minutesAuthorised = "minutes-authorised"
    case minutesCirculated = "minutes-circulated"
    case ladoReferralMade = "lado-referral-made"
    case s47Completed = "s47-completed"
    case icpcHeld = "icpc-held"
    case assessmentCompleted = "assessment-completed"
}

/// A deadline Convene tracks. Per-discussion duties are owed once for each discussion held.
public enum Duty: String, CaseIterable, Codable, Sendable, Comparable {
    case strategyDiscussion = "strategy-discussion"
    case faceToFaceMeeting = "face-to-face-meeting"
    case actionSummary = "action-summary"
    case minutesAuthorisation = "minutes-authorisation"
    case minutesCirculation = "minutes-circulation"
    case ladoReferral = "lado-referral"
    case s47Completion = "s47-completion"
    case reviewDiscussion = "review-discussion"
    case icpc
    case assessment

    public var isPerDiscussion: Bool {
        switch self {
        case .actionSummary, .minutesAuthorisation, .minutesCirculation, .ladoReferral, .reviewDiscussion:
            true
        default:
            false
        }
    }

    /// The events a rule for this duty may count from.
    public var allowedBases: [BasisKind] {
        switch self {
        case .strategyDiscussion, .faceToFaceMeeting, .assessment:
            [.concernReceived, .immediateAction, .requestMade]
        case .actionSummary, .minutesAuthorisation, .minutesCirculation, .ladoReferral, .reviewDiscussion:
            [.discussionHeld]
        case .s47Completion, .icpc:
            [.s47Decision]
        }
    }

    public var title: String {
        switch self {
        case .strategyDiscussion: "Strategy discussion held"
        case .faceToFaceMeeting: "First face-to-face meeting"
        case .actionSummary: "Summary of agreed actions issued"
        case .minutesAuthorisation: "Minutes authorised"
        case .minutesCirculation: "Minutes circulated"
        case .ladoReferral: "LADO referral made"
        case .s47Completion: "Section 47 enquiry completed"
        case .reviewDiscussion: "Review discussion held"
        case .icpc: "Initial child protection conference held"
        case .assessment: "Assessment completed"
        }
    }

    public static func < (lhs: Duty, rhs: Duty) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What a timescale counts from.
public enum BasisKind: String, CaseIterable, Codable, Sendable {
    case concernReceived = "concern-received"
    case immediateAction = "immediate-action"
    case requestMade = "request-made"
    /// Each discussion held (per-discussion duties).
    case discussionHeld = "discussion-held"
    /// The discussion that decided to start the section 47 enquiry (TIME-ALL-01).
    case s47Decision = "s47-decision"
}

/// Whether a duty was done in time.
public enum DutyStatus: String, CaseIterable, Codable, Sendable {
    case met
    case missed
    case open
    case notRequired = "not-required"
}
