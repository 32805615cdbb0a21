import Foundation

/// The hours of a working day in Europe/London (09:00–17:00 unless configured): when
/// reminders about working-day deadlines and daily digests go out, so nobody is told at
/// 3am on a Sunday about a duty that cannot be done before Monday (INT-ALL-03).
public struct WorkingHours: Hashable, Sendable {
    public let calendar: WorkingDayCalendar
    public let opening: LocalTime
    public let closing: LocalTime

    public init(calendar: WorkingDayCalendar = .englandAndWales, opening: LocalTime, closing: LocalTime) {
        precondition(opening < closing, "a working day opens before it closes")
        self.calendar = calendar
        self.opening = opening
        self.closing = closing
    }

    /// 09:00 to 17:00, England and Wales bank holidays.
    public static let standard = WorkingHours(opening: LocalTime(hour: 9, minute: 0)!, closing: LocalTime(hour: 17, minute: 0)!)

    /// The instant the working day opens on a date (London wall clock, so 08:00Z in summer).
    public func opening(of date: LocalDate) -> Date {
        EuropeLondon.instant(on: date, at: opening)
    }

    /// The first working day strictly after `date`.
    public func workingDay(after date: LocalDate) -> LocalDate {
        calendar.workingDay(onOrAfter: date.adding(days: 1))
    }

    /// The last working day strictly before `date`.
    public func workingDay(before date: LocalDate) -> LocalDate {
        var day = date.adding(days: -1)
        while !calendar.isWorkingDay(day) { day = day.adding(days: -1) }
        return day
    }

    /// The instant itself when it falls within working hours, else the next opening.
    public func nextOpen(onOrAfter instant: Date) -> Date {
        let (date, seconds) = EuropeLondon.local(instant)
        if calendar.isWorkingDay(date) {
            if seconds < opening.secondsIntoDay { return opening(of: date) }
            if seconds < closing.secondsIntoDay { return instant }
        }
        return opening(of: workingDay(after: date))
    }

    /// "Over a working day" after an instant: the same wall-clock time on the next working
    /// day, brought within working hours (a request made on Saturday waits from Monday's
    /// opening: it is due at Tuesday's).
    public func oneWorkingDay(after instant: Date) -> Date {
        let start = nextOpen(onOrAfter: instant)
        let (date, seconds) = EuropeLondon.local(start)
        let next = workingDay(after: date)
        let clamped = min(max(seconds, opening.secondsIntoDay), closing.secondsIntoDay)
        return EuropeLondon.instant(on: next, secondsIntoDay: clamped)
    }
}

/// When a person's daily digest goes: at the opening of each working day, with whatever they
/// chose to receive that way since the last one.
public struct DigestSchedule: Hashable, Sendable {
    public let hours: WorkingHours

    public init(hours: WorkingHours = .standard) {
        self.hours = hours
    }

    /// The first digest strictly after `instant`.
    public func next(after instant: Date) -> Date {
        let date = EuropeLondon.localDate(of: instant)
        if hours.calendar.isWorkingDay(date), hours.opening(of: date) > instant {
            return hours.opening(of: date)
        }
        return hours.opening(of: hours.workingDay(after: date))
    }
}
