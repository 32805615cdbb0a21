import ConveneCore
import ConveneStore
import Foundation
import Testing
import VaporTesting
@testable import ConveneWeb

/// Issue 14, finding things: the search page and the week's meetings, with their access rules.
@Suite("Find a discussion and the meetings calendar (pages)")
struct FindPageTests {
    @Test("Search finds by name and reference what the person may see, names a bad query on its field, and is refused to administrators")
    func searchPage() async throws {
        try await TestWorld.run(start: "2026-11-23T09:00:00Z") { world in
            let own = try await world.makeDiscussion(at: .booked)
            let other = try await world.makeDiscussion(.otherTeam, childName: "Cara Doyle")
            let ownRef = try await world.discussion(own).reference, otherRef = try await world.discussion(other).reference

            let manager = try await world.browser(.teamManager)
            let blank = try await manager.get("/search")
            #expect(blank.status == .ok && blank.text.contains("Find a discussion") && !blank.text.contains("Results"))
            #expect(blank.text.contains("href=\"/search\""), "the navigation links the page")
            let found = try await manager.get("/search?q=amira+khan")
            #expect(found.status == .ok)
            #expect(found.text.contains("1 discussion found") && found.text.contains(ownRef) && found.text.contains("Amira Khan"))
            #expect(found.text.contains("href=\"/discussions/\(own.slug)\""))
            // Another team's discussion is not found, by name or by reference.
            #expect(try await manager.get("/search?q=cara").text.contains("No discussions you may see match"))
            #expect(!(try await manager.get("/search?q=" + otherRef)).text.contains(otherRef + "</a>"))
            // The service manager sees the whole authority.
            let service = try await world.browser(.serviceManager)
            #expect(try await service.get("/search?q=" + otherRef).text.contains("Cara Doyle"))
            // Too short: 400, the error summary links to the field, the text is kept.
            let short = try await manager.get("/search?q=x")
            #expect(short.status == .badRequest)
            #expect(short.text.contains("href=\"#q\"") && short.text.contains("Enter at least 2 characters") && short.text.contains("value=\"x\""))
            // Hostile text is shown back escaped and searched literally.
            let hostile = try await manager.get("/search?q=%3Cscript%3E%25")
            #expect(hostile.status == .ok && !hostile.text.contains("<script>%") && hostile.text.contains("No discussions you may see match"))
            #expect(try await manager.get("/search?q=" + String(repeating: "a", count: 5_000)).status == .badRequest)
            #expect(try await manager.get("/search?q=khan&page=99999999999999999999999").status == .ok)
            let admin = try await world.browser(.administrator)
            #expect(try await admin.get("/search?q=khan").status == .forbidden)
            #expect(!(try await admin.get("/admin")).text.contains("href=\"/search\""))
        }
    }

    @Test("The week's meetings for the minute taker, by day with time, chair and children; refused to a social worker; a bad week is named")
    func meetingsCalendar() async throws {
        try await TestWorld.run(start: "2026-11-23T09:00:00Z") { world in
            let id = try await world.makeDiscussion(at: .booked)
            let d = try await world.discussion(id)
            let start = try #require(d.slotStart)
            let day = EuropeLondon.localDate(of: start)
            let minuteTaker = try await world.browser(.minuteTaker)
            let page = try await minuteTaker.get("/calendar?week=\(day)")
            #expect(page.status == .ok)
            #expect(page.text.contains("Meetings, week of") && page.text.contains(d.reference) && page.text.contains("Amira Khan"))
            #expect(page.text.contains(UKDisplay.date(day, weekday: true)) && page.text.contains(UKDisplay.time(start)))
            #expect(page.text.contains("1 meeting booked this week"))
            let next = try await minuteTaker.get("/calendar?week=\(day.adding(days: 7))")
            #expect(next.status == .ok && !next.text.contains(d.reference) && next.text.contains("No meetings you may see"))
            #expect(try await minuteTaker.get("/calendar?week=not-a-day").status == .badRequest)
            #expect(try await (try await world.browser(.socialWorker)).get("/calendar").status == .forbidden)
        }
    }
}
