import ConveneAPI
import ConveneCore
import ConveneStore
import Foundation
import Vapor

/// Booking from the pack's calendar (SLOT-*), rebooking and cancelling with the service
/// manager's recorded agreement (REQ-001-02).
extension APIHandler {
    /// The longest list of offers asked for: the engine walks the calendar once per offer.
    static let maxSlotOffers = 500

    func listSlotOffers(_ input: APIOperations.ListSlotOffers.Input) async throws -> APIOperations.ListSlotOffers.Output {
        let req = try APIContext.current()
        let page = try PageRequest(page: input.query.page, per: input.query.per)
        guard page.window.offset + page.per <= Self.maxSlotOffers else {
            throw ValidationFailure(InputError(field: "page", "Offers are listed up to \(Self.maxSlotOffers) ahead; ask for an earlier page"))
        }
        let loaded = try await req.discussionForBooking(input.path.discussionId)
        let options = try await Operations.bookingOptions(req.lifecycle, loaded, calendarID: input.query.calendarId,
                                                          calendarField: "calendarId", count: page.window.offset + page.per)
        let (offers, due, dueBy) = (options.offers, options.due, options.dueBy)
        let items = page.slice(offers).map { offer in
            Schemas.SlotOffer(start: offer.start, end: offer.end, outsidePattern: offer.outsidePattern, rule: offer.rule.description,
                              afterDeadline: dueBy.map { deadline in offer.start > deadline } ?? false)
        }
        return .ok(.init(body: .json(.init(bookedAgainst: Self.bookedAgainst(loaded.pack, options.resource, options.calendars), due: dueBy, dueRule: due.map { "\($0.rule): \($0.timescaleText)" },
                                           items: items, pagination: page.info(total: nil)))))
    }

    /// The booking page's field names, as this API names them.
    static let bookingFields = APIFieldNames.table([
        "slot": "slotStart", "custom": "slotStart", "chair": "chairId", "minuteTaker": "minuteTakerId", "calendar": "calendarId",
        "duration": "teleconference.durationMinutes", "dialIn": "teleconference.dialIn", "accessCode": "teleconference.accessCode",
    ])

    /// "calendar: South mailbox", "chair", or the authority's default calendar.
    static func bookedAgainst(_ pack: ProcedurePack, _ resource: Slots.Resource, _ calendars: [BookingCalendar]) -> String {
        switch pack.slots.bookedAgainst {
        case .chair: return "chair"
        case .calendar:
            return "calendar: " + (calendars.first { $0.id == resource.calendarID }?.name ?? "the authority's calendar")
        }
    }

    func bookDiscussion(_ input: APIOperations.BookDiscussion.Input) async throws -> APIOperations.BookDiscussion.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let loaded = try await req.discussionForBooking(input.path.discussionId)
        let booking = Operations.Booking(
            start: body.slotStart, custom: body.custom ?? false, format: body.format.rawValue, details: body.details ?? "",
            chairID: body.chairId, minuteTakerID: body.minuteTakerId, agreedBy: body.agreedBy, reason: body.reason ?? "",
            lateAgreedBy: body.lateAgreedBy, lateReason: body.lateReason ?? "", calendarID: body.calendarId,
            durationMinutes: body.teleconference?.durationMinutes, dialIn: body.teleconference?.dialIn ?? "",
            accessCode: body.teleconference?.accessCode ?? "")
        try await APIFieldNames.renaming(Self.bookingFields) {
            try await Operations.book(req.lifecycle, loaded, booking, expectedVersion: body.expectedVersion)
        }
        return .ok(.init(body: .json(try await Self.summary(of: loaded.id, req))))
    }

    func cancelDiscussion(_ input: APIOperations.CancelDiscussion.Input) async throws -> APIOperations.CancelDiscussion.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let loaded = try await req.discussion(input.path.discussionId, for: .rebookOrCancel)
        try await APIFieldNames.renaming(APIFieldNames.table(["cancelAgreedBy": "agreedBy", "cancelReason": "reason"])) {
            try await Operations.cancel(req.lifecycle, loaded, agreedBy: body.agreedBy, reason: body.reason,
                                        expectedVersion: body.expectedVersion)
        }
        return .ok(.init(body: .json(try await Self.summary(of: loaded.id, req))))
    }
}
