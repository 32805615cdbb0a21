import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// The slot calendars of an organisation, as stored: what a booking occupies (a calendar the
/// authority set up, or the chair's time, as the pack says), the starts already booked there,
/// the next free slots from the pack's engine, and the database-enforced booking (SLOT-ALL-01).
public enum Slots {
    /// What a booking of `d` occupies: the chosen calendar, the chair, or the authority's
    /// default calendar when it has set none up.
    public struct Resource: Hashable, Sendable {
        public let key: String
        public let calendarID: UUID?
        public let chairID: UUID?
    }

    public static let unknownChair = "chair:unknown"

    public static func resource(pack: ProcedurePack, organisationID: UUID, calendarID: UUID?, chairID: UUID?) -> Resource {
        switch pack.slots.bookedAgainst {
        case .chair:
            if let chairID { return Resource(key: CalendarCell.chair(chairID), calendarID: nil, chairID: chairID) }
            // No chair chosen yet: nothing is known to be taken.
            return Resource(key: unknownChair, calendarID: nil, chairID: nil)
        case .calendar:
            if let calendarID { return Resource(key: CalendarCell.calendar(calendarID), calendarID: calendarID, chairID: nil) }
            return Resource(key: CalendarCell.organisation(organisationID), calendarID: nil, chairID: nil)
        }
    }

    /// The authority's calendars, and the one a team's discussions are booked in by default
    /// (the calendar of the team's locality, else the first).
    public static func calendars(organisationID: UUID, teamID: UUID, on db: any Database) async throws
        -> (all: [BookingCalendar], preferred: BookingCalendar?)
    {
        let all = try await BookingCalendar.query(on: db).filter(\.$organisationID == organisationID).sort(\.$name).all()
        let locality = try await Team.find(teamID, on: db)?.locality ?? ""
        return (all, all.first { !$0.locality.isEmpty && $0.locality == locality } ?? all.first)
    }

    /// The starts already booked on a resource, from `from`.
    public static func booked(_ resource: Resource, organisationID: UUID, from: Date, excluding: UUID? = nil, on db: any Database)
        async throws -> [Date]
    {
        guard resource.key != unknownChair else { return [] }
        var query = Discussion.query(on: db).filter(\.$organisationID == organisationID).filter(\.$slotStart >= from)
            .filter(\.$stage ~~ [.booked, .inMeeting, .recordFinal, .authorised, .circulated])
        if let chairID = resource.chairID {
            query = query.filter(\.$chairID == chairID)
        } else {
            query = query.filter(\.$calendarID == resource.calendarID)
        }
        if let excluding { query = query.filter(\.$id != excluding) }
        return try await query.all().compactMap(\.slotStart)
    }

    /// The slot engine's question for a discussion: counted from when it was requested
    /// (SLOT-002-01: "24 hours from the point which the request was made"), never in the past,
    /// and for urgency `other` not before the time the manager agreed.
    public static func request(for d: Discussion, now: Date, booked: [Date] = [], dueBy: Date? = nil) -> SlotRequest {
        var notBefore = now
        if d.urgency == .other, let agreed = d.request.agreedDue, agreed > notBefore { notBefore = agreed }
        return SlotRequest(requestedAt: d.requestedAt, urgency: d.urgency, booked: booked, notBefore: notBefore, dueBy: dueBy)
    }

    /// The next `count` free slots for a discussion.
    public static func offers(pack: ProcedurePack, request: SlotRequest, count: Int = 8) -> [SlotOffer] {
        let engine = SlotEngine(pack: pack)
        var question = request
        var offers: [SlotOffer] = []
        for _ in 0..<count {
            guard let offer = try? engine.nextFree(question) else { break }
            offers.append(offer)
            // Offer distinct times: a calendar that runs several at once offers each once.
            question.booked += Array(repeating: offer.start, count: pack.slots.capacity)
        }
        return offers
    }

    /// Whether `start` is a slot of the pack's pattern (a session start on a working day),
    /// and the slot's end.
    public static func patternSlot(pack: ProcedurePack, start: Date) -> Date? {
        let (date, seconds) = EuropeLondon.local(start)
        guard pack.calendar.isWorkingDay(date) else { return nil }
        guard let slot = pack.slots.dailySlots.first(where: { $0.start == seconds }) else { return nil }
        return start.addingTimeInterval(TimeInterval(slot.end - slot.start))
    }

    /// Writes the booking's cells in the first lane free for the whole meeting; the unique
    /// index on (resource, lane, cell) refuses an overlap in a lane, even one written a moment
    /// ago by another server (SLOT-ALL-01).
    public static func reserve(_ resource: Resource, capacity: Int, organisationID: UUID, discussionID: UUID, start: Date, end: Date,
                        on db: any Database) async throws {
        try await CalendarCell.query(on: db).filter(\.$discussionID == discussionID).delete()
        let cells = CalendarCell.cells(from: start, to: end)
        let taken = try await CalendarCell.query(on: db).filter(\.$resource == resource.key)
            .filter(\.$cellStart ~~ cells).all()
        guard let lane = (0..<capacity).first(where: { lane in !taken.contains { $0.lane == lane } }) else {
            throw LifecycleError.conflict(full)
        }
        for cell in cells {
            do {
                try await CalendarCell(organisationID: organisationID, resource: resource.key, lane: lane, cellStart: cell,
                                       discussionID: discussionID).create(on: db)
            } catch let error as any DatabaseError where error.isConstraintFailure {
                throw LifecycleError.conflict(full)
            }
        }
    }

    public static let full = "That time was booked by someone else a moment ago. Choose another slot."

    public static func release(discussionID: UUID, on db: any Database) async throws {
        try await CalendarCell.query(on: db).filter(\.$discussionID == discussionID).delete()
    }
}
