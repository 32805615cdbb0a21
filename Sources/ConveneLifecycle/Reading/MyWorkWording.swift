import ConveneCore
import ConveneStore
import Foundation

extension MyWork {
    /// How one of the lists is shown: its title, the line under each discussion, the part of
    /// the discussion it links to, whether the stage is shown, and what an empty list says.
    public struct Presentation: Sendable {
        public let title: String
        public let detail: @Sendable (DiscussionRow) -> String
        public let suffix: String
        public let showsStage: Bool
        public let empty: String
    }

    public func presentation(of list: List) -> Presentation {
        let nextDue: @Sendable (DiscussionRow) -> String = { d in d.nextDue.map { "Next deadline " + UKDisplay.dateTime($0) } ?? "" }
        let slot: @Sendable (DiscussionRow) -> String = { d in d.slotStart.map { UKDisplay.dateTime($0) } ?? "" }
        switch list {
        case .toDecide: return Presentation(title: "Decide whether to convene", detail: nextDue, suffix: "", showsStage: true,
                                            empty: "No requests are waiting for a decision.")
        case .chairing:
            return Presentation(title: "Discussions you chair", detail: { d in d.stage == .recordFinal ? "Record final: authorise it" : slot(d) },
                                suffix: "", showsStage: true, empty: "You are not chairing any open discussion.")
        case .toAuthorise: return Presentation(title: "Records to authorise", detail: { _ in "Authorise before circulation" }, suffix: "",
                                               showsStage: true, empty: "No records are waiting for authorisation.")
        case .corrections:
            let waiting = correctionsWaiting
            return Presentation(title: "Corrections to decide", detail: { d in Display.count(waiting[d.id] ?? 0, "correction") + " waiting" },
                                suffix: "/corrections", showsStage: false, empty: "No corrections are waiting.")
        case .toBook: return Presentation(title: "To book", detail: nextDue, suffix: "", showsStage: true, empty: "Nothing is waiting to be booked.")
        case .minuting: return Presentation(title: "Meetings you are minuting", detail: slot, suffix: "", showsStage: true, empty: "None booked.")
        case .toCirculate: return Presentation(title: "To circulate", detail: { _ in "Authorised: circulate to invitees" }, suffix: "",
                                               showsStage: true, empty: "Nothing is waiting to be circulated.")
        case .requested: return Presentation(title: "Discussions you requested", detail: nextDue, suffix: "", showsStage: true,
                                             empty: "You have no open requests.")
        case .invited:
            return Presentation(title: "Meetings you are invited to", detail: { d in slot(d) + " · " + MeetingFormat.label(d.meetingFormat) },
                                suffix: "", showsStage: true, empty: "No meetings coming up.")
        case .minutesToRead: return Presentation(title: "Minutes to read", detail: { _ in "Circulated to you" }, suffix: "/minutes",
                                                 showsStage: false, empty: "No unread minutes.")
        }
    }
}
