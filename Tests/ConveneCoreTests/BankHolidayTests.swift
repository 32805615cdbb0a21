import ConveneCore
import ConveneTestSupport
import Foundation
import Testing

/// INT-ALL-03: bank holidays by rule (Easter, fixed and Monday holidays, substitutes) plus
/// the one-off changes, checked against the published GOV.UK lists held as test data.
@Suite("Bank holidays")
struct BankHolidayTests {
    struct Published: Decodable {
        struct Division: Decodable {
            let division: String
            let years: [Int]
            let dates: [String]
        }
        let divisions: [Division]
    }

    static let published: Published = {
        let url = Bundle.module.url(forResource: "Fixtures/uk-bank-holidays", withExtension: "json")!
        return try! JSONDecoder().decode(Published.self, from: Data(contentsOf: url))
    }()

    @Test("INT-ALL-03: computed holidays equal the published list for every region and year held",
          arguments: ["england-and-wales", "scotland", "northern-ireland"])
    func matchesPublishedList(division: String) throws {
        let data = try #require(Self.published.divisions.first { $0.division == division })
        let region = try #require(BankHolidayRegion(rawValue: division))
        let calendar = WorkingDayCalendar(region: region)
        let computed = data.years.flatMap { calendar.bankHolidays(in: $0).map(\.date.description) }
        #expect(computed == data.dates)
    }

    @Test("England and Wales 2015–2027 holds 13 years of the published list")
    func englandAndWalesCoverage() throws {
        let data = try #require(Self.published.divisions.first { $0.division == "england-and-wales" })
        #expect(data.years == Array(2015...2027))
        #expect(data.dates.count == 8 * 13 + 2 + 1)
    }

    @Test("Easter Sunday by the Gregorian computus", arguments: [
        (2015, "2015-04-05"), (2016, "2016-03-27"), (2019, "2019-04-21"), (2024, "2024-03-31"),
        (2026, "2026-04-05"), (2027, "2027-03-28"), (2035, "2035-03-25"), (2038, "2038-04-25"),
    ])
    func easter(year: Int, expected: String) {
        #expect(BankHolidayRules.easterSunday(year).description == expected)
    }

    @Test("Christmas on a Saturday: substitutes on Monday 27 and Tuesday 28 December (2021)")
    func christmasOnSaturday() {
        let holidays = WorkingDayCalendar.englandAndWales.bankHolidays(in: 2021).suffix(2)
        #expect(holidays.map(\.date.description) == ["2021-12-27", "2021-12-28"])
        #expect(holidays.allSatisfy { $0.name.contains("substitute") })
    }

    @Test("Christmas on a Sunday: Boxing Day Monday 26, Christmas substitute Tuesday 27 (2022)")
    func christmasOnSunday() {
        let holidays = WorkingDayCalendar.englandAndWales.bankHolidays(in: 2022).suffix(2)
        #expect(holidays.map(\.date.description) == ["2022-12-26", "2022-12-27"])
        #expect(holidays.map(\.name) == ["Boxing Day", "Christmas Day (substitute day)"])
    }

    @Test("St Andrew's Day at a weekend moves to the Monday (Scotland 2025)")
    func stAndrewsDay() {
        let calendar = WorkingDayCalendar(region: .scotland)
        #expect(calendar.isBankHoliday(day("2025-12-01")))
        #expect(!calendar.isBankHoliday(day("2025-11-30")))
    }

    @Test("One-off changes: 2020 VE Day, 2022 Jubilee and State Funeral, 2023 Coronation")
    func oneOffChanges() {
        let calendar = WorkingDayCalendar.englandAndWales
        #expect(calendar.isBankHoliday(day("2020-05-08")))
        #expect(!calendar.isBankHoliday(day("2020-05-04")))
        #expect(calendar.isBankHoliday(day("2022-06-02")) && calendar.isBankHoliday(day("2022-06-03")))
        #expect(!calendar.isBankHoliday(day("2022-05-30")))
        #expect(calendar.isBankHoliday(day("2022-09-19")))
        #expect(calendar.isBankHoliday(day("2023-05-08")))
    }

    @Test("Every year 2015–2035 has the standing holidays, none at a weekend", arguments: BankHolidayRegion.allCases)
    func standingHolidays(region: BankHolidayRegion) {
        let calendar = WorkingDayCalendar(region: region)
        for year in 2015...2035 {
            let holidays = calendar.bankHolidays(in: year)
            #expect(holidays.count >= 8, "\(region) \(year)")
            #expect(holidays.allSatisfy { !$0.date.isWeekend }, "\(region) \(year)")
            #expect(Set(holidays.map(\.date)).count == holidays.count, "\(region) \(year) has a duplicate date")
        }
    }
}
