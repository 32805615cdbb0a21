import Foundation

/// Europe/London civil time: GMT in winter, BST (UTC+1) from 01:00 UTC on the last Sunday of
/// March to 01:00 UTC on the last Sunday of October (Summer Time Order 2002, the rule since 1996).
///
/// Hand-written rather than asking Foundation's `TimeZone` because the engines convert
/// instants hundreds of thousands of times a second and must not depend on the host's tz
/// database; `EuropeLondonTests` checks it against Foundation's tz data hour by hour.
public enum EuropeLondon {
    public static let gmtOffset = 0
    public static let bstOffset = 3600

    /// The instants BST starts and ends in `year`, as seconds since 1970 (UTC).
    public static func summerTime(in year: Int) -> (start: Int, end: Int) {
        let start = LocalDate.last(7, ofMonth: 3, year: year).dayNumber * 86_400 + 3600
        let end = LocalDate.last(7, ofMonth: 10, year: year).dayNumber * 86_400 + 3600
        return (start, end)
    }

    /// The UTC offset, in seconds, of Europe/London at the instant.
    public static func offset(at instant: Date) -> Int {
        offset(atUnixSeconds: Int(instant.timeIntervalSince1970.rounded(.down)))
    }

    static func offset(atUnixSeconds t: Int) -> Int {
        // Summer time lies inside its own year, so t is in summer time exactly when it falls in
        // the period of the year it belongs to, or of either neighbour: an estimate of the year
        // within one of the truth needs no calendar conversion (issue 12: the engine asks this
        // several times for every deadline).
        let estimate = floorDiv(t, 31_556_952) + 1970 - summerTimeFirstYear
        if estimate >= 1 && estimate + 1 < summerTimeTable.count {
            for index in (estimate - 1)...(estimate + 1) {
                let bst = summerTimeTable[index]
                if t >= bst.start && t < bst.end { return bstOffset }
            }
            return gmtOffset
        }
        let year = LocalDate(dayNumber: floorDiv(t, 86_400)).year
        let bst = summerTimeTable.indices.contains(year - summerTimeFirstYear)
            ? summerTimeTable[year - summerTimeFirstYear] : summerTime(in: year)
        return (t >= bst.start && t < bst.end) ? bstOffset : gmtOffset
    }

    /// `summerTime(in:)` for 1900–2200, worked out once (the engines ask for it several times
    /// per deadline).
    static let summerTimeFirstYear = 1900
    static let summerTimeTable: [(start: Int, end: Int)] = (1900...2200).map { summerTime(in: $0) }

    /// The London calendar date on which the instant falls.
    public static func localDate(of instant: Date) -> LocalDate {
        local(instant).date
    }

    /// The London date and the seconds since local midnight.
    public static func local(_ instant: Date) -> (date: LocalDate, secondsIntoDay: Int) {
        let t = Int(instant.timeIntervalSince1970.rounded(.down))
        let local = t + offset(atUnixSeconds: t)
        return (LocalDate(dayNumber: floorDiv(local, 86_400)), floorMod(local, 86_400))
    }

    /// The instant of a London wall-clock time. A time skipped when the clocks go forward
    /// resolves an hour later (01:30 becomes 02:30 BST); a time repeated when they go back
    /// resolves to its first (BST) occurrence.
    public static func instant(on date: LocalDate, secondsIntoDay: Int) -> Date {
        let wall = date.dayNumber * 86_400 + secondsIntoDay
        if offset(atUnixSeconds: wall - bstOffset) == bstOffset {
            return Date(timeIntervalSince1970: TimeInterval(wall - bstOffset))
        }
        // Either GMT applies, or the wall time falls in the spring gap; in both cases the
        // GMT reading is the answer (in the gap it names the instant an hour later on the wall).
        return Date(timeIntervalSince1970: TimeInterval(wall - gmtOffset))
    }

    public static func instant(on date: LocalDate, at time: LocalTime) -> Date {
        instant(on: date, secondsIntoDay: time.secondsIntoDay)
    }

    /// 23:59:59 London time on the date (INT-ALL-02, INT-ALL-04).
    public static func endOfDay(_ date: LocalDate) -> Date {
        instant(on: date, secondsIntoDay: 86_399)
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    static func floorMod(_ a: Int, _ b: Int) -> Int {
        a - floorDiv(a, b) * b
    }
}
