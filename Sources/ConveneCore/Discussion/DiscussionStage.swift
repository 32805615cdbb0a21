/// Where a strategy discussion is in its life, from request to circulated minutes.
public enum DiscussionStage: String, Codable, CaseIterable, Sendable {
    /// Awaiting the team manager's decision to convene (REQ-001-02).
    case requested
    /// The team manager decided no discussion is needed, with a reason.
    case declined
    /// Agreed; the minute taker allocates a slot.
    case awaitingBooking = "awaiting-booking"
    /// A slot is booked; invitations go out.
    case booked
    /// The meeting is under way or being written up.
    case inMeeting = "in-meeting"
    /// The chair has finalised the record.
    case recordFinal = "record-final"
    /// A social care manager has authorised the record (REC-ALL-01).
    case authorised
    /// The record has gone to the invitees.
    case circulated
    /// Cancelled with the service manager's agreement (REQ-001-02).
    case cancelled

    public var label: String {
        switch self {
        case .requested: "Awaiting decision"
        case .declined: "Not convened"
        case .awaitingBooking: "Awaiting booking"
        case .booked: "Booked"
        case .inMeeting: "Meeting"
        case .recordFinal: "Record final"
        case .authorised: "Authorised"
        case .circulated: "Circulated"
        case .cancelled: "Cancelled"
        }
    }

    /// Stages in which the meeting's record may be edited.
    public var recordEditable: Bool {
        self == .booked || self == .inMeeting
    }

    /// Invitees read the minutes once they are circulated to them (REC-ALL-02), not when a
    /// manager authorises them: between the two the record is still the chair's to send.
    public var minutesReleased: Bool {
        self == .circulated
    }

    public var isOpen: Bool {
        self != .declined && self != .cancelled
    }

    /// The stages each step may move from; anything else is refused with a clear message.
    public static func allowed(_ step: LifecycleStep) -> Set<DiscussionStage> {
        switch step {
        case .decide: [.requested]
        case .book: [.awaitingBooking]
        case .rebook, .cancel: [.booked]
        case .invite: [.booked, .inMeeting]
        case .startMeeting: [.booked]
        case .editRecord: [.booked, .inMeeting]
        case .finalise: [.inMeeting]
        case .reopen: [.recordFinal]
        case .authorise: [.recordFinal]
        case .circulate: [.authorised]
        case .correct: [.circulated]
        }
    }
}

public enum LifecycleStep: String, Sendable, CaseIterable {
    case decide, book, rebook, cancel, invite, startMeeting, editRecord, finalise, reopen, authorise, circulate, correct

    public var description: String {
        switch self {
        case .decide: "decide whether to convene"
        case .book: "book a slot"
        case .rebook: "rebook"
        case .cancel: "cancel"
        case .invite: "send invitations"
        case .startMeeting: "start the meeting"
        case .editRecord: "edit the record"
        case .finalise: "finalise the record"
        case .reopen: "reopen the record"
        case .authorise: "authorise the record"
        case .circulate: "circulate the record"
        case .correct: "correct the record"
        }
    }
}

/// A step attempted at the wrong stage.
public struct StageError: Error, Hashable, Sendable, CustomStringConvertible {
    public let step: LifecycleStep
    public let stage: DiscussionStage

    public init(step: LifecycleStep, stage: DiscussionStage) {
        self.step = step
        self.stage = stage
    }

    public var description: String {
        "You cannot \(step.description) while the discussion is “\(stage.label.lowercased())”."
    }

    public static func check(_ step: LifecycleStep, at stage: DiscussionStage) throws(StageError) {
        guard DiscussionStage.allowed(step).contains(stage) else { throw StageError(step: step, stage: stage) }
    }
}
