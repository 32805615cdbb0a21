import ConveneCore

/// Which of Convene's messages this is. GOV.UK Notify needs one template per kind; the
/// other transports only record it.
public struct MessageKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// The first invitation to a discussion (with a calendar request).
    public static let invitation = MessageKind("invitation")
    /// The meeting moved (a calendar request with a higher sequence).
    public static let rearrangement = MessageKind("rearrangement")
    /// The meeting will not happen (a calendar cancellation).
    public static let cancellation = MessageKind("cancellation")
    /// A reminder before the meeting or before an action is due.
    public static let reminder = MessageKind("reminder")
    /// The agreed actions, sent at the end of the meeting.
    public static let actionSummary = MessageKind("action-summary")
    /// The authorised minutes are ready to read.
    public static let minutes = MessageKind("minutes")

    public var description: String { rawValue }

    /// The kind of a notice (issue 11): the same name, so one Notify template per notice kind
    /// (`new-request=…,invitation=…,booking-reminder=…`).
    public init(_ notice: NoticeKind) {
        self.init(notice.rawValue)
    }
}
