import ConveneCore
import ConveneTestSupport
import Foundation
import PropertyBased
import Testing

/// INT-ALL-02 and INT-ALL-03: working days, and "within N working days" deadlines.
@Suite("Working-day calendar")
struct WorkingDayCalendarTests {
    let calendar = WorkingDayCalendar.englandAndWales

    @Test("The event's own day is not counted: 1 working day after Monday is Tuesday")
    func ownDayNotCounted() {
        #expect(calendar.adding(workingDays: 1, to: day("2026-11-23")) == day("2026-11-24"))
        #expect(calendar.adding(workingDays: 0, to: day("2026-11-23")) == day("2026-11-23"))
    }

    @Test("Friday plus one working day is Monday; over a bank holiday Monday it is Tuesday")
    func weekends() {
        #expect(calendar.adding(workingDays: 1, to: day("2026-11-20")) == day("2026-11-23"))
        #expect(calendar.adding(workingDays: 1, to: day("2026-08-28")) == day("2026-09-01"))
        #expect(calendar.adding(workingDays: 1, to: day("2026-05-22")) == day("2026-05-26"))
        #expect(calendar.adding(workingDays: 1, to: day("2026-05-01")) == day("2026-05-05"))
    }

    @Test("Christmas and New Year 2026–27: Christmas Eve plus 1 is Tuesday 29 December; plus 5 is Tuesday 5 January")
    func christmas() {
        #expect(calendar.adding(workingDays: 1, to: day("2026-12-24")) == day("2026-12-29"))
        #expect(calendar.adding(workingDays: 5, to: day("2026-12-24")) == day("2027-01-05"))
    }

    @Test("Easter 2026: Maundy Thursday plus 1 is the Tuesday after Easter Monday")
    func easter() {
        #expect(calendar.adding(workingDays: 1, to: day("2026-04-02")) == day("2026-04-07"))
    }

    @Test("Regions differ: 2 January is a working day in England, not in Scotland")
    func regions() {
        #expect(calendar.isWorkingDay(day("2026-01-02")))
        #expect(!WorkingDayCalendar(region: .scotland).isWorkingDay(day("2026-01-02")))
        #expect(!WorkingDayCalendar(region: .northernIreland).isWorkingDay(day("2026-03-17")))
    }

    @Test("End of N working days is 23:59:59 London time, in BST and GMT")
    func endOfWorkingDays() {
        #expect(calendar.endOfWorkingDays(1, after: at("2026-06-10T23:30:00Z")) == at("2026-06-12T22:59:59Z"))
        #expect(calendar.endOfWorkingDays(1, after: at("2026-10-23T14:00:00Z")) == at("2026-10-26T23:59:59Z"))
        #expect(calendar.endOfWorkingDays(1, after: at("2026-03-27T14:00:00Z")) == at("2026-03-30T22:59:59Z"))
    }

    @Test("Working days between two dates")
    func counting() {
        #expect(calendar.workingDays(after: day("2026-12-24"), through: day("2027-01-05")) == 5)
        #expect(calendar.workingDays(after: day("2026-12-24"), through: day("2026-12-24")) == 0)
    }

    // MARK: - Properties

    static let days = Gen.int(in: LocalDate(2015, 1, 1).dayNumber...LocalDate(2035, 12, 1).dayNumber)
    static let counts = Gen.int(in: 0...60)

    @Test("Property: adding N ≥ 1 working days never lands on a weekend or bank holiday")
    func neverLandsOnHoliday() async {
        await propertyCheck(count: 500, input: Self.days, Self.counts) { start, n in
            let result = calendar.adding(workingDays: max(n, 1), to: LocalDate(dayNumber: start))
            #expect(calendar.isWorkingDay(result))
        }
    }

    @Test("Property: adding is monotonic in the start date and strictly increasing in N")
    func monotonic() async {
        await propertyCheck(count: 500, input: Self.days, Gen.int(in: 0...10), Self.counts) { start, gap, n in
            let a = LocalDate(dayNumber: start)
            let b = a.adding(days: gap)
            #expect(calendar.adding(workingDays: n, to: a) <= calendar.adding(workingDays: n, to: b))
            #expect(calendar.adding(workingDays: n, to: a) < calendar.adding(workingDays: n + 1, to: a))
        }
    }

    @Test("Property: exactly N working days lie between a date and N working days after it")
    func countsAgree() async {
        await propertyCheck(count: 300, input: Self.days, Self.counts) { start, n in
            let a = LocalDate(dayNumber: start)
            #expect(calendar.workingDays(after: a, through: calendar.adding(workingDays: n, to: a)) == n)
        }
    }

    @Test("Property: a working-day deadline is always 23:59:59 on London's clock")
    func deadlinesEndTheDay() async {
        await propertyCheck(count: 300, input: Gen.int(in: 1_420_070_400...2_082_758_400), Gen.int(in: 1...20)) { seconds, n in
            let due = calendar.endOfWorkingDays(n, after: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(EuropeLondon.local(due).secondsIntoDay == 86_399)
            #expect(calendar.isWorkingDay(EuropeLondon.localDate(of: due)))
        }
    }

    @Test("Property: local date and time round-trip through an instant outside the spring gap")
    func roundTrip() async {
        await propertyCheck(count: 500, input: Self.days, Gen.int(in: 0...86_399)) { dayNumber, seconds in
            let date = LocalDate(dayNumber: dayNumber)
            let instant = EuropeLondon.instant(on: date, secondsIntoDay: seconds)
            let back = EuropeLondon.local(instant)
            let inGap = date == LocalDate.last(7, ofMonth: 3, year: date.year) && (3600..<7200).contains(seconds)
            if !inGap {
                #expect(back.date == date && back.secondsIntoDay == seconds)
            }
        }
    }

    @Test("LocalDate civil conversion round-trips over four centuries")
    func civilRoundTrip() {
        for n in stride(from: -146_097, through: 146_097 * 2, by: 17) {
            let d = LocalDate(dayNumber: n)
            #expect(LocalDate(year: d.year, month: d.month, day: d.day)?.dayNumber == n)
        }
        #expect(LocalDate(year: 2026, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2028, month: 2, day: 29) != nil)
        #expect(day("2026-11-23").weekday == 1)
    }
}
