import ConveneCore
import ConveneStore
import Foundation

/// Step 2's page: the next free slots from the pack's calendar with the due time, and
/// rebooking or cancelling with the service manager's recorded agreement (REQ-001-02).
public struct BookingPage: Encodable, Sendable {
    let action: String
    let cancelAction: String
    let version: Int
    let reference: String
    let meetingName: String
    let rebooking: Bool
    let current: String
    let due: String
    let dueRule: String
    let slotRule: String
    let slots: ChoiceContext
    let noSlots: Bool
    let allowCustom: Bool
    let custom: DateFieldContext
    let format: ChoiceContext
    let details: FieldContext
    let chair: ChoiceContext
    let minuteTaker: ChoiceContext
    let agreedBy: ChoiceContext
    let reason: FieldContext
    let cancelReason: FieldContext
    let cancelAgreedBy: ChoiceContext
    let canCancel: Bool
    /// The first slot the calendar can offer is after the deadline (TIME-000-01).
    let firstLate: Bool
    /// What the slots are booked against, in words.
    let bookedAgainst: String
    let calendar: ChoiceContext
    let chooseCalendar: Bool
    let lateReason: FieldContext
    /// REQ-002-01: the teleconference, as fields.
    let teleconference: Bool
    let duration: FieldContext
    let dialIn: FieldContext
    let accessCode: FieldContext
    let lateAgreedBy: ChoiceContext
}

extension BookingPage {
    public init(_ loaded: LoadedDiscussion, _ options: Operations.BookingOptions, state: FormState) {
        let d = loaded.discussion
        let pack = loaded.pack
        let (offers, due, managers) = (options.offers, options.due, options.managers)
        var slots = state.radios("slot", "Choose a slot", options: offers.map { (RFC3339.format($0.start), options.label($0)) }
            + (pack.slots.allowsCustomTime(for: d.urgency) ? [("custom", "Another time")] : []))
        slots.legendSize = "m"
        self.init(
            action: SiteURL.discussionPart(loaded.id, .booking).path,
            cancelAction: SiteURL.discussionPart(loaded.id, .cancel).path,
            version: d.lockVersion, reference: d.reference, meetingName: pack.meetingName,
            rebooking: d.stage == .booked,
            current: d.slotStart.map { UKDisplay.dateTime($0) } ?? "",
            due: due?.due.map { UKDisplay.dateTime($0) } ?? "",
            dueRule: due?.timescaleText ?? "",
            slotRule: RequirementCatalogue.title(pack.slots.rule) ?? "",
            slots: slots, noSlots: offers.isEmpty,
            allowCustom: pack.slots.allowsCustomTime(for: d.urgency),
            custom: state.date("custom", "Another time", hint: "UK time, for example 24 12 2026 and 15:30", withTime: true),
            format: state.radios("format", "How will people take part?", options: MeetingFormat.allCases.map { ($0.rawValue, $0.choice) }),
            details: state.field("details", "Where, or how to join",
                                 hint: "A room, or the video link or dial-in number and access code"),
            chair: state.radios("chair", "Chair", options: [("", "Choose the chair")] + managers.map { ($0.id!.slug, "\($0.name) (\($0.role.label))") }),
            minuteTaker: state.radios("minuteTaker", "Minute taker", options: [("", "No minute taker")] + options.minuteTakers.map { ($0.id!.slug, $0.name) }),
            agreedBy: state.radios("agreedBy", "Service manager who agreed", options: [("", "Choose the service manager")]
                + options.serviceManagers.map { ($0.id!.slug, $0.name) }),
            reason: state.field("reason", "Why it is being rearranged"),
            cancelReason: state.field("cancelReason", "Why it is being cancelled"),
            cancelAgreedBy: state.radios("cancelAgreedBy", "Service manager who agreed", options: [("", "Choose the service manager")]
                + options.serviceManagers.map { ($0.id!.slug, $0.name) }),
            canCancel: d.stage == .booked,
            firstLate: options.firstLate,
            bookedAgainst: options.bookedAgainst(pack.slots),
            calendar: {
                var s = state
                if s.values["calendar"] == nil { s.values["calendar"] = options.calendarID?.slug ?? "" }
                return s.radios("calendar", "Calendar", options: options.calendars.map { ($0.id!.slug, $0.name + ($0.locality.isEmpty ? "" : " (\($0.locality))")) })
            }(),
            chooseCalendar: pack.slots.bookedAgainst == .calendar && options.calendars.count > 1,
            lateReason: state.field("lateReason", "Why it cannot be held by the deadline",
                                    hint: "Needed when the time chosen is after the deadline"), // TIME-000-01
            teleconference: pack.requestMessage?.teleconference == true,
            duration: state.field("duration", "Teleconference duration, in minutes").with(width: "3"),
            dialIn: state.field("dialIn", "Dial-in number").with(type: "tel", width: "20"),
            accessCode: state.field("accessCode", "Teleconference access code").with(width: "10"),
            lateAgreedBy: state.radios("lateAgreedBy", "Manager who agreed to hold it after the deadline",
                                       options: [("", "Choose the manager")] + managers.map { ($0.id!.slug, "\($0.name) (\($0.role.label))") }))
    }
}
