import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

/// Step 1b and 2: the team manager's decision to convene (REQ-001-02) and the booking of a slot
/// from the pack's calendar (SLOT-001-01, SLOT-ALL-01), with rearranging and cancelling only
/// on the service manager's recorded agreement.
@Suite("Lifecycle pages: decision and booking")
struct DecisionAndBookingPageTests {
    // MARK: Decision

    @Test("REQ-001-02: deciding without choosing yes or no is refused with 400, naming the choice")
    func decisionWithoutChoice() async throws {
        try await TestWorld.run { world in
            let id = try await world.requestDiscussion()
            let manager = try await world.browser(.teamManager)
            try await manager.get("/discussions/\(id.slug)/decision")
            let before = try await world.storeState()
            expectFieldError(try await manager.post("/discussions/\(id.slug)/decision", [("version", try await world.version(id))]),
                             "convene")
            #expect(try await world.storeState() == before)
        }
    }

    @Test("REQ-001-02: “not needed” without a reason is refused with 400, naming the reason")
    func declineWithoutReason() async throws {
        try await TestWorld.run { world in
            let id = try await world.requestDiscussion()
            let manager = try await world.browser(.teamManager)
            try await manager.get("/discussions/\(id.slug)/decision")
            let before = try await world.storeState()
            let response = try await manager.post("/discussions/\(id.slug)/decision",
                                                  [("convene", "no"), ("reason", "  "), ("version", try await world.version(id))])
            expectFieldError(response, "reason")
            #expect(try await world.storeState() == before)
        }
    }

    @Test("REQ-001-02: “not needed” with a reason declines the discussion and keeps the reason")
    func declineWithReason() async throws {
        try await TestWorld.run { world in
            let id = try await world.requestDiscussion()
            let manager = try await world.browser(.teamManager)
            try await manager.get("/discussions/\(id.slug)/decision")
            let response = try await manager.post("/discussions/\(id.slug)/decision", [
                ("convene", "no"), ("reason", "Single-agency response by the school nurse"), ("version", try await world.version(id)),
            ])
            #expect(response.status == .seeOther, "\(response.summary)")
            let d = try await world.discussion(id)
            #expect(d.stage == .declined)
            #expect(d.decisionReason == "Single-agency response by the school nurse")
            #expect(try await world.audit("decide").last?.reason == "Single-agency response by the school nurse")
        }
    }

    @Test("REQ-001-02: a discussion decided once cannot be decided again (409), and the decision page says so")
    func decidedTwice() async throws {
        try await TestWorld.run { world in
            let id = try await world.requestDiscussion()
            let manager = try await world.browser(.teamManager)
            try await manager.get("/discussions/\(id.slug)/decision")
            let first = try await manager.post("/discussions/\(id.slug)/decision", [("convene", "yes"), ("version", try await world.version(id))])
            #expect(first.status == .seeOther)
            let before = try await world.storeState()
            let again = try await manager.post("/discussions/\(id.slug)/decision", [
                ("convene", "no"), ("reason", "Changed my mind"), ("version", try await world.version(id)),
            ])
            #expect(again.status == .conflict, "\(again.summary)")
            #expect(try await world.storeState() == before)
            #expect(try await world.discussion(id).stage == .awaitingBooking)
            #expect(try await manager.get("/discussions/\(id.slug)/decision").status == .conflict)
        }
    }

    // MARK: Booking

    func awaitingBooking(_ world: TestWorld) async throws -> (UUID, Browser) {
        let id = try await world.makeDiscussion(at: .awaitingBooking)
        return (id, try await world.browser(.minuteTaker))
    }

    func booking(_ world: TestWorld, _ id: UUID, slot: String?, chair: Who = .teamManager) async throws -> [(String, String)] {
        var fields: [(String, String)] = [("format", "virtual"), ("details", "Video link"), ("chair", world.people[chair]!.slug),
                                          ("version", try await world.version(id))]
        if let slot { fields.append(("slot", slot)) }
        return fields
    }

