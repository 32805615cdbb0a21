import Foundation

/// The stretch of time a performance view covers, in whole Europe/London days: a week
/// (Monday to Sunday), a calendar month, a quarter (January, April, July, October) or any
/// run of days.
public struct OversightPeriod: Hashable, Sendable {
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case week, month, quarter, custom

        public var label: String {
            switch self {
            case .week: "Week"
            case .month: "Month"
            case .quarter: "Quarter"
            case .custom: "Custom dates"
            }
        }
    }

    public let kind: Kind
    /// The first day.
    public let first: LocalDate
    /// The last day (inclusive).
    public let last: LocalDate

    public init(kind: Kind, first: LocalDate, last: LocalDate) {
        self.kind = kind
        self.first = min(first, last)
        self.last = max(first, last)
    }

    /// The week, month or quarter containing `day` (a custom period needs its own dates).
    public static func containing(_ day: LocalDate, kind: Kind) -> OversightPeriod {
        switch kind {
        case .week, .custom:
            let monday = day.adding(days: 1 - day.weekday)
            return OversightPeriod(kind: .week, first: monday, last: monday.adding(days: 6))
        case .month:
            let first = LocalDate(day.year, day.month, 1)
            return OversightPeriod(kind: .month, first: first,
                                   last: LocalDate(day.year, day.month, LocalDate.daysIn(month: day.month, year: day.year)))
        case .quarter:
            let month = (day.month - 1) / 3 * 3 + 1
            let end = month + 2
            return OversightPeriod(kind: .quarter, first: LocalDate(day.year, month, 1),
                                   last: LocalDate(day.year, end, LocalDate.daysIn(month: end, year: day.year)))
        }
    }

    /// The instant the period starts (midnight in London on its first day).
    public var start: Date { EuropeLondon.instant(on: first, secondsIntoDay: 0) }
    /// The instant just after it ends (midnight in London after its last day).
    public var end: Date { EuropeLondon.instant(on: last.adding(days: 1), secondsIntoDay: 0) }

    public func contains(_ instant: Date) -> Bool {
        instant >= start && instant < end
    }

    public func contains(_ day: LocalDate) -> Bool {
        day >= first && day <= last
    }

    public var days: Int { last.dayNumber - first.dayNumber + 1 }

    /// The period just before, of the same kind (a custom one: as many days), for the trend.
    public var previous: OversightPeriod {
        switch kind {
        case .week, .month, .quarter: .containing(first.adding(days: -1), kind: kind)
        case .custom: OversightPeriod(kind: .custom, first: first.adding(days: -days), last: first.adding(days: -1))
        }
    }

    /// The 52 weeks (Monday to Sunday) ending with the week of the period's last day: the
    /// weekly trend over twelve months.
    public var trendWeeks: [OversightPeriod] {
        let lastWeek = OversightPeriod.containing(last, kind: .week)
        return (0..<52).reversed().map { back in
            let monday = lastWeek.first.adding(days: -7 * back)
            return OversightPeriod(kind: .week, first: monday, last: monday.adding(days: 6))
        }
    }

    /// "1 to 31 March 2026", for headings.
    public var label: String {
        "\(UKDisplay.date(first)) to \(UKDisplay.date(last))"
    }
}
