/// A wall-clock time of day in Europe/London, to the minute (slot starts, session ends).
public struct LocalTime: Hashable, Comparable, Sendable {
    public let hour: Int
    public let minute: Int

    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    /// Parses exactly `HH:MM` (24-hour clock).
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        self.init(hour: h, minute: m)
    }

    public var secondsIntoDay: Int { hour * 3600 + minute * 60 }

    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool {
        lhs.secondsIntoDay < rhs.secondsIntoDay
    }
}

extension LocalTime: CustomStringConvertible {
    public var description: String {
        (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }
}
