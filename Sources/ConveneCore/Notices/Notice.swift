import Foundation

/// The words of one message to one person (issue 11): a subject and a plain text that carry
/// the discussion's reference and a link behind sign-in, never a child's name, date of birth,
/// address or anything from the record. The one exception, a teleconference request's title
/// (REQ-002-01), is built from what the pack declares (`RequestMessageRules`), not here.
public struct Notice: Hashable, Sendable {
    public var kind: NoticeKind
    public var subject: String
    public var text: String
    public var reference: String

    public init(kind: NoticeKind, subject: String, text: String, reference: String) {
        self.kind = kind
        self.subject = subject
        self.text = text
        self.reference = reference
    }

    static let doNotForward = "This message is for you only. Do not forward it: the link works for one person, in one browser."

    // MARK: - Requests (REQ-001-02)

    /// To the team's managers: a request waits for their decision.
    public static func newRequest(reference: String, urgency: Urgency, due: Date?, link: String) -> Notice {
        let urgent = urgency == .immediate ? "An urgent request" : "A request"
        let by = due.map { " The discussion is due by \(UKDisplay.dateTime($0))." } ?? ""
        return Notice(kind: .newRequest, subject: "Request for a strategy discussion: \(reference)",
                      text: "\(urgent) for a strategy discussion (\(reference)) waits for your team's decision.\(by)\n"
                          + "Decide: \(link)",
                      reference: reference)
    }

    /// To the requester: convened or declined.
    public static func requestDecision(reference: String, convened: Bool, link: String) -> Notice {
        Notice(kind: .requestDecision, subject: "\(convened ? "Convened" : "Not convened"): \(reference)",
               text: (convened ? "Your request \(reference) will be convened; the minute taker books a slot."
                               : "The team manager decided that your request \(reference) does not need a strategy discussion; "
                                 + "the reason is recorded.")
                   + "\nSee the decision: \(link)",
               reference: reference)
    }

    // MARK: - The meeting (REQ-001-03)

    /// The first invitation, with a calendar request.
    public static func invitation(meetingName: String, reference: String, start: Date?, howToTakePart: String, link: String) -> Notice {
        let when = start.map { UKDisplay.dateTime($0) } ?? "a time to be confirmed"
        return Notice(kind: .invitation, subject: "\(meetingName.prefix(1).uppercased() + meetingName.dropFirst()) \(reference): \(when)",
                      text: "You are invited to a \(meetingName) (\(reference)) on \(when).\n"
                          + (howToTakePart.isEmpty ? "" : "How to take part: \(howToTakePart)\n")
                          + "Open the discussion: \(link)\n\(doNotForward)",
                      reference: reference)
    }

    /// The meeting moved: the calendar request with a higher sequence.
    public static func rearrangement(meetingName: String, reference: String, start: Date, previous: Date?, link: String) -> Notice {
        let was = previous.map { " (it was \(UKDisplay.dateTime($0)))" } ?? ""
        return Notice(kind: .rearrangement, subject: "Moved: \(meetingName) \(reference), now \(UKDisplay.dateTime(start))",
                      text: "The \(meetingName) \(reference) is now on \(UKDisplay.dateTime(start))\(was).\n"
                          + "Your calendar entry is updated with this message.\nOpen the discussion: \(link)\n\(doNotForward)",
                      reference: reference)
    }

    /// The meeting will not happen: a calendar cancellation.
    public static func cancellation(meetingName: String, reference: String, start: Date?, link: String) -> Notice {
        let when = start.map { " on \(UKDisplay.dateTime($0))" } ?? ""
        return Notice(kind: .cancellation, subject: "Cancelled: \(meetingName) \(reference)",
                      text: "The \(meetingName) \(reference)\(when) is cancelled; the reason is recorded with the discussion.\n"
                          + "Your calendar entry is removed with this message.\nSee the discussion: \(link)",
                      reference: reference)
    }

    /// The access code that opens a teleconference request's extract (REQ-002-01).
    public static func accessCode(reference: String, code: String) -> Notice {
        Notice(kind: .accessCode, subject: "Access code for \(reference)",
               text: "The access code for the request \(reference) is \(code). Do not forward it.", reference: reference)
    }

    // MARK: - The record

    /// ACT-003-01: the agreed actions are ready to read, behind the link (the actions name
    /// people, a child and places, so they do not travel in mail).
    public static func actionSummary(reference: String, actions: Int, link: String) -> Notice {
        Notice(kind: .actionSummary, subject: "Agreed actions: \(reference)",
               text: "\(actions) action\(actions == 1 ? " was" : "s were") agreed at \(reference). Read them, and which are yours: \(link)\n"
                   + "The full record follows once authorised.\n\(doNotForward)",
               reference: reference)
    }

