import Foundation

/// What is known about the case that the timescale rules depend on.
public struct CaseFacts: Hashable, Sendable {
    public var type: CaseType
    /// Particularly complicated concerns, e.g. complex abuse (TIME-002-02).
    public var complex: Bool
    /// Immediate safeguarding concerns (TIME-004-01). A request of urgency `immediate` means the
    /// same thing, so the engine treats either as immediate concerns (one notion of urgency).
    public var immediateConcerns: Bool

    public init(type: CaseType = .newReferral, complex: Bool = false, immediateConcerns: Bool = false) {
        self.type = type
        self.complex = complex
        self.immediateConcerns = immediateConcerns
    }
}

/// A strategy discussion as the timescale engine sees it.
public struct HeldDiscussion: Hashable, Sendable {
    public var id: String
    public var at: Date
    public var faceToFace: Bool
    public var outcome: DiscussionOutcome?
    public var furtherDiscussionBy: Date?
    public var ladoReferralNeeded: Bool

    public init(id: String, at: Date, faceToFace: Bool = false, outcome: DiscussionOutcome? = nil,
                furtherDiscussionBy: Date? = nil, ladoReferralNeeded: Bool = false) {
        self.id = id
        self.at = at
        self.faceToFace = faceToFace
        self.outcome = outcome
        self.furtherDiscussionBy = furtherDiscussionBy
        self.ladoReferralNeeded = ladoReferralNeeded
    }
}

/// One thing that happened, with the details the rules need.
public enum TimelineEvent: Hashable, Sendable {
    case concernReceived(at: Date)
    case immediateAction(at: Date)
    case requestMade(at: Date, urgency: Urgency, agreedDue: Date?, rationale: String?)
    /// The manager decided not to convene: the request no longer owes a discussion.
    case requestDeclined(at: Date)
    case discussionHeld(HeldDiscussion)
    case actionSummaryIssued(at: Date, discussion: String)
    case minutesAuthorised(at: Date, discussion: String)
    case minutesCirculated(at: Date, discussion: String)
    case ladoReferralMade(at: Date)
    case s47Completed(at: Date, icpcRequired: Bool?)
    case icpcHeld(at: Date)
    case assessmentCompleted(at: Date)

    public var type: EventType {
        switch self {
        case .concernReceived: .concernReceived
        case .immediateAction: .immediateAction
        case .requestMade: .requestMade
        case .requestDeclined: .requestDeclined
        case .discussionHeld: .discussionHeld
        case .actionSummaryIssued: .actionSummaryIssued
        case .minutesAuthorised: .minutesAuthorised
        case .minutesCirculated: .minutesCirculated
        case .ladoReferralMade: .ladoReferralMade
        case .s47Completed: .s47Completed
        case .icpcHeld: .icpcHeld
        case .assessmentCompleted: .assessmentCompleted
        }
    }

    public var at: Date {
        switch self {
        case let .concernReceived(at), let .immediateAction(at), let .ladoReferralMade(at),
             let .icpcHeld(at), let .assessmentCompleted(at), let .requestDeclined(at):
            at
        case let .requestMade(at, _, _, _): at
        case let .discussionHeld(discussion): discussion.at
        case let .actionSummaryIssued(at, _), let .minutesAuthorised(at, _), let .minutesCirculated(at, _):
            at
        case let .s47Completed(at, _): at
        }
    }

    /// The discussion an event refers to, for per-discussion duties.
    public var discussionID: String? {
        switch self {
        case let .discussionHeld(d): d.id
        case let .actionSummaryIssued(_, id), let .minutesAuthorised(_, id), let .minutesCirculated(_, id): id
        default: nil
        }
    }
}

/// A case's history: the input of the timescale engine.
public struct Timeline: Hashable, Sendable {
    public var facts: CaseFacts
    /// In time order (the initialiser sorts them; events at the same instant keep their order).
    public private(set) var events: [TimelineEvent]

    public init(facts: CaseFacts = CaseFacts(), events: [TimelineEvent]) {
        self.facts = facts
        self.events = events.enumerated()
            .sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
            .map(\.element)
    }
}