    @Test("SLOT-001-01: the booking page offers only Bradford's one-hour slots on working days")
    func offersPackSlots() async throws {
        try await TestWorld.run { world in
            let (id, minutes) = try await awaitingBooking(world)
            let slots = try await world.offeredSlots(id, as: minutes)
            #expect(!slots.isEmpty)
            let starts: Set<Int> = [9, 10, 11, 13, 14, 15, 16]
            for slot in slots {
                let local = EuropeLondon.local(try #require(RFC3339.parse(slot)))
                #expect(starts.contains(local.secondsIntoDay / 3600) && local.secondsIntoDay % 3600 == 0, "\(slot) is not a Bradford slot")
                #expect(world.app.convene.packs.pack("bradford")!.calendar.isWorkingDay(local.date), "\(slot) is not on a working day")
            }
        }
    }

    @Test("SLOT-001-01: booking without choosing a slot is refused with 400, naming the slot")
    func bookingWithoutSlot() async throws {
        try await TestWorld.run { world in
            let (id, minutes) = try await awaitingBooking(world)
            try await minutes.get("/discussions/\(id.slug)/booking")
            let before = try await world.storeState()
            expectFieldError(try await minutes.post("/discussions/\(id.slug)/booking", try await booking(world, id, slot: nil)), "slot")
            #expect(try await world.storeState() == before)
        }
    }

    @Test("SLOT-001-01: a time that is not a slot of the pack's calendar (09:30) is refused, naming the slot")
    func bookingOffCalendar() async throws {
        try await TestWorld.run { world in
            let (id, minutes) = try await awaitingBooking(world)
            try await minutes.get("/discussions/\(id.slug)/booking")
            let before = try await world.storeState()
            // Tuesday 24 November 2026, 09:30 in London (GMT): between Bradford's 09:00 and 10:00 slots.
            let response = try await minutes.post("/discussions/\(id.slug)/booking", try await booking(world, id, slot: "2026-11-24T09:30:00Z"))
            expectFieldError(response, "slot", containing: "slots the calendar offers")
            #expect(try await world.storeState() == before)
        }
    }

    @Test("SLOT-001-01: a slot of the calendar on a Saturday is refused")
    func bookingOnWeekend() async throws {
        try await TestWorld.run { world in
            let (id, minutes) = try await awaitingBooking(world)
            try await minutes.get("/discussions/\(id.slug)/booking")
            expectFieldError(try await minutes.post("/discussions/\(id.slug)/booking",
                                                    try await booking(world, id, slot: "2026-11-28T10:00:00Z")), "slot")
        }
    }

    @Test("SLOT-001-01: a slot in the past is refused, naming the slot")
    func bookingInPast() async throws {
        try await TestWorld.run { world in
            let (id, minutes) = try await awaitingBooking(world)
            try await minutes.get("/discussions/\(id.slug)/booking")
            let before = try await world.storeState()
            // Friday 20 November 2026 10:00: a Bradford slot, three days ago.
            let response = try await minutes.post("/discussions/\(id.slug)/booking", try await booking(world, id, slot: "2026-11-20T10:00:00Z"))
            expectFieldError(response, "slot", containing: "future")
            #expect(try await world.storeState() == before)
        }
    }

    @Test("ATT-ALL-02: a chair who is not a social care manager is refused, naming the chair")
    func chairNotManager() async throws {
        try await TestWorld.run { world in
            let (id, minutes) = try await awaitingBooking(world)
            let slot = try await world.firstOfferedSlot(id, as: minutes)
            let before = try await world.storeState()
            for chair in [Who.socialWorker, .police, .foreignManager] {
                let response = try await minutes.post("/discussions/\(id.slug)/booking", try await booking(world, id, slot: slot, chair: chair))
                expectFieldError(response, "chair")
            }
            #expect(try await world.storeState() == before)
        }
    }

    @Test("SLOT-ALL-01: two bookings racing for the same slot: one succeeds, the other is told clearly and nothing of it is written")
    func racingBookings() async throws {
        try await TestWorld.run { world in
            let first = try await world.makeDiscussion(at: .awaitingBooking, childName: "Amira Khan")
            let second = try await world.makeDiscussion(at: .awaitingBooking, childName: "Ben Okoro")
            let a = try await world.browser(.minuteTaker)
            let b = try await world.browser(.serviceManager)
            let slot = try await world.firstOfferedSlot(first, as: a)
            #expect(try await world.offeredSlots(second, as: b).contains(slot), "both pages offer the same free slot")
            let fieldsA = try await booking(world, first, slot: slot)
            let fieldsB = try await booking(world, second, slot: slot)
            let versionBefore = try await world.discussion(second).lockVersion
            async let ra = a.post("/discussions/\(first.slug)/booking", fieldsA)
            async let rb = b.post("/discussions/\(second.slug)/booking", fieldsB)
            let resA = try await ra
            let resB = try await rb
            let responses = [(first, resA), (second, resB)]
            let winners = responses.filter { $0.1.status == .seeOther }
            let losers = responses.filter { $0.1.status != .seeOther }
            #expect(winners.count == 1 && losers.count == 1, "\(responses.map { $0.1.summary })")
            guard let winner = winners.first, let loser = losers.first else { return }
            expectFieldError(loser.1, "slot", containing: "booked by someone else")
            let cells = try await CalendarCell.query(on: world.app.db).all()
            #expect(Set(cells.map(\.discussionID)) == [winner.0], "slot cells: \(cells.map(\.discussionID))")
            #expect(cells.count == 4, "a one-hour Bradford slot is four 15-minute cells")
            let lost = try await world.discussion(loser.0)
            #expect(lost.stage == .awaitingBooking)
            #expect(lost.slotStart == nil)
            #expect(lost.lockVersion == versionBefore, "the losing booking changed the discussion")
            #expect(try await world.invitations(loser.0).isEmpty, "invitations were prepared for a booking that failed")
            #expect(try await world.audit("book").count == 1)
        }
    }

    @Test("SLOT-ALL-01: a slot booked since the page was loaded is refused on submit with a clear conflict message")
    func staleSlot() async throws {
        try await TestWorld.run { world in
            let first = try await world.makeDiscussion(at: .awaitingBooking)
            let second = try await world.makeDiscussion(at: .awaitingBooking, childName: "Ben Okoro")
            let minutes = try await world.browser(.minuteTaker)
            let slot = try await world.firstOfferedSlot(second, as: minutes)
            let stale = try await booking(world, second, slot: slot)
            try world.expectRedirect(try await minutes.post("/discussions/\(first.slug)/booking", try await booking(world, first, slot: slot)))
            let before = try await world.storeState()
            let response = try await minutes.post("/discussions/\(second.slug)/booking", stale)
            expectFieldError(response, "slot", containing: "booked by someone else")
            #expect(try await world.storeState() == before)
        }
    }

    // MARK: Rearranging and cancelling (REQ-001-02)

    @Test("REQ-001-02: rearranging a booked meeting needs the service manager who agreed and a reason, each named when missing")
    func rebookNeedsAgreement() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let minutes = try await world.browser(.minuteTaker)
            let slots = try await world.offeredSlots(id, as: minutes)
            let old = try await world.discussion(id).slotStart
            let newSlot = try #require(slots.first { RFC3339.parse($0) != old })
            let before = try await world.storeState()
            let response = try await minutes.post("/discussions/\(id.slug)/booking", try await booking(world, id, slot: newSlot))
            expectFieldError(response, "agreedBy")
            expectFieldError(response, "reason")
            // A team manager is not a service manager.
            let notSM = try await minutes.post("/discussions/\(id.slug)/booking", try await booking(world, id, slot: newSlot)
                + [("agreedBy", world.people[.teamManager]!.slug), ("reason", "Police unavailable")])
            expectFieldError(notSM, "agreedBy")
            #expect(try await world.storeState() == before)

            let done = try await minutes.post("/discussions/\(id.slug)/booking", try await booking(world, id, slot: newSlot)
                + [("agreedBy", world.people[.serviceManager]!.slug), ("reason", "Police unavailable at the first time")])
            #expect(done.status == .seeOther, "\(done.summary)")
            #expect(try await world.discussion(id).slotStart == RFC3339.parse(newSlot))
            let entry = try #require(try await world.audit("rebook").last)
            #expect(entry.reason.contains(try await world.person(.serviceManager).name), "the agreement is not recorded: \(entry.reason)")
            #expect(entry.reason.contains("Police unavailable at the first time"))
            let cells = try await CalendarCell.query(on: world.app.db).all()
            #expect(cells.count == 4 && cells.allSatisfy { $0.discussionID == id }, "the old slot was not released")
        }
    }

    @Test("REQ-001-02: cancelling needs the service manager who agreed and a reason; once cancelled, the slot is free again")
    func cancelNeedsAgreement() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let minutes = try await world.browser(.minuteTaker)
            try await minutes.get("/discussions/\(id.slug)/booking")
            let before = try await world.storeState()
            let response = try await minutes.post("/discussions/\(id.slug)/cancel", [("version", try await world.version(id))])
            expectFieldError(response, "cancelAgreedBy")
            expectFieldError(response, "cancelReason")
            let onlyReason = try await minutes.post("/discussions/\(id.slug)/cancel", [
                ("cancelReason", "Family moved out of the area"), ("version", try await world.version(id)),
            ])
            expectFieldError(onlyReason, "cancelAgreedBy")
            #expect(try await world.storeState() == before)

            let done = try await minutes.post("/discussions/\(id.slug)/cancel", [
                ("cancelAgreedBy", world.people[.serviceManager]!.slug), ("cancelReason", "Family moved out of the area"),
                ("version", try await world.version(id)),
            ])
            #expect(done.status == .seeOther, "\(done.summary)")
            let d = try await world.discussion(id)
            #expect(d.stage == .cancelled)
            #expect(d.cancellation.contains("Family moved out of the area"))
            #expect(try await world.count(CalendarCell.self) == 0)
        }
    }
}