    /// REC-001-01, REC-002-01: the authorised minutes are ready.
    public static func minutes(reference: String, correctionsWithinHours: Int?, link: String) -> Notice {
        let corrections = correctionsWithinHours.map { " You may send corrections within \($0) hours of receiving them." } ?? ""
        return Notice(kind: .minutes, subject: "Minutes: \(reference)",
                      text: "The authorised minutes of \(reference) are ready.\(corrections)\nRead them: \(link)\n"
                          + "They are confidential: do not share them beyond the people invited without the chair’s permission.",
                      reference: reference)
    }

    /// A new version of the minutes after a correction.
    public static func correctedMinutes(reference: String, version: Int, link: String) -> Notice {
        Notice(kind: .correctedMinutes, subject: "Corrected minutes: \(reference) (version \(version))",
               text: "The minutes of \(reference) were corrected; version \(version) replaces the one you received.\nRead them: \(link)\n"
                   + "They are confidential: do not share them beyond the people invited without the chair’s permission.",
               reference: reference)
    }

    /// The chair's decision on a correction, to the person who sent it.
    public static func correctionDecision(reference: String, accepted: Bool, link: String) -> Notice {
        Notice(kind: .correctionDecision, subject: "Your correction to \(reference) was \(accepted ? "accepted" : "not accepted")",
               text: "The chair \(accepted ? "accepted" : "did not accept") the correction you sent to the minutes of \(reference); "
                   + "the reason is recorded.\nSee it: \(link)",
               reference: reference)
    }

    /// DEC-004-01: a significant change to the outcome, for the original members.
    public static func outcomeEndorsement(reference: String, link: String) -> Notice {
        Notice(kind: .outcomeEndorsement, subject: "Endorse or object: a change to the section 47 outcome, \(reference)",
               text: "A significant change to the outcome of the section 47 enquiry is proposed. As a member of the strategy "
                   + "discussion, endorse it or object, with your reason: \(link)",
               reference: reference)
    }

    /// REC-ALL-02: the service manager's decision on a disclosure request.
    public static func disclosureDecision(reference: String, granted: Bool, link: String) -> Notice {
        Notice(kind: .disclosureDecision, subject: "Disclosure request \(granted ? "granted" : "refused"): \(reference)",
               text: "A service manager \(granted ? "granted" : "refused") your request to see the minutes of \(reference); "
                   + "the reasons are recorded.\nSee the decision: \(link)",
               reference: reference)
    }

    // MARK: - Reminders

    /// A reminder or escalation, saying what is due, by when, under which rule.
    public static func reminder(_ r: Reminder, link: String) -> Notice {
        let by = UKDisplay.dateTime(r.deadline)
        let rule = r.rule.map { " (\($0))" } ?? ""
        let what: String
        switch r.subject {
        case let .duty(_, duty, _):
            switch duty {
            case .strategyDiscussion, .faceToFaceMeeting:
                what = "\(duty.title), due by \(by)\(rule): the discussion is not booked yet"
            default:
                what = "\(duty.title), due by \(by)\(rule)"
            }
        case .action:
            what = "an action agreed at this discussion, due by \(by)\(rule)"
        case .disclosure:
            what = "a request to see the minutes has waited over a working day for a decision\(rule)"
        }
        let state: String
        switch r.threshold {
        case .approaching, .due: state = ""
        case .overdue: state = r.subject.isDisclosure ? "" : " It is overdue."
        case .escalated: state = " It is overdue and still not done: you are told as the chair (ACT-ALL-03)."
        }
        let prefix: String
        switch r.threshold {
        case .approaching: prefix = "Due soon"
        case .due: prefix = "Due today"
        case .overdue: prefix = r.subject.isDisclosure ? "Waiting" : "Overdue"
        case .escalated: prefix = "Still overdue"
        }
        return Notice(kind: r.kind, subject: "\(prefix): \(r.reference)",
                      text: "\(r.reference): \(what).\(state)\nOpen it: \(link)", reference: r.reference)
    }

    /// One message with everything a person chose to receive once a day.
    public static func digest(_ items: [Notice], link: String) -> Notice {
        let lines = items.map { "- \($0.subject)" }
        return Notice(kind: .digest, subject: "Your Convene digest: \(items.count) item\(items.count == 1 ? "" : "s")",
                      text: "Since your last digest:\n" + lines.joined(separator: "\n") + "\nSee your work: \(link)",
                      reference: "")
    }
}

extension ReminderSubject {
    var isDisclosure: Bool {
        if case .disclosure = self { return true }
        return false
    }
}
