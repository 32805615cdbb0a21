import ConveneCore
import ConveneStore
import ConveneTestSupport
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

/// Issue 16: capacity belongs to a calendar (Bradford's locality mailboxes, Hertfordshire's
/// teleconference line) or, where the procedure sets no calendar, to the chair.
@Suite("Procedures: booking capacity per calendar")
struct CalendarCapacityTests {
    static func book(_ world: TestWorld, _ id: UUID, slot: String, chair: Who = .teamManager, as who: Who = .minuteTaker,
                     extra: [(String, String)] = []) async throws -> TestingHTTPResponse {
        let browser = try await world.browser(who)
        try await browser.get("/discussions/\(id.slug)/booking")
        return try await browser.post("/discussions/\(id.slug)/booking", [
            ("slot", slot), ("format", "virtual"), ("details", "Video link"), ("chair", world.people[chair]!.slug),
            ("version", try await world.version(id)), ("duration", "30"), ("dialIn", "0800 123 4567"), ("accessCode", "4821"),
        ] + extra)
    }

    @Test("SLOT-001-01 and SLOT-ALL-01: Bradford's North and South mailboxes each book Monday 09:00; a second North booking then is refused")
    func bradfordLocalityCalendars() async throws {
        try await TestWorld.run(pack: "bradford", start: "2026-11-23T08:00:00Z") { world in
            for (name, locality) in [("North mailbox", "North"), ("South mailbox", "South")] {
                try await BookingCalendar(organisationID: world.organisationID, name: name, locality: locality).create(on: world.app.db)
            }
            let north = try await world.makeDiscussion(at: .awaitingBooking)
            let south = try await world.makeDiscussion(.otherTeam, at: .awaitingBooking, childName: "Ben Okoro")
            let minutes = try await world.browser(.minuteTaker)
            #expect(try await world.firstOfferedSlot(south, as: minutes) == "2026-11-23T09:00:00Z")
            try world.step(try await Self.book(world, north, slot: "2026-11-23T09:00:00Z"))
            #expect(try await world.firstOfferedSlot(south, as: minutes) == "2026-11-23T09:00:00Z")
            try world.step(try await Self.book(world, south, slot: "2026-11-23T09:00:00Z", chair: .otherTeamManager))
            let calendars = try await BookingCalendar.query(on: world.app.db).all()
            #expect(try await world.discussion(north).calendarID == calendars.first { $0.locality == "North" }?.id)
            #expect(try await world.discussion(south).calendarID == calendars.first { $0.locality == "South" }?.id)

            let third = try await world.makeDiscussion(at: .awaitingBooking, childName: "Cara Doyle")
            #expect(try await world.firstOfferedSlot(third, as: minutes) == "2026-11-23T10:00:00Z")
            expectFieldError(try await Self.book(world, third, slot: "2026-11-23T09:00:00Z"), "slot", containing: "booked by someone else")
            // Booked in the South calendar instead, the North team's third discussion finds 09:00 taken there too.
            let southID = try #require(calendars.first { $0.locality == "South" }?.id)
            expectFieldError(try await Self.book(world, third, slot: "2026-11-23T09:00:00Z", extra: [("calendar", southID.slug)]),
                             "slot", containing: "booked by someone else")
            #expect(try await CalendarCell.query(on: world.app.db).count() == 8)
        }
    }

    @Test("SLOT-002-01: Hertfordshire's one teleconference line holds one discussion per session, under concurrent requests")
    func hertfordshireOneLine() async throws {
        try await TestWorld.run(pack: "hertfordshire", start: "2026-11-23T09:00:00Z") { world in
            let first = try await world.makeDiscussion(at: .awaitingBooking)
            let second = try await world.makeDiscussion(.otherTeam, at: .awaitingBooking, childName: "Ben Okoro")
            let slot = "2026-11-24T09:00:00Z"
            async let a = Self.book(world, first, slot: slot)
            async let b = Self.book(world, second, slot: slot, chair: .otherTeamManager)
            let responses = [try await a, try await b]
            #expect(responses.filter { $0.status == .seeOther }.count == 1, "\(responses.map(\.summary))")
            #expect(Set(try await CalendarCell.query(on: world.app.db).all().map(\.discussionID)).count == 1)
        }
    }

    @Test("SLOT-ALL-01: Front Door books against the chair: two chairs meet at the same time; one chair is never booked twice")
    func frontDoorPerChair() async throws {
        try await TestWorld.run(pack: "front-door", start: "2026-11-23T08:00:00Z") { world in
            let a = try await world.makeDiscussion(at: .awaitingBooking)
            let b = try await world.makeDiscussion(.otherTeam, at: .awaitingBooking, childName: "Ben Okoro")
            let c = try await world.makeDiscussion(at: .awaitingBooking, childName: "Cara Doyle")
            let slot = "2026-11-23T10:00:00Z"
            try world.step(try await Self.book(world, a, slot: slot))
            try world.step(try await Self.book(world, b, slot: slot, chair: .otherTeamManager))
            expectFieldError(try await Self.book(world, c, slot: slot), "slot", containing: "booked by someone else")
            let api = try await world.api(.minuteTaker)
            let offers = try await api.get("/discussions/\(c.slug)/slots")
            #expect(offers.string("bookedAgainst") == "chair")
        }
    }
}
