import Foundation

/// Working days in Europe/London: Monday to Friday, except the bank holidays of a region
/// (INT-ALL-03), and the deadline arithmetic the procedures use (INT-ALL-01, -02, -04).
public struct WorkingDayCalendar: Sendable, Hashable {
    public let region: BankHolidayRegion

    public init(region: BankHolidayRegion = .englandAndWales) {
        self.region = region
    }

    public static let englandAndWales = WorkingDayCalendar(region: .englandAndWales)

    public func isBankHoliday(_ date: LocalDate) -> Bool {
        // Straight to the static tables: returning one from a function would copy (and
        // reference-count) its bitset for every day looked at.
        switch region {
        case .englandAndWales: HolidayTable.englandAndWales.contains(date)
        case .scotland: HolidayTable.scotland.contains(date)
        case .northernIreland: HolidayTable.northernIreland.contains(date)
        }
    }

    public func isWorkingDay(_ date: LocalDate) -> Bool {
        !date.isWeekend && !isBankHoliday(date)
    }

    public func bankHolidays(in year: Int) -> [BankHoliday] {
        BankHolidayRules.holidays(in: year, region: region)
    }

    /// The Nth working day after `date`; the date itself is not counted (INT-ALL-02).
    /// `n` of 0 gives `date` itself.
    public func adding(workingDays n: Int, to date: LocalDate) -> LocalDate {
        precondition(n >= 0, "working days are counted forwards")
        // The region's table looked up once, not for every day counted.
        let table = HolidayTable.table(for: region)
        var day = date
        var remaining = n
        while remaining > 0 {
            day = day.adding(days: 1)
            if !day.isWeekend && !table.contains(day) { remaining -= 1 }
        }
        return day
    }

    /// The first working day on or after `date`.
    public func workingDay(onOrAfter date: LocalDate) -> LocalDate {
        var day = date
        while !isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// Working days strictly after `start` up to and including `end`.
    public func workingDays(after start: LocalDate, through end: LocalDate) -> Int {
        guard end > start else { return 0 }
        var count = 0
        var day = start.adding(days: 1)
        while day <= end {
            if isWorkingDay(day) { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }

    /// "Within N working days" of an instant: 23:59:59 London time on the Nth working day
    /// after the instant's London date (INT-ALL-02).
    public func endOfWorkingDays(_ n: Int, after instant: Date) -> Date {
        EuropeLondon.endOfDay(adding(workingDays: n, to: EuropeLondon.localDate(of: instant)))
    }

    /// "Same day": 23:59:59 London time on the instant's London date (INT-ALL-04).
    public func endOfSameDay(_ instant: Date) -> Date {
        EuropeLondon.endOfDay(EuropeLondon.localDate(of: instant))
    }
}

/// Bank holidays of 1990–2100 per region, precomputed once into a bitset indexed by day
/// number; dates outside that range are computed from the rules on demand.
struct HolidayTable: Sendable {
    static let firstYear = 1990
    static let lastYear = 2100
    let base: Int
    let bits: [UInt64]
    let region: BankHolidayRegion

    init(region: BankHolidayRegion) {
        self.region = region
        base = LocalDate(HolidayTable.firstYear, 1, 1).dayNumber
        let end = LocalDate(HolidayTable.lastYear, 12, 31).dayNumber
        var bits = [UInt64](repeating: 0, count: (end - base) / 64 + 1)
        for year in HolidayTable.firstYear...HolidayTable.lastYear {
            for holiday in BankHolidayRules.holidays(in: year, region: region) {
                let index = holiday.date.dayNumber - base
                bits[index >> 6] |= 1 << UInt64(index & 63)
            }
        }
        self.bits = bits
    }

    func contains(_ date: LocalDate) -> Bool {
        let index = date.dayNumber - base
        guard index >= 0, index >> 6 < bits.count else {
            return BankHolidayRules.holidays(in: date.year, region: region).contains { $0.date == date }
        }
        return bits[index >> 6] & (1 << UInt64(index & 63)) != 0
    }

    static let englandAndWales = HolidayTable(region: .englandAndWales)
    static let scotland = HolidayTable(region: .scotland)
    static let northernIreland = HolidayTable(region: .northernIreland)

    static func table(for region: BankHolidayRegion) -> HolidayTable {
        switch region {
        case .englandAndWales: englandAndWales
        case .scotland: scotland
        case .northernIreland: northernIreland
        }
    }
}
