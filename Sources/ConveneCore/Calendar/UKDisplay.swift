import Foundation

/// Dates and times as GOV.UK style writes them, on London's clock: "24 December 2026",
/// "Thursday 24 December 2026 at 3:30pm", "9am", "midday", "midnight".
public enum UKDisplay {
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                         "October", "November", "December"]
    static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// "March" for 3.
    public static func monthName(_ month: Int) -> String {
        months.indices.contains(month - 1) ? months[month - 1] : String(month)
    }

    public static func date(_ date: LocalDate, weekday: Bool = false) -> String {
        let text = "\(date.day) \(months[date.month - 1]) \(date.year)"
        return weekday ? weekdays[date.weekday - 1] + " " + text : text
    }

    public static func shortDate(_ date: LocalDate) -> String {
        "\(date.day) \(months[date.month - 1].prefix(3)) \(date.year)"
    }

    public static func time(secondsIntoDay s: Int) -> String {
        let hour = s / 3600, minute = s / 60 % 60
        if minute == 0 && hour == 12 { return "midday" }
        if minute == 0 && hour == 0 { return "midnight" }
        let h12 = hour % 12 == 0 ? 12 : hour % 12
        let suffix = hour < 12 ? "am" : "pm"
        return minute == 0 ? "\(h12)\(suffix)" : "\(h12):\(minute < 10 ? "0" : "")\(minute)\(suffix)"
    }

    public static func time(_ instant: Date) -> String {
        time(secondsIntoDay: EuropeLondon.local(instant).secondsIntoDay)
    }

    /// "Thursday 24 December 2026 at 3:30pm"; 23:59:59 deadlines read "end of …" (11:59pm).
    public static func dateTime(_ instant: Date, weekday: Bool = true) -> String {
        let (d, s) = EuropeLondon.local(instant)
        if s == 86_399 {
            return "end of " + date(d, weekday: weekday)
        }
        return date(d, weekday: weekday) + " at " + time(secondsIntoDay: s)
    }

    /// "24 Dec 2026, 3:30pm" for tables.
    public static func compact(_ instant: Date) -> String {
        let (d, s) = EuropeLondon.local(instant)
        if s == 86_399 { return shortDate(d) + ", end of day" }
        return shortDate(d) + ", " + time(secondsIntoDay: s)
    }

    /// The value of an HTML `datetime-local` input (London wall clock, to the minute).
    public static func inputValue(_ instant: Date) -> String {
        let (d, s) = EuropeLondon.local(instant)
        return d.description + "T" + RFC3339.pad2(s / 3600) + ":" + RFC3339.pad2(s / 60 % 60)
    }

    /// Reads a `datetime-local` value (`2026-12-24T15:30`) as London wall-clock time.
    public static func parseInput(_ text: String) -> Date? {
        let parts = text.trimmed.split(separator: "T")
        guard parts.count == 2, let d = LocalDate(String(parts[0])) else { return nil }
        let hm = parts[1].split(separator: ":")
        guard hm.count >= 2, let time = LocalTime(String(hm[0] + ":" + hm[1])) else { return nil }
        return EuropeLondon.instant(on: d, at: time)
    }

    /// "in 3 hours", "2 days ago": for deadline tags.
    public static func relative(_ instant: Date, now: Date) -> String {
        let seconds = instant.timeIntervalSince(now)
        let magnitude = abs(seconds)
        let text: String
        if magnitude < 3600 {
            let m = max(1, Int(magnitude / 60))
            text = "\(m) minute\(m == 1 ? "" : "s")"
        } else if magnitude < 86_400 * 2 {
            let h = Int(magnitude / 3600)
            text = "\(h) hour\(h == 1 ? "" : "s")"
        } else {
            let d = Int(magnitude / 86_400)
            text = "\(d) days"
        }
        return seconds >= 0 ? "in " + text : text + " ago"
    }
}
