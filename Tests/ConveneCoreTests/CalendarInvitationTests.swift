import ConveneCore
import ConveneTestSupport
import Foundation
import Testing

/// The iCalendar text of a meeting invitation (RFC 5545): times on London's clock either side
/// of the 2026 clock changes, escaping, and folding at 75 octets. `ConveneDeliveryTests`
/// parses the same output with Python's icalendar.
@Suite("Calendar invitations (iCalendar)")
struct CalendarInvitationTests {
    let chair = CalendarInvitation.Participant(name: "Adam Fletcher", email: "adam.fletcher@northtown.gov.uk")
    let police = CalendarInvitation.Participant(name: "PC Jo Lane", email: "jo.lane@police.example.uk")

    func invitation(_ method: CalendarInvitation.Method = .request, start: String, end: String,
                    summary: String = "Strategy discussion SD-2026-0042", location: String? = nil,
                    sequence: Int = 0) throws -> CalendarInvitation {
        try CalendarInvitation(method: method, uid: "d15c@convene", sequence: sequence, stamp: at("2026-03-20T12:00:00Z"),
                               start: at(start), end: at(end), summary: summary, location: location,
                               organizer: chair, attendees: [police])
    }

    func lines(_ ics: String) -> [String] {
        ics.components(separatedBy: "\r\n")
    }

    @Test("Monday 30 March 2026 at 10am BST is written 20260330T100000 with TZID=Europe/London")
    func afterSpringChange() throws {
        let text = try invitation(start: "2026-03-30T09:00:00Z", end: "2026-03-30T10:00:00Z").render()
        #expect(lines(text).contains("DTSTART;TZID=Europe/London:20260330T100000"))
        #expect(lines(text).contains("DTEND;TZID=Europe/London:20260330T110000"))
        #expect(lines(text).contains("DTSTAMP:20260320T120000Z"))
    }

    @Test("Saturday 28 March 2026 at 10am is still GMT: 10:00Z is 100000")
    func beforeSpringChange() throws {
        let text = try invitation(start: "2026-03-28T10:00:00Z", end: "2026-03-28T11:00:00Z").render()
        #expect(lines(text).contains("DTSTART;TZID=Europe/London:20260328T100000"))
    }

    @Test("A meeting across the spring change, 00:30–02:30 on the wall, lasts one hour")
    func acrossSpringChange() throws {
        let text = try invitation(start: "2026-03-29T00:30:00Z", end: "2026-03-29T01:30:00Z").render()
        #expect(lines(text).contains("DTSTART;TZID=Europe/London:20260329T003000"))
        #expect(lines(text).contains("DTEND;TZID=Europe/London:20260329T023000"))
    }

    @Test("25 October 2026: 01:30 BST keeps its TZID; 01:30 GMT, the repeated hour, is written in UTC")
    func repeatedHourInOctober() throws {
        let first = try invitation(start: "2026-10-25T00:30:00Z", end: "2026-10-25T00:45:00Z").render()
        #expect(lines(first).contains("DTSTART;TZID=Europe/London:20261025T013000"))
        let second = try invitation(start: "2026-10-25T01:30:00Z", end: "2026-10-25T02:00:00Z").render()
        #expect(lines(second).contains("DTSTART:20261025T013000Z"))
        #expect(lines(second).contains("DTEND;TZID=Europe/London:20261025T020000"))
    }

    @Test("Monday 26 October 2026 at 10am is GMT again: 10:00Z is 100000")
    func afterAutumnChange() throws {
        let text = try invitation(start: "2026-10-26T10:00:00Z", end: "2026-10-26T11:00:00Z").render()
        #expect(lines(text).contains("DTSTART;TZID=Europe/London:20261026T100000"))
    }

