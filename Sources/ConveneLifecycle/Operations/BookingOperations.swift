import ConveneCore
import ConveneStore
import FluentKit
import Foundation

extension Operations {
    public struct Booking: Sendable {
        /// A slot start offered by the calendar, or any time where the pack allows one.
        public var start: Date?
        /// Set when a time off the pattern was chosen.
        public var custom: Bool
        public var format: String
        public var details: String
        public var chairID: UUID?
        public var minuteTakerID: UUID?
        /// Rebooking: the service manager who agreed, and why (REQ-001-02).
        public var agreedBy: UUID?
        public var reason: String
        /// A time after the deadline: the manager who agreed, and why (TIME-000-01, INT-ALL-06).
        public var lateAgreedBy: UUID?
        public var lateReason: String
        /// Where the pack books against calendars: which one (default: the team's locality calendar).
        public var calendarID: UUID?
        /// REQ-002-01: the teleconference's duration (minutes), dial-in number and access code.
        public var durationMinutes: Int?
        public var dialIn: String
        public var accessCode: String

        public init(start: Date?, custom: Bool = false, format: String, details: String = "", chairID: UUID?,
                    minuteTakerID: UUID? = nil, agreedBy: UUID? = nil, reason: String = "", lateAgreedBy: UUID? = nil,
                    lateReason: String = "", calendarID: UUID? = nil, durationMinutes: Int? = nil, dialIn: String = "",
                    accessCode: String = "") {
            self.start = start
            self.custom = custom
            self.format = format
            self.details = details
            self.chairID = chairID
            self.minuteTakerID = minuteTakerID
            self.agreedBy = agreedBy
            self.reason = reason
            self.lateAgreedBy = lateAgreedBy
            self.lateReason = lateReason
            self.calendarID = calendarID
            self.durationMinutes = durationMinutes
            self.dialIn = dialIn
            self.accessCode = accessCode
        }
    }

