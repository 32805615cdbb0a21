import ConveneCore
import ConveneTestSupport
import Foundation
import Testing

/// Times are stored in UTC and shown in Europe/London; the hand-written rule must agree with
/// the tz database on every hour of 2015–2035.
@Suite("Europe/London time")
struct EuropeLondonTests {
    @Test("BST 2026 starts 29 March 01:00 UTC and ends 25 October 01:00 UTC")
    func summerTime2026() {
        #expect(EuropeLondon.offset(at: at("2026-03-29T00:59:59Z")) == 0)
        #expect(EuropeLondon.offset(at: at("2026-03-29T01:00:00Z")) == 3600)
        #expect(EuropeLondon.offset(at: at("2026-10-25T00:59:59Z")) == 3600)
        #expect(EuropeLondon.offset(at: at("2026-10-25T01:00:00Z")) == 0)
    }

    @Test("Agrees with the tz database hour by hour, 2015–2035")
    func agreesWithTzDatabase() throws {
        let zone = try #require(TimeZone(identifier: "Europe/London"))
        var t = at("2015-01-01T00:00:00Z")
        let end = at("2036-01-01T00:00:00Z")
        var disagreements = 0
        while t < end {
            if zone.secondsFromGMT(for: t) != EuropeLondon.offset(at: t) { disagreements += 1 }
            t = t.addingTimeInterval(3600)
        }
        #expect(disagreements == 0)
    }

    @Test("A London date starts at local midnight: 23:30 UTC in summer is the next day")
    func localDate() {
        #expect(EuropeLondon.localDate(of: at("2026-06-10T22:59:59Z")) == day("2026-06-10"))
        #expect(EuropeLondon.localDate(of: at("2026-06-10T23:00:00Z")) == day("2026-06-11"))
        #expect(EuropeLondon.localDate(of: at("2026-12-10T23:30:00Z")) == day("2026-12-10"))
    }

    @Test("End of day is 23:59:59 local: 22:59:59Z in BST, 23:59:59Z in GMT")
    func endOfDay() {
        #expect(EuropeLondon.endOfDay(day("2026-06-10")) == at("2026-06-10T22:59:59Z"))
        #expect(EuropeLondon.endOfDay(day("2026-12-10")) == at("2026-12-10T23:59:59Z"))
        // The day the clocks go back is 25 hours long; it still ends at 23:59:59 GMT.
        #expect(EuropeLondon.endOfDay(day("2026-10-25")) == at("2026-10-25T23:59:59Z"))
        #expect(EuropeLondon.endOfDay(day("2026-03-29")) == at("2026-03-29T22:59:59Z"))
    }

    @Test("A wall time skipped in spring resolves an hour later; a repeated one to its BST reading")
    func gapsAndOverlaps() {
        let spring = EuropeLondon.instant(on: day("2026-03-29"), at: LocalTime(hour: 1, minute: 30)!)
        #expect(spring == at("2026-03-29T01:30:00Z"))
        let autumn = EuropeLondon.instant(on: day("2026-10-25"), at: LocalTime(hour: 1, minute: 30)!)
        #expect(autumn == at("2026-10-25T00:30:00Z"))
        let nine = EuropeLondon.instant(on: day("2026-03-30"), at: LocalTime(hour: 9, minute: 0)!)
        #expect(nine == at("2026-03-30T08:00:00Z"))
    }
}

@Suite("Timestamps")
struct TimestampTests {
    @Test("Parses Z, offsets and fractions; formats UTC")
    func parsing() {
        #expect(RFC3339.parse("2026-12-24T09:00:00Z") == at("2026-12-24T09:00:00Z"))
        #expect(RFC3339.parse("2026-06-24T10:00:00+01:00") == at("2026-06-24T09:00:00Z"))
        #expect(RFC3339.parse("2026-06-24T10:00+01:00") == at("2026-06-24T09:00:00Z"))
        #expect(RFC3339.format(RFC3339.parse("2026-06-24T10:00:00.250Z")!) == "2026-06-24T10:00:00.250Z")
        #expect(RFC3339.formatLondon(at("2026-06-24T09:00:00Z")) == "2026-06-24T10:00:00+01:00")
    }

    @Test("Whole-second UTC text is what Foundation's ISO 8601 formatter writes, and dates are written with four-digit years")
    func wholeSeconds() {
        let formatter = ISO8601DateFormatter()
        for seconds in [0.0, 0.999, -1.5, 86_399.4, 1_774_746_000.75, 1_798_761_599.999, -2_208_988_800, 253_402_300_799] {
            let instant = Date(timeIntervalSince1970: seconds)
            #expect(RFC3339.formatWholeSeconds(instant) == formatter.string(from: instant), "\(seconds)")
        }
        #expect(LocalDate(year: 2026, month: 3, day: 9)!.description == "2026-03-09")
        #expect(LocalDate(year: 812, month: 12, day: 31)!.description == "0812-12-31")
        #expect(LocalDate(year: 2026, month: 11, day: 30)!.description == "2026-11-30")
    }

    @Test("Refuses times without a zone, impossible dates and junk", arguments: [
        "2026-12-24T09:00:00", "2026-02-30T09:00:00Z", "2026-12-24 09:00:00Z", "24/12/2026", "", "2026-12-24T25:00:00Z",
        "2026-12-24T09:00:00Zjunk",
    ])
    func refusals(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test("A missing zone is reported as such")
    func missingZone() {
        #expect(throws: RFC3339.ParseError.missingZone) { try RFC3339.parseOrThrow("2026-12-24T09:00:00") }
    }

    @Test("Summer time is found without a calendar conversion, exactly at every year's edges, 1850–2300")
    func summerTimeEdges() {
        for year in stride(from: 1850, through: 2300, by: 1) {
            let bst = EuropeLondon.summerTime(in: year)
            let newYear = Int(LocalDate(year, 1, 1).dayNumber) * 86_400
            for (t, expected) in [(bst.start - 1, 0), (bst.start, 3600), (bst.end - 1, 3600), (bst.end, 0),
                                  (newYear - 1, 0), (newYear, 0)] {
                #expect(EuropeLondon.offset(at: Date(timeIntervalSince1970: TimeInterval(t))) == expected, "\(year) at \(t)")
            }
        }
    }
}
