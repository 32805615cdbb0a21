import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// The slot calendar of an organisation, as stored: the starts already booked, the next free
/// slots from the pack's engine, and the database-enforced booking (SLOT-ALL-01).
enum Slots {
    static func booked(organisationID: UUID, from: Date, excluding: UUID? = nil, on db: any Database) async throws -> [Date] {
        var query = Discussion.query(on: db).filter(\.$organisationID == organisationID).filter(\.$slotStart >= from)
            .filter(\.$stage ~~ [.booked, .inMeeting, .recordFinal, .authorised, .circulated])
        if let excluding { query = query.filter(\.$id != excluding) }
        return try await query.all().compactMap(\.slotStart)
    }

    /// The next `count` free slots for a request made now.
    static func offers(pack: ProcedurePack, urgency: Urgency, now: Date, booked: [Date], count: Int = 8) -> [SlotOffer] {
        let engine = SlotEngine(pack: pack)
        var taken = booked
        var offers: [SlotOffer] = []
        var after = now
        for _ in 0..<count {
            guard let offer = try? engine.nextFree(SlotRequest(requestedAt: after, urgency: urgency, booked: taken)) else { break }
            offers.append(offer)
            taken.append(offer.start)
            // Urgent offers keep their lead of zero; later offers follow the first.
            after = max(after, now)
        }
        return offers
    }

    /// Whether `start` is a slot of the pack's pattern (a session start on a working day),
    /// and the slot's end.
    static func patternSlot(pack: ProcedurePack, start: Date) -> Date? {
        let (date, seconds) = EuropeLondon.local(start)
        guard pack.calendar.isWorkingDay(date) else { return nil }
        guard let slot = pack.slots.dailySlots.first(where: { $0.start == seconds }) else { return nil }
        return start.addingTimeInterval(TimeInterval(slot.end - slot.start))
    }

    /// Writes the booking's cells; a unique index refuses an overlap with any other booking,
    /// even one written a moment ago by another server (SLOT-ALL-01).
    static func reserve(organisationID: UUID, discussionID: UUID, start: Date, end: Date, on db: any Database) async throws {
        try await SlotCell.query(on: db).filter(\.$discussionID == discussionID).delete()
        for cell in SlotCell.cells(from: start, to: end) {
            do {
                try await SlotCell(organisationID: organisationID, cellStart: cell, discussionID: discussionID).create(on: db)
            } catch let error as any DatabaseError where error.isConstraintFailure {
                throw ConflictError("That time was booked by someone else a moment ago. Choose another slot.")
            }
        }
    }

    static func release(discussionID: UUID, on db: any Database) async throws {
        try await SlotCell.query(on: db).filter(\.$discussionID == discussionID).delete()
    }
}
