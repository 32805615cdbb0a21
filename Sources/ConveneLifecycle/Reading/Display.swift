import ConveneCore
import ConveneStore
import Foundation

/// The procedure's facts in words, as pages (and, later, messages) show them: a stage or a
/// duty as a coloured tag, when a discussion is held, the children's names and ages, and each
/// deadline with its rule, basis and status ("due soon" within 4 hours).
public enum Display {
    public struct Tag: Encodable, Sendable {
        public let text: String
        public let colour: String

        public init(text: String, colour: String) {
            self.text = text
            self.colour = colour
        }
    }

    /// A count with its noun in the singular or plural ("1 action", "3 actions"); nouns ending
    /// in "y" after a consonant take "ies".
    public static func count(_ n: Int, _ noun: String) -> String {
        if n == 1 { return "1 " + noun }
        if noun.hasSuffix("y"), let before = noun.dropLast().last, !"aeiou".contains(before) {
            return "\(n) " + noun.dropLast() + "ies"
        }
        return "\(n) " + noun + "s"
    }

    /// How close an open deadline must be to show as "Due soon".
    public static let dueSoon: TimeInterval = 4 * 3600

    public static func tag(_ status: DutyStatus) -> Tag {
        switch status {
        case .met: Tag(text: "Met", colour: "green")
        case .missed: Tag(text: "Missed", colour: "red")
        case .open: Tag(text: "Due", colour: "blue")
        case .notRequired: Tag(text: "Not required", colour: "grey")
        }
    }

    public static func tag(_ stage: DiscussionStage) -> Tag {
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
    public static func when(_ d: Discussion) -> String {
        if let held = d.startedAt {
            let booked = d.slotStart.flatMap { $0 == held ? nil : " (booked for \(UKDisplay.dateTime($0)))" } ?? ""
            return "Held " + UKDisplay.dateTime(held) + booked
        }
        return d.slotStart.map { UKDisplay.dateTime($0) } ?? "Not booked"
    }

    /// "Amira Khan (6)" or "Unborn baby (due 3 March 2027)".
    public static func childName(_ child: ChildDetails, today: LocalDate) -> String {
        childName(name: child.name, dateOfBirth: child.dateOfBirth, unborn: child.unborn, expectedDate: child.expectedDate,
                  today: today)
    }

    static func childName(name: String, dateOfBirth: LocalDate?, unborn: Bool, expectedDate: LocalDate?, today: LocalDate)
        -> String
    {
        if unborn {
            return name + (expectedDate.map { " (unborn, due \(UKDisplay.date($0)))" } ?? " (unborn)")
        }
        guard let dob = dateOfBirth else { return name }
        return "\(name) (\(dob.age(on: today)))"
    }

    /// "Amira Khan (7), Zain Khan (4)".
    public static func children(_ children: [ChildDetails], today: LocalDate) -> String {
        children.map { childName($0, today: today) }.joined(separator: ", ")
    }

    /// The same per case, for lists that name each row's children from their columns.
    public static func childNames(_ children: [ChildName], today: LocalDate) -> [UUID: String] {
        Dictionary(grouping: children, by: \.caseID).mapValues { list in
            Self.children(list.map { ChildDetails(id: $0.id, name: $0.name, dateOfBirth: $0.dateOfBirth, unborn: $0.unborn,
                                                  expectedDate: $0.expectedDate) }, today: today)
        }
    }

    /// A deadline as a row of the deadlines list.
    public struct Deadline: Encodable, Sendable {
        public let title: String
        public let due: String
        public let relative: String
        public let rule: String
        public let ruleTitle: String
        public let timescale: String
        public let basis: String
        public let tag: Tag
        public let fulfilled: String
        public let overridden: String
        public let late: Bool
        public let discussion: String
        public let duty: String
    }

    /// A late one with the reason recorded for it shows that reason instead of being flagged
    /// late (TIME-000-01).
    public static func deadline(_ a: DutyAssessment, now: Date, discussionLabels: [String: String] = [:],
                                lateReason: (by: String, text: String)? = nil) -> Deadline {
        var tag = tag(a.status)
        if a.status == .open, let due = a.due, due.timeIntervalSince(now) < dueSoon {
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
            overridden: lateReason.map { "Reason it was late (\($0.by)): \($0.text)" }
                ?? a.override.map { "Changed with \($0.approvedBy)’s agreement: \($0.rationale)" } ?? "",
            late: lateReason == nil && a.status == .missed,
            discussion: a.discussion ?? "",
            duty: a.duty.rawValue)
    }

    public static func basis(_ basis: DutyBasis) -> String {
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
}
