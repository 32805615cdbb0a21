import Foundation

/// A calendar date with no time or zone: a date of birth, a bank holiday, a working day.
///
/// Stored as the count of days since 1970-01-01 (proleptic Gregorian), so comparisons,
/// differences and day arithmetic are integer operations on the engines' hot path.
public struct LocalDate: Hashable, Comparable, Sendable {
    /// Days since 1970-01-01.
    public let dayNumber: Int

    public init(dayNumber: Int) {
        self.dayNumber = dayNumber
    }

    /// Creates a date; returns nil when the day does not exist (e.g. 30 February).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= LocalDate.daysIn(month: month, year: year) else {
            return nil
        }
        self.dayNumber = LocalDate.dayNumber(year: year, month: month, day: day)
    }

    /// Creates a date the caller knows to be valid (rule tables, tests).
    public init(_ year: Int, _ month: Int, _ day: Int) {
        guard let date = LocalDate(year: year, month: month, day: day) else {
            preconditionFailure("invalid date \(year)-\(month)-\(day)")
        }
        self = date
    }

    public var components: (year: Int, month: Int, day: Int) {
        LocalDate.civil(fromDayNumber: dayNumber)
    }

    public var year: Int { components.year }
    public var month: Int { components.month }
    public var day: Int { components.day }

    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (ISO 4).
        let shifted = (dayNumber + 3) % 7
        return (shifted < 0 ? shifted + 7 : shifted) + 1
    }

    public var isWeekend: Bool { weekday >= 6 }

    public func adding(days: Int) -> LocalDate {
        LocalDate(dayNumber: dayNumber + days)
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        lhs.dayNumber < rhs.dayNumber
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The first date in `month` falling on `weekday` (ISO), e.g. the first Monday in May.
    public static func first(_ weekday: Int, ofMonth month: Int, year: Int) -> LocalDate {
        let first = LocalDate(year, month, 1)
        return first.adding(days: (weekday - first.weekday + 7) % 7)
    }

    /// The last date in `month` falling on `weekday` (ISO), e.g. the last Monday in August.
    public static func last(_ weekday: Int, ofMonth month: Int, year: Int) -> LocalDate {
        let last = LocalDate(year, month, daysIn(month: month, year: year))
        return last.adding(days: -((last.weekday - weekday + 7) % 7))
    }

    // Days-from-civil and civil-from-days after Howard Hinnant's public-domain algorithms
    // ("chrono-compatible low-level date algorithms"); hand-written because Foundation's
    // Calendar is far too slow for 100,000 timeline evaluations a second.
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDayNumber n: Int) -> (year: Int, month: Int, day: Int) {
        let z = n + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension LocalDate: CustomStringConvertible, LosslessStringConvertible {
    /// ISO 8601 calendar date, `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = components
        guard (0...9999).contains(y) else { return String(format: "%04d-%02d-%02d", y, m, d) }
        // By hand: String(format:) is slow, and every date on every page and in every API body comes here.
        let year = String(y)
        return String(repeating: "0", count: 4 - year.count) + year + (m < 10 ? "-0" : "-") + String(m) + (d < 10 ? "-0" : "-") + String(d)
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return nil }
        self.init(year: y, month: m, day: d)
    }
}

extension LocalDate: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a date as YYYY-MM-DD, got \"\(text)\"")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension LocalDate {
    /// The years a date typed into Convene may fall in. Anything outside is a typing mistake
    /// or a probe (year 1, year 9999), refused at the edge before it reaches a deadline.
    public static let plausibleYears: ClosedRange<Int> = 1900...2199

    public var isPlausible: Bool { Self.plausibleYears.contains(year) }
}

extension Date {
    /// Within `LocalDate.plausibleYears` (in London).
    public var isPlausible: Bool { EuropeLondon.localDate(of: self).isPlausible }
}