    /// Books (or rebooks) a slot; the database refuses an overlap with any other booking
    /// (SLOT-ALL-01), which reaches the person as a conflict on the `slot` field.
    public static func book(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, _ input: Booking, expectedVersion: Int) async throws {
        let d = loaded.discussion
        let pack = loaded.pack
        let now = ctx.now
        let rebooking = d.stage == .booked
        try StageError.check(rebooking ? .rebook : .book, at: d.stage)
        var checks = FieldChecks()
        var end: Date?
        let slotField: FieldPath = input.custom ? "custom" : "slot"
        if let start = input.start {
            if input.custom {
                if pack.slots.allowsCustomTime(for: d.urgency) {
                    end = start.addingTimeInterval(TimeInterval(pack.slots.lengthSeconds))
                } else {
                    checks.fail("slot", "This procedure books fixed slots: choose one of them")
                }
            } else if let patternEnd = Slots.patternSlot(pack: pack, start: start) {
                end = patternEnd
            } else if d.urgency == .immediate || pack.slots.anyTime.contains(d.urgency) {
                end = start.addingTimeInterval(TimeInterval(pack.slots.lengthSeconds))
            } else {
                checks.fail("slot", "Choose one of the slots the calendar offers")
            }
            if start < now.addingTimeInterval(-300) { checks.fail(slotField, "The time must be in the future") }
            // SLOT-002-01: the lead time runs from the request; a session inside it is refused.
            if let refusal = SlotEngine(pack: pack).refusal(start: start, for: Slots.request(for: d, now: now)) {
                checks.fail(slotField, refusal)
            }
        } else {
            checks.fail(slotField, input.custom ? "Enter the date and time" : "Choose a slot")
        }
        if MeetingFormat(rawValue: input.format) == nil { checks.fail("format", "Select how people will take part") }
        // REQ-002-01: the teleconference is captured as fields, not free text.
        var teleconference: Teleconference?
        if pack.requestMessage?.teleconference == true {
            let problems = Teleconference.validate(durationMinutes: input.durationMinutes, dialIn: input.dialIn, accessCode: input.accessCode)
            checks.merge(problems)
            if problems.isEmpty {
                teleconference = Teleconference(durationMinutes: input.durationMinutes!, dialIn: input.dialIn.trimmed,
                                                accessCode: input.accessCode.trimmed)
            }
        }
        checks.limit(input.details, "details", max: 1000)
        let people = try await Person.query(on: ctx.db).filter(\.$organisation.$id == d.organisationID)
            .filter(\.$disabledAt == nil).all()
        let chair = people.first { $0.id == input.chairID && ($0.role == .teamManager || $0.role == .serviceManager) }
        if chair == nil { checks.fail("chair", "Choose the chair: a social care team manager or service manager (ATT-ALL-02)") }
        if let minuteTakerID = input.minuteTakerID, !people.contains(where: { $0.id == minuteTakerID && $0.role == .minuteTaker }) {
            checks.fail("minuteTaker", "Choose a minute taker from the list")
        }
        // Capacity belongs to a calendar (or the chair's time), as the pack says.
        var calendarID: UUID?
        if pack.slots.bookedAgainst == .calendar {
            let calendars = try await Slots.calendars(organisationID: d.organisationID, teamID: d.teamID, on: ctx.db)
            if let chosen = input.calendarID {
                if calendars.all.contains(where: { $0.id == chosen }) { calendarID = chosen } else {
                    checks.fail("calendar", "Choose one of the authority’s calendars")
                }
            } else {
                calendarID = d.calendarID ?? calendars.preferred?.id
            }
        }
        let resource = Slots.resource(pack: pack, organisationID: d.organisationID, calendarID: calendarID, chairID: input.chairID)
        // TIME-000-01, INT-ALL-06: a time after the deadline needs the reason and the manager
        // who agreed, kept as the duty's late reason for the case timeline.
        var lateNote: DutyNote?
        if let start = input.start, let timeline = try await CaseTimeline.load(caseID: d.$case.id, on: ctx.db),
           let due = timeline.convening(d, in: timeline.duties(pack: pack, asOf: now)),
           due.status != .notRequired, let deadline = due.due, start > deadline {
            let manager = people.first { $0.id == input.lateAgreedBy && ($0.role == .teamManager || $0.role == .serviceManager) }
            if manager == nil {
                checks.fail("lateAgreedBy", "This time is after the deadline of \(UKDisplay.dateTime(deadline)): choose the manager who agreed")
            }
            checks.text(input.lateReason, "lateReason",
                        "This time is after the deadline of \(UKDisplay.dateTime(deadline)): give the reason", max: 4000)
            if let manager {
                lateNote = DutyNote(caseID: timeline.caseRecord.id!, kind: .lateReason, duty: due.duty, discussionKey: due.discussion,
                                    due: nil, text: "Booked for \(UKDisplay.dateTime(start)), after the deadline of "
                                        + "\(UKDisplay.dateTime(deadline)); agreed by \(manager.name): \(input.lateReason.trimmed)",
                                    recordedBy: loaded.user.id, recordedByName: loaded.user.name)
            }
        }
        var agreement = ""
        if rebooking {
            let agreedBy = people.first { $0.id == input.agreedBy && $0.role == .serviceManager }
            if agreedBy == nil { checks.fail("agreedBy", "Choose the service manager who agreed to rearrange it") }
            checks.text(input.reason, "reason", "Give the reason for rearranging it")
            agreement = "agreed by \(agreedBy?.name ?? ""): \(input.reason.trimmed)"
        }
        try checks.finish()
        guard let start = input.start, let end else { return }
        let auditReason = agreement
        let bookedTeleconference = teleconference
        let late = lateNote
        let base = ctx.publicAddress
        do {
            try await DiscussionWriter.update(loaded, ctx, expectedVersion: expectedVersion) { d, db in
                try StageError.check(rebooking ? .rebook : .book, at: d.stage)
                try await Slots.reserve(resource, capacity: pack.slots.capacity, organisationID: d.organisationID,
                                        discussionID: try d.requireID(), start: start, end: end, on: db)
                d.calendarID = resource.calendarID
                let previous = d.slotStart
                d.slotStart = start
                d.slotEnd = end
                d.bookedBy = loaded.user.id
                d.meetingFormat = input.format
                d.meetingDetails = input.details.trimmed
                if let teleconference = bookedTeleconference { d.teleconference = teleconference }
                d.chairID = input.chairID
                d.minuteTakerID = input.minuteTakerID
                if !rebooking {
                    d.stage = .booked
                    try await Invitations.prepopulate(loaded, discussion: d, on: db)
                }
                let detail = "slot \(RFC3339.format(start))" + (previous.map { ", was \(RFC3339.format($0))" } ?? "")
                if rebooking {
                    // Everyone already invited hears of it, with the calendar entry moved (issue 11).
                    try await Outbox.announceChange(d, cancelled: false, previousStart: previous, pack: pack, base: base, now: now,
                                                    on: db)
                }
                var records = [loaded.audit(rebooking ? "rebook" : "book", reason: auditReason, detail: detail)]
                if let late {
                    try await late.create(on: db)
                    records.append(loaded.audit("late-reason", "case", reason: late.text, detail: late.duty.rawValue))
                }
                return ((), records)
            }
        } catch LifecycleError.conflict(Slots.full, field: nil) {
            // 409 naming the field, as the API document says; the page shows it beside the field.
            throw LifecycleError.conflict(Slots.full, field: slotField)
        }
    }

