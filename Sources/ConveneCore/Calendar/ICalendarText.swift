import Foundation

/// The lexical rules of iCalendar (RFC 5545 §3.1–3.3) that `CalendarInvitation` writes with.
///
/// Hand-written: no iCalendar library is available to the project, and the part we need
/// (writing one event, never parsing) is small. Python's `icalendar` reads the output in
/// `ConveneDeliveryTests` so a mistake here shows up as a parse failure, not in an inbox.
public enum ICalendarText {
    /// RFC 5545 §3.1: lines longer than 75 octets are folded.
    public static let maxLineOctets = 75

    /// Escapes a TEXT value (§3.3.11): backslash, semicolon, comma and line breaks. Other
    /// control characters are dropped because no calendar client shows them and a stray
    /// CR or LF would end the content line early.
    public static func escapeText(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let s = pending {
            pending = scalars.next()
            switch s {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r":
                out += "\\n"
                if pending == "\n" { pending = scalars.next() }
            case "\n": out += "\\n"
            default:
                if s.value < 0x20 && s != "\t" || s.value == 0x7F { continue }
                out.unicodeScalars.append(s)
            }
        }
        return out
    }

    /// A parameter value (§3.2), such as a `CN`: quoted when it holds `:`, `;` or `,`.
    /// DQUOTE cannot appear inside a quoted value, so it becomes a single quote; control
    /// characters are dropped for the same reason as in `escapeText`.
    public static func parameterValue(_ text: String) -> String {
        var clean = ""
        for s in text.unicodeScalars {
            if s == "\"" { clean += "'"; continue }
            if s.value < 0x20 || s.value == 0x7F { continue }
            clean.unicodeScalars.append(s)
        }
        return clean.contains(where: { $0 == ":" || $0 == ";" || $0 == "," }) ? "\"\(clean)\"" : clean
    }

    /// A `mailto:` URI for an address. Addresses reach here already checked by the caller;
    /// this only strips what would break the content line.
    public static func mailto(_ address: String) -> String {
        "mailto:" + String(address.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }.map(Character.init))
    }

    /// Folds one content line (§3.1): no physical line exceeds 75 octets, continuation lines
    /// start with one space (which counts towards the 75), and a multi-octet UTF-8 character
    /// is never split, so every physical line is valid UTF-8 on its own.
    public static func fold(_ line: String) -> String {
        guard line.utf8.count > maxLineOctets else { return line }
        var out = ""
        var octets = 0
        for s in line.unicodeScalars {
            let width = UTF8.width(s)
            if octets + width > maxLineOctets {
                out += "\r\n "
                octets = 1
            }
            out.unicodeScalars.append(s)
            octets += width
        }
        return out
    }

    /// `20260329T103000` in London wall-clock time, for `DTSTART;TZID=Europe/London:`.
    public static func londonDateTime(_ instant: Date) -> String {
        let (date, seconds) = EuropeLondon.local(instant)
        return basicDate(date) + "T" + RFC3339.pad2(seconds / 3600) + RFC3339.pad2(seconds / 60 % 60)
            + RFC3339.pad2(seconds % 60)
    }

    /// `20260329T093000Z`, for `DTSTAMP` (§3.8.7.2 requires UTC).
    public static func utcDateTime(_ instant: Date) -> String {
        let t = Int(instant.timeIntervalSince1970.rounded(.down))
        let date = LocalDate(dayNumber: EuropeLondon.floorDiv(t, 86_400))
        let seconds = EuropeLondon.floorMod(t, 86_400)
        return basicDate(date) + "T" + RFC3339.pad2(seconds / 3600) + RFC3339.pad2(seconds / 60 % 60)
            + RFC3339.pad2(seconds % 60) + "Z"
    }

    static func basicDate(_ date: LocalDate) -> String {
        let year = String(date.year)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + RFC3339.pad2(date.month)
            + RFC3339.pad2(date.day)
    }

    /// Europe/London as a VTIMEZONE (§3.6.5), the same rule `EuropeLondon` applies: BST from
    /// 01:00 UTC on the last Sunday of March (01:00 GMT on the wall), GMT from 01:00 UTC on
    /// the last Sunday of October (02:00 BST on the wall). Outlook needs the block to place
    /// a `TZID` time; Google and Apple use their own tz data and agree with it. The onsets
    /// are given from 1970, as the tz database's own exports do: earlier British rules never
    /// matter for a meeting being arranged now.
    public static let europeLondonTimeZone: [String] = [
        "BEGIN:VTIMEZONE",
        "TZID:Europe/London",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0000",
        "TZOFFSETTO:+0100",
        "TZNAME:BST",
        "DTSTART:19700329T010000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0000",
        "TZNAME:GMT",
        "DTSTART:19701025T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
}
