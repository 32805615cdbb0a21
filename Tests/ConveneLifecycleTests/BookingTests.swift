import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import Testing

@Suite("Booking (SLOT-*), rebooking and cancelling (REQ-001-02)")
struct BookingTests {
    @Test("The minute taker books the first slot offered: the stage moves, the invitees are prepopulated, the deadline is kept")
    func book() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .awaitingBooking)
            let options = try await Operations.bookingOptions(world.ctx(.minuteTaker), try await world.load(id, as: .minuteTaker, for: .book))
            #expect(!options.offers.isEmpty && options.managers.contains { $0.id == world.id(.teamManager) })
            try await world.book(id)
            let d = try await world.discussion(id)
            #expect(d.stage == .booked && d.slotStart == options.offers.first?.start && d.chairID == world.id(.teamManager))
            #expect(try await Invitation.query(on: world.db).filter(\.$discussion.$id == id).count() >= 3)
            #expect(try await world.audit("book").count == 1)
        }
    }

    @Test("Booking before the decision is at the wrong stage")
    func bookTooEarly() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let loaded = try await world.load(id, as: .minuteTaker, for: .book)
            let booking = Operations.Booking(start: world.clock.now.addingTimeInterval(86_400), format: "virtual", chairID: world.id(.teamManager))
            await expectWrongStage { try await Operations.book(world.ctx(.minuteTaker), loaded, booking, expectedVersion: 0) }
        }
    }

    @Test("Each field is named: a time off the pattern, an unknown format, a chair who is not a manager")
    func bookInvalid() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .awaitingBooking)
            var booking = try await world.booking(id)
            let loaded = try await world.load(id, as: .minuteTaker, for: .book)
            let version = try await world.version(id)
            booking.format = "carrier-pigeon"
            await expectInvalid("format") { try await Operations.book(world.ctx(.minuteTaker), loaded, booking, expectedVersion: version) }
            booking.format = "virtual"
            booking.chairID = world.id(.socialWorker)
            await expectInvalid("chair") { try await Operations.book(world.ctx(.minuteTaker), loaded, booking, expectedVersion: version) }
            booking.chairID = world.id(.teamManager)
            booking.start = booking.start!.addingTimeInterval(17 * 60)
            await expectInvalid("slot") { try await Operations.book(world.ctx(.minuteTaker), loaded, booking, expectedVersion: version) }
            #expect(try await world.discussion(id).stage == .awaitingBooking)
        }
    }

    @Test("ASVS-5.0-2.3.3: a booking on a stale version is a conflict")
    func bookStale() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .awaitingBooking)
            let booking = try await world.booking(id)
            let loaded = try await world.load(id, as: .minuteTaker, for: .book)
            await expectConflict { try await Operations.book(world.ctx(.minuteTaker), loaded, booking, expectedVersion: 0) }
        }
    }

    @Test("SLOT-ALL-01: a slot of the authority's calendar booked a moment ago is a conflict naming `slot`")
    func doubleBooked() async throws {
        try await LifecycleWorld.run { world in
            let first = try await world.request()
            let second = try await world.request()
            try await world.advance(first, to: .awaitingBooking)
            try await world.advance(second, to: .awaitingBooking)
            let booking = try await world.booking(first)
            try await world.book(first)
            let loaded = try await world.load(second, as: .minuteTaker, for: .book)
            await expectConflict(field: "slot") {
                try await Operations.book(world.ctx(.minuteTaker), loaded, booking, expectedVersion: try await world.version(second))
            }
        }
    }

    @Test("REQ-001-02: cancelling needs the service manager who agreed and a reason; a cancelled discussion cannot be cancelled again")
    func cancel() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .booked)
            let loaded = try await world.load(id, as: .minuteTaker, for: .rebookOrCancel)
            let version = try await world.version(id)
            await expectInvalid("cancelAgreedBy") {
                try await Operations.cancel(world.ctx(.minuteTaker), loaded, agreedBy: world.id(.teamManager), reason: "Police unavailable",
                                            expectedVersion: version)
            }
            await expectInvalid("cancelReason") {
                try await Operations.cancel(world.ctx(.minuteTaker), loaded, agreedBy: world.id(.serviceManager), reason: "",
                                            expectedVersion: version)
            }
            try await Operations.cancel(world.ctx(.minuteTaker), loaded, agreedBy: world.id(.serviceManager), reason: "Police unavailable",
                                        expectedVersion: version)
            #expect(try await world.discussion(id).stage == .cancelled)
            #expect(try await CalendarCell.query(on: world.db).filter(\.$discussionID == id).count() == 0)
            let again = try await world.load(id, as: .minuteTaker, for: .rebookOrCancel)
            await expectWrongStage {
                try await Operations.cancel(world.ctx(.minuteTaker), again, agreedBy: world.id(.serviceManager), reason: "Again",
                                            expectedVersion: version + 1)
            }
        }
    }

    @Test("Rebooking needs the service manager who agreed and why (REQ-001-02)")
    func rebook() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .booked)
            let loaded = try await world.load(id, as: .minuteTaker, for: .rebookOrCancel)
            let options = try await Operations.bookingOptions(world.ctx(.minuteTaker), loaded)
            var booking = Operations.Booking(start: options.offers.first?.start, format: "in-person", chairID: world.id(.teamManager))
            await expectInvalid("agreedBy") {
                try await Operations.book(world.ctx(.minuteTaker), loaded, booking, expectedVersion: try await world.version(id))
            }
            booking.agreedBy = world.id(.serviceManager)
            booking.reason = "The police officer is in court"
            try await Operations.book(world.ctx(.minuteTaker), loaded, booking, expectedVersion: try await world.version(id))
            #expect(try await world.discussion(id).meetingFormat == "in-person")
            #expect(try await world.audit("rebook").first?.reason.contains("The police officer is in court") == true)
        }
    }

    @Test("An unknown calendar is refused naming the field the caller gives")
    func unknownCalendar() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .awaitingBooking)
            let loaded = try await world.load(id, as: .minuteTaker, for: .book)
            await expectInvalid("calendarId") {
                _ = try await Operations.bookingOptions(world.ctx(.minuteTaker), loaded, calendarID: UUID(), calendarField: "calendarId")
            }
        }
    }
}
