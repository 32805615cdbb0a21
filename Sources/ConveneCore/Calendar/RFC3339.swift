import Foundation

/// RFC 3339 instants as the JSON contract writes them: `2026-12-24T09:00:00Z`, with optional
/// fractional seconds and a numeric offset (`+01:00`). A time without a zone is refused: in
/// this domain an ambiguous time is a wrong deadline.
///
/// Hand-written because Foundation's ISO 8601 parsers silently accept or reject different
/// variants across platforms, and the error must say exactly what is wrong with the field.
public enum RFC3339 {
    public enum ParseError: Error, Equatable, Sendable {
        case malformed
        case missingZone
        case invalidDate
    }

    public static func parse(_ text: String) -> Date? {
        try? parseOrThrow(text)
    }

    public static func parseOrThrow(_ text: String) throws(ParseError) -> Date {
        let bytes = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) throws(ParseError) -> Int {
            guard i + n <= bytes.count else { throw .malformed }
            var value = 0
            for k in 0..<n {
                let b = bytes[i + k]
                guard b >= 48, b <= 57 else { throw .malformed }
                value = value * 10 + Int(b - 48)
            }
            i += n
            return value
        }
        func expect(_ c: UInt8) throws(ParseError) {
            guard i < bytes.count, bytes[i] == c else { throw .malformed }
            i += 1
        }
        let year = try digits(4)
        try expect(UInt8(ascii: "-"))
        let month = try digits(2)
        try expect(UInt8(ascii: "-"))
        let day = try digits(2)
        guard i < bytes.count, bytes[i] == UInt8(ascii: "T") || bytes[i] == UInt8(ascii: "t") else {
            throw .malformed
        }
        i += 1
        let hour = try digits(2)
        try expect(UInt8(ascii: ":"))
        let minute = try digits(2)
        var second = 0
        var fraction = 0.0
        if i < bytes.count, bytes[i] == UInt8(ascii: ":") {
            i += 1
            second = try digits(2)
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                var scale = 0.1
                let start = i
                while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                    fraction += Double(bytes[i] - 48) * scale
                    scale /= 10
                    i += 1
                }
                guard i > start else { throw .malformed }
            }
        }
        guard i < bytes.count else { throw .missingZone }
        var offset = 0
        switch bytes[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[i] == UInt8(ascii: "+") ? 1 : -1
            i += 1
            let oh = try digits(2)
            try expect(UInt8(ascii: ":"))
            let om = try digits(2)
            guard oh <= 23, om <= 59 else { throw .malformed }
            offset = sign * (oh * 3600 + om * 60)
        default:
            throw .malformed
        }
        guard i == bytes.count else { throw .malformed }
        guard let date = LocalDate(year: year, month: month, day: day),
              hour <= 23, minute <= 59, second <= 59 else { throw .invalidDate }
        let seconds = date.dayNumber * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds) + fraction)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` in UTC, the fraction of a second dropped (what Foundation's
    /// ISO8601DateFormatter writes with its default options).
    public static func formatWholeSeconds(_ instant: Date) -> String {
        let whole = Int(instant.timeIntervalSince1970.rounded(.down))
        let date = LocalDate(dayNumber: EuropeLondon.floorDiv(whole, 86_400))
        let s = EuropeLondon.floorMod(whole, 86_400)
        return date.description + "T" + pad2(s / 3600) + ":" + pad2(s / 60 % 60) + ":" + pad2(s % 60) + "Z"
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` in UTC; milliseconds are written only when present.
    public static func format(_ instant: Date) -> String {
        let t = instant.timeIntervalSince1970
        let whole = Int(t.rounded(.down))
        let millis = Int(((t - Double(whole)) * 1000).rounded())
        let date = LocalDate(dayNumber: EuropeLondon.floorDiv(whole, 86_400))
        let s = EuropeLondon.floorMod(whole, 86_400)
        var text = date.description + "T" + pad2(s / 3600) + ":" + pad2(s / 60 % 60) + ":" + pad2(s % 60)
        if millis > 0 && millis < 1000 {
            text += "." + String(format: "%03d", millis)
        }
        return text + "Z"
    }

    /// `YYYY-MM-DDTHH:MM:SS+01:00`: the same instant as London's wall clock shows it.
    public static func formatLondon(_ instant: Date) -> String {
        let (date, s) = EuropeLondon.local(instant)
        let offset = EuropeLondon.offset(at: instant)
        return date.description + "T" + pad2(s / 3600) + ":" + pad2(s / 60 % 60) + ":" + pad2(s % 60)
            + (offset == 0 ? "+00:00" : "+01:00")
    }

    public static func pad2(_ n: Int) -> String {
        n < 10 ? "0" + String(n) : String(n)
    }
}