    @Test("The calendar has its method, one event, the London VTIMEZONE, organiser and invitees")
    func structure() throws {
        let all = lines(try invitation(start: "2026-03-30T09:00:00Z", end: "2026-03-30T10:00:00Z", sequence: 3).render())
        #expect(all.first == "BEGIN:VCALENDAR")
        #expect(all.suffix(2) == ["END:VCALENDAR", ""])
        for line in ["VERSION:2.0", "METHOD:REQUEST", "TZID:Europe/London", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
                     "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "UID:d15c@convene", "SEQUENCE:3", "STATUS:CONFIRMED",
                     "ORGANIZER;CN=Adam Fletcher:mailto:adam.fletcher@northtown.gov.uk"] {
            #expect(all.contains(line), "missing \(line)")
        }
        #expect(all.filter { $0 == "BEGIN:VEVENT" }.count == 1)
        #expect(all.contains { $0.hasPrefix("PRODID:") })
        let unfolded = all.joined(separator: "\r\n").replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("\r\nATTENDEE;CN=PC Jo Lane;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;"
            + "RSVP=TRUE:mailto:jo.lane@police.example.uk\r\n"))
    }

    @Test("A cancellation says METHOD:CANCEL and STATUS:CANCELLED")
    func cancellation() throws {
        let all = lines(try invitation(.cancel, start: "2026-03-30T09:00:00Z", end: "2026-03-30T10:00:00Z", sequence: 2).render())
        #expect(all.contains("METHOD:CANCEL"))
        #expect(all.contains("STATUS:CANCELLED"))
        #expect(all.contains("SEQUENCE:2"))
    }

    @Test("Text values escape backslash, semicolon, comma and line breaks")
    func escaping() {
        #expect(ICalendarText.escapeText("Room 2; Civic Centre, Northtown\r\nDial-in: 0\\1") ==
                "Room 2\\; Civic Centre\\, Northtown\\nDial-in: 0\\\\1")
        #expect(ICalendarText.escapeText("a\rb\nc\u{7}d") == "a\\nb\\ncd")
    }

    @Test("A name with a comma or colon is quoted in CN; a double quote cannot break out")
    func parameterValues() {
        #expect(ICalendarText.parameterValue("Nwosu, Amara") == "\"Nwosu, Amara\"")
        #expect(ICalendarText.parameterValue("Jo \"JJ\" Lane") == "Jo 'JJ' Lane")
        #expect(ICalendarText.parameterValue("Jo: Lane\r\nX") == "\"Jo: LaneX\"")
    }

    @Test("Long lines fold at 75 octets with CRLF and a space, never inside a UTF-8 character")
    func folding() throws {
        let location = String(repeating: "Siân’s café, ", count: 12)
        let text = try invitation(start: "2026-03-30T09:00:00Z", end: "2026-03-30T10:00:00Z", location: location).render()
        for line in lines(text) {
            #expect(line.utf8.count <= 75, "\(line.utf8.count) octets: \(line)")
        }
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("LOCATION:" + ICalendarText.escapeText(location)))
        // Each physical line decodes on its own: no character was cut in two.
        for line in Array(text.utf8).split(separator: UInt8(ascii: "\n")) {
            #expect(String(bytes: line, encoding: .utf8) != nil)
        }
    }

    @Test("Folding fills lines to exactly 75 octets, and 74 after the leading space")
    func foldingWidths() {
        let folded = ICalendarText.fold("DESCRIPTION:" + String(repeating: "x", count: 200))
        let parts = folded.components(separatedBy: "\r\n")
        #expect(parts.map(\.utf8.count) == [75, 75, 64])
        #expect(parts.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(ICalendarText.fold("SUMMARY:short") == "SUMMARY:short")
    }

    @Test("Folding a line of four-octet characters keeps every one whole")
    func foldingEmoji() {
        let folded = ICalendarText.fold("SUMMARY:" + String(repeating: "📅", count: 40))
        let parts = folded.components(separatedBy: "\r\n")
        // 8 octets of name, then 16 four-octet characters (72): a 17th would pass 75.
        #expect(parts.map(\.utf8.count) == [72, 73, 25])
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == "SUMMARY:" + String(repeating: "📅", count: 40))
    }

    @Test("Refuses what a calendar client would reject: no UID, an end before the start, no organiser address")
    func validation() {
        #expect(throws: InputError.self) {
            try CalendarInvitation(method: .request, uid: " ", sequence: 0, stamp: at("2026-03-20T12:00:00Z"),
                                   start: at("2026-03-30T09:00:00Z"), end: at("2026-03-30T10:00:00Z"), summary: "x",
                                   organizer: chair, attendees: [])
        }
        #expect(throws: InputError.self) {
            try invitation(start: "2026-03-30T10:00:00Z", end: "2026-03-30T09:00:00Z")
        }
        #expect(throws: InputError.self) {
            try CalendarInvitation(method: .request, uid: "x@convene", sequence: 0, stamp: at("2026-03-20T12:00:00Z"),
                                   start: at("2026-03-30T09:00:00Z"), end: at("2026-03-30T10:00:00Z"), summary: "x",
                                   organizer: .init(name: "Chair", email: "nobody"), attendees: [])
        }
    }
}
