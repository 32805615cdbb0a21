import ConveneCore
import ConveneStore
import Foundation

/// Small display helpers shared by the page contexts.
enum Display {
    struct Tag: Encodable {
        let text: String
        let colour: String
    }

    static func tag(_ status: DutyStatus) -> Tag {
        switch status {
        case .met: Tag(text: "Met", colour: "green")
        case .missed: Tag(text: "Missed", colour: "red")
        case .open: Tag(text: "Due", colour: "blue")
        case .notRequired: Tag(text: "Not required", colour: "grey")
        }
    }

    static func tag(_ stage: DiscussionStage) -> Tag {
        switch stage {
        case .requested: Tag(text: stage.label, colour: "yellow")
        case .declined, .cancelled: Tag(text: stage.label, colour: "grey")
        case .awaitingBooking: Tag(text: stage.label, colour: "orange")
        case .booked: Tag(text: stage.label, colour: "light-blue")
        case .inMeeting: Tag(text: stage.label, colour: "blue")
        case .recordFinal: Tag(text: stage.label, colour: "purple")
        case .authorised: Tag(text: stage.label, colour: "turquoise")
        case .circulated: Tag(text: stage.label, colour: "green")
        }
    }

    /// When a discussion took place, or is booked: once held, the time it actually started
    /// (with the booked slot where that differed).
    static func when(_ d: Discussion) -> String {
        if let held = d.startedAt {
            let booked = d.slotStart.flatMap { $0 == held ? nil : " (booked for \(UKDisplay.dateTime($0)))" } ?? ""
            return "Held " + UKDisplay.dateTime(held) + booked
        }
        return d.slotStart.map { UKDisplay.dateTime($0) } ?? "Not booked"
    }

    /// "Amira Khan (6)" or "Unborn baby (due 3 March 2027)".
    static func childName(_ child: ChildDetails, today: LocalDate) -> String {
        if child.unborn {
            return child.name + (child.expectedDate.map { " (unborn, due \(UKDisplay.date($0)))" } ?? " (unborn)")
        }
        guard let dob = child.dateOfBirth else { return child.name }
        return "\(child.name) (\(dob.age(on: today)))"
    }

    static func children(_ children: [ChildDetails], today: LocalDate) -> String {
        children.map { childName($0, today: today) }.joined(separator: ", ")
    }

    /// A deadline as a row of the deadlines list.
    struct Deadline: Encodable {
        let title: String
        let due: String
        let relative: String
        let rule: String
        let ruleTitle: String
        let timescale: String
        let basis: String
        let tag: Tag
        let fulfilled: String
        let overridden: String
        let late: Bool
        let discussion: String
        let duty: String
    }

    static func deadline(_ a: DutyAssessment, now: Date, discussionLabels: [String: String] = [:]) -> Deadline {
        var tag = tag(a.status)
        if a.status == .open, let due = a.due, due.timeIntervalSince(now) < 4 * 3600 {
            tag = Tag(text: "Due soon", colour: "orange")
        }
        return Deadline(
            title: a.duty.title + (a.discussion.flatMap { discussionLabels[$0] }.map { " – \($0)" } ?? ""),
            due: a.due.map { UKDisplay.dateTime($0) } ?? "No deadline",
            relative: a.due.map { a.status == .open || (a.status == .missed && a.fulfilledAt == nil) ? UKDisplay.relative($0, now: now) : "" } ?? "",
            rule: a.rule.description,
            ruleTitle: RequirementCatalogue.title(a.rule) ?? "",
            timescale: a.timescaleText,
            basis: basis(a.basis),
            tag: tag,
            fulfilled: a.fulfilledAt.map { "Done " + UKDisplay.dateTime($0) } ?? "",
            overridden: a.override.map { "Changed with \($0.approvedBy)’s agreement: \($0.rationale)" } ?? "",
            late: a.status == .missed,
            discussion: a.discussion ?? "",
            duty: a.duty.rawValue)
    }

    static func basis(_ basis: DutyBasis) -> String {
        let what: String
        switch basis.kind {
        case .concernReceived: what = "Counted from the referral or new information"
        case .immediateAction: what = "Counted from the immediate protective action"
        case .requestMade: what = "Counted from the request"
        case .discussionHeld: what = "Counted from the discussion"
        case .s47Decision: what = "Counted from the discussion that started the section 47 enquiry"
        }
        return what + ", " + UKDisplay.dateTime(basis.at)
    }

    /// Success messages after a step, keyed by the `done` query parameter (no personal data).
    static let doneMessages: [String: String] = [
        "requested": "Request sent: the team manager will decide whether to convene",
        "decided": "Decision recorded",
        "declined": "Recorded that no discussion is needed",
        "sarc": "SARC contact recorded",
        "outcome-change": "The change was put to the members for endorsement",
        "transferred": "The case moved to the other team",
        "outcome-response": "Your answer was recorded",
        "booked": "Booked",
        "rebooked": "Rebooked with the service manager’s agreement",
        "cancelled": "Cancelled with the service manager’s agreement",
        "invited": "Invitations saved",
        "sent": "Invitations sent",
        "attendance": "Attendance saved",
        "saved": "Saved",
        "decisions": "Decisions saved",
        "action": "Action saved",
        "summary": "Summary of agreed actions sent to the attendees",
        "finalised": "Record finalised",
        "reopened": "Record reopened for changes",
        "authorised": "Record authorised",
        "circulated": "Record circulated to the invitees",
        "correction": "Correction sent to the chair",
        "corrected": "Correction decided",
        "event": "Added to the case timeline",
        "review": "Review discussion requested",
        "note": "Saved to the case timeline",
        "protection": "Immediate protection recorded",
        "disclosure": "Request sent to a service manager",
        "access": "Access granted for the stated purpose and period",
    ]
}