    /// Cancels with the service manager's recorded agreement (REQ-001-02).
    public static func cancel(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, agreedBy: UUID?, reason: String, expectedVersion: Int)
        async throws
    {
        try StageError.check(.cancel, at: loaded.discussion.stage)
        var checks = FieldChecks()
        let manager = try await agreedBy.asyncMap { try await Person.find($0, on: ctx.db) } ?? nil
        let valid = manager.map { $0.role == .serviceManager && $0.$organisation.id == loaded.discussion.organisationID } ?? false
        if !valid { checks.fail("cancelAgreedBy", "Choose the service manager who agreed to cancel it") }
        checks.text(reason, "cancelReason", "Give the reason for cancelling it")
        try checks.finish()
        let text = "Agreed by \(manager?.name ?? ""): \(reason.trimmed)"
        let base = ctx.publicAddress
        let now = ctx.now
        let pack = loaded.pack
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: expectedVersion) { d, db in
            try StageError.check(.cancel, at: d.stage)
            try await Slots.release(discussionID: try d.requireID(), on: db)
            d.stage = .cancelled
            d.cancellation = text
            // Everyone already invited hears of it, with the calendar entry cancelled (issue 11).
            try await Outbox.announceChange(d, cancelled: true, previousStart: d.slotStart, pack: pack, base: base, now: now, on: db)
            return ((), [loaded.audit("cancel", reason: text)])
        }
    }
}

extension Operations {
    /// What a booking is chosen from: the next free slots of the calendar the discussion is
    /// booked in (SLOT-*), the deadline it must be held by (TIME-000-01), and the people who
    /// may chair, take the minutes or agree a change.
    public struct BookingOptions: Sendable {
        public let calendars: [BookingCalendar]
        public let calendarID: UUID?
        public let resource: Slots.Resource
        /// The duty the meeting fulfils, and its deadline unless not required.
        public let due: DutyAssessment?
        public let dueBy: Date?
        public let offers: [SlotOffer]
        /// Team and service managers (chairs, and who agrees a late time), and service
        /// managers alone (who agree a rearrangement), and minute takers.
        public let managers: [Person]
        public let serviceManagers: [Person]
        public let minuteTakers: [Person]

        /// TIME-000-01, INT-ALL-06: even the first slot is after the deadline.
        public var firstLate: Bool {
            offers.first.flatMap { offer in dueBy.map { offer.start > $0 } } ?? false
        }

        /// An offer in words, marked when it is outside the usual times or after the deadline.
        public func label(_ offer: SlotOffer) -> String {
            UKDisplay.dateTime(offer.start) + " to " + UKDisplay.time(offer.end)
                + (offer.outsidePattern ? " (urgent: outside the usual times)" : "")
                + (dueBy.map { offer.start > $0 } == true ? " – after the deadline" : "")
        }

        /// What the slots are booked against (SLOT-*): the chair's time, or a calendar's capacity.
        public func bookedAgainst(_ slots: SlotCalendar) -> String {
            slots.bookedAgainst == .chair
                ? "Each discussion takes its chair’s time: a chair is never booked twice at once."
                : "Booked in " + (calendars.first { $0.id == resource.calendarID }.map { "the calendar “\($0.name)”" }
                    ?? "the authority’s calendar") + (slots.capacity > 1 ? ", \(slots.capacity) at once." : ", one at a time.")
        }
    }

    /// The options for booking a discussion in `calendarID` (else the one it is booked in, else
    /// the team's locality calendar). An unknown calendar is refused naming `calendarField`
    /// when one is given; `count` offers are listed.
    public static func bookingOptions(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, calendarID: UUID? = nil,
                                      calendarField: FieldPath? = nil, count: Int = 8) async throws -> BookingOptions {
        let d = loaded.discussion
        let pack = loaded.pack
        let now = ctx.now
        let calendars = try await Slots.calendars(organisationID: d.organisationID, teamID: d.teamID, on: ctx.db)
        if let calendarField, let asked = calendarID, !calendars.all.contains(where: { $0.id == asked }) {
            throw ValidationFailure(InputError(field: calendarField, "Choose one of the authority’s calendars"))
        }
        let chosen = calendarID ?? d.calendarID ?? calendars.preferred?.id
        let resource = Slots.resource(pack: pack, organisationID: d.organisationID, calendarID: chosen, chairID: d.chairID)
        let booked = try await Slots.booked(resource, organisationID: d.organisationID, from: now.addingTimeInterval(-86_400),
                                            excluding: d.id, on: ctx.db)
        let timeline = try await CaseTimeline.load(caseID: d.$case.id, on: ctx.db)
        let due = timeline?.convening(d, in: timeline?.duties(pack: pack, asOf: now) ?? [])
        let dueBy = due.flatMap { $0.status == .notRequired ? nil : $0.due }
        let offers = Slots.offers(pack: pack, request: Slots.request(for: d, now: now, booked: booked, dueBy: dueBy), count: count)
        let managers = try await people(ctx, organisationID: d.organisationID, roles: [.teamManager, .serviceManager])
        return BookingOptions(
            calendars: calendars.all, calendarID: chosen, resource: resource, due: due, dueBy: dueBy, offers: offers,
            managers: managers, serviceManagers: managers.filter { $0.role == .serviceManager },
            minuteTakers: try await people(ctx, organisationID: d.organisationID, roles: [.minuteTaker]))
    }

    /// The authority's active people in these roles, by name.
    public static func people(_ ctx: LifecycleContext, organisationID: UUID, roles: [Role]) async throws -> [Person] {
        try await Person.query(on: ctx.db).filter(\.$organisation.$id == organisationID).filter(\.$role ~~ roles)
            .filter(\.$disabledAt == nil).sort(\.$name).all()
    }
}
