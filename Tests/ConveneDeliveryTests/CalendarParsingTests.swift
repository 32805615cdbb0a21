import ConveneCore
import ConveneTestSupport
import Foundation
import Testing

/// The invitation's iCalendar text as Python's `icalendar` reads it, on dates either side of
/// the 2026 clock changes: the instants must match what Convene meant, by the tz database
/// and by the VTIMEZONE block Convene wrote.
@Suite("Calendar invitations read by icalendar", .enabled(if: Python.available, Python.missing))
struct CalendarParsingTests {
    @Test("Start and end resolve to the intended instants", arguments: [
        // (start, end, London wall-clock start): GMT the day before the spring change; across it;
        // BST after it; the repeated hour on 25 October (first and second 01:30); GMT after it.
        ("2026-03-28T10:00:00Z", "2026-03-28T11:00:00Z", "2026-03-28T10:00:00"),
        ("2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z", "2026-03-29T00:30:00"),
        ("2026-03-30T09:00:00Z", "2026-03-30T10:00:00Z", "2026-03-30T10:00:00"),
        ("2026-10-25T00:30:00Z", "2026-10-25T00:45:00Z", "2026-10-25T01:30:00"),
        ("2026-10-25T01:30:00Z", "2026-10-25T02:00:00Z", "2026-10-25T01:30:00"),
        ("2026-10-26T10:00:00Z", "2026-10-26T11:00:00Z", "2026-10-26T10:00:00"),
    ])
    func instants(start: String, end: String, local: String) throws {
        let ics = try Samples.invitation(start: start, end: end).render()
        let parsed = try CalendarSummary.parse(ics)
        #expect(parsed.dtstart.local == local)
        #expect(parsed.dtstart.utc == start.replacingOccurrences(of: "Z", with: "+00:00"))
        #expect(parsed.dtend.utc == end.replacingOccurrences(of: "Z", with: "+00:00"))
        #expect(parsed.dtstart.utc_by_vtimezone == parsed.dtstart.utc)
        #expect(parsed.dtend.utc_by_vtimezone == parsed.dtend.utc)
    }

    @Test("Escaped text, quoted names and folded lines come back exactly as written")
    func roundTrip() throws {
        let ics = try Samples.invitation().render()
        let parsed = try CalendarSummary.parse(ics)
        #expect(parsed.version == "2.0")
        #expect(parsed.prodid.contains("Convene"))
        #expect(parsed.summary == "Strategy discussion SD-2026-0042")
        #expect(parsed.location == "Teams (link in the invitation); Room 2, Civic Centre, Northtown")
        #expect(parsed.description == "Strategy discussion SD-2026-0042.\nOpen the discussion: https://convene.northtown.gov.uk/d/0042")
        #expect(parsed.attendees.map { $0["CN"] } == ["PC Siân O’Brien", "Dr Amara Nwosu, Named GP", "Helen Marsh"])
        #expect(parsed.organizer_cn == "Adam Fletcher (Chair)")
        #expect(parsed.dtstamp == "2026-03-27T16:05:00+00:00")
        #expect(parsed.max_line_octets <= 75)
        #expect(parsed.lines_valid_utf8 && parsed.crlf_only)
    }
}
