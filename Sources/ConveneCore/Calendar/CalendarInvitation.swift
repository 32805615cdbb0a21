import Foundation

/// A meeting invitation as an iCalendar object (RFC 5545, with the iTIP methods of RFC 5546):
/// one VEVENT in Europe/London time that calendar clients add, move or remove.
///
/// The same `uid` across a discussion's invitations lets a client recognise a rearrangement
/// or a cancellation as the same meeting; the caller raises `sequence` on every change, so
/// the newest message wins whatever order they arrive in. The summary names the
/// discussion's reference only: a calendar entry is seen by assistants and on lock screens,
/// so it never carries a child's name.
public struct CalendarInvitation: Hashable, Sendable {
    /// iTIP method (RFC 5546 §1.4): a new or changed meeting, or its cancellation.
    public enum Method: String, Hashable, Sendable {
        case request = "REQUEST"
        case cancel = "CANCEL"
    }

    /// The organiser or an invitee: a display name and an email address.
    public struct Participant: Hashable, Sendable {
        public var name: String
        public var email: String

        public init(name: String, email: String) {
            self.name = name
            self.email = email
        }
    }

    public var method: Method
    public var uid: String
    public var sequence: Int
    /// When this version of the invitation was made (`DTSTAMP`, always UTC).
    public var stamp: Date
    public var start: Date
    public var end: Date
    public var summary: String
    public var location: String?
    public var description: String?
    public var organizer: Participant
    public var attendees: [Participant]

    /// Checks what a calendar client would reject or misread: an empty UID, a negative
    /// sequence, an event that ends before it starts, or an organiser without an address.
    public init(method: Method, uid: String, sequence: Int, stamp: Date, start: Date, end: Date, summary: String,
                location: String? = nil, description: String? = nil, organizer: Participant,
                attendees: [Participant]) throws {
        guard !uid.isBlank else { throw InputError(field: "uid", "is required: use the discussion's id, e.g. <id>@convene") }
        guard sequence >= 0 else { throw InputError(field: "sequence", "must be 0 or more") }
        guard end > start else { throw InputError(field: "end", "must be after the start") }
        guard organizer.email.contains("@") else { throw InputError(field: "organizer.email", "must be an email address") }
        for (i, attendee) in attendees.enumerated() where !attendee.email.contains("@") {
            throw InputError(field: FieldPath("attendees").index(i).appending("email"), "must be an email address")
        }
        self.method = method
        self.uid = uid
        self.sequence = sequence
        self.stamp = stamp
        self.start = start
        self.end = end
        self.summary = summary
        self.location = location
        self.description = description
        self.organizer = organizer
        self.attendees = attendees
    }

    /// `CONFIRMED` for a request, `CANCELLED` for a cancellation (RFC 5546 §3.2.5 requires
    /// the latter so clients strike the entry rather than keep it).
    public var status: String { method == .request ? "CONFIRMED" : "CANCELLED" }

    /// The calendar object: CRLF line endings, every content line folded at 75 octets.
    public func render() -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "PRODID:-//Convene//Strategy discussions//EN",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "METHOD:\(method.rawValue)",
        ]
        lines += ICalendarText.europeLondonTimeZone
        lines += [
            "BEGIN:VEVENT",
            "UID:\(ICalendarText.escapeText(uid))",
            "SEQUENCE:\(sequence)",
            "DTSTAMP:\(ICalendarText.utcDateTime(stamp))",
            Self.timeProperty("DTSTART", start),
            Self.timeProperty("DTEND", end),
            "SUMMARY:\(ICalendarText.escapeText(summary))",
        ]
        if let location, !location.isBlank {
            lines.append("LOCATION:\(ICalendarText.escapeText(location))")
        }
        if let description, !description.isBlank {
            lines.append("DESCRIPTION:\(ICalendarText.escapeText(description))")
        }
        lines.append("ORGANIZER;CN=\(ICalendarText.parameterValue(organizer.name)):\(ICalendarText.mailto(organizer.email))")
        for attendee in attendees {
            lines.append("ATTENDEE;CN=\(ICalendarText.parameterValue(attendee.name));CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;"
                + "PARTSTAT=NEEDS-ACTION;RSVP=TRUE:\(ICalendarText.mailto(attendee.email))")
        }
        lines += [
            "STATUS:\(status)",
            // Busy time in the attendees' calendars, so nobody books over the meeting.
            "TRANSP:OPAQUE",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        return lines.map(ICalendarText.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// London wall-clock time with its TZID, which calendar clients show and move with the
    /// zone. A wall time repeated when the clocks go back names its first (BST) occurrence
    /// (RFC 5545 §3.3.5), so an instant in the second (GMT) one is written in UTC instead.
    static func timeProperty(_ name: String, _ instant: Date) -> String {
        let (date, seconds) = EuropeLondon.local(instant)
        let wholeSecond = Date(timeIntervalSince1970: instant.timeIntervalSince1970.rounded(.down))
        if EuropeLondon.instant(on: date, secondsIntoDay: seconds) != wholeSecond {
            return "\(name):\(ICalendarText.utcDateTime(instant))"
        }
        return "\(name);TZID=Europe/London:\(ICalendarText.londonDateTime(instant))"
    }
}
