import ConveneCore
import Foundation

/// A submitted HTML form's values under our field names as they are (FieldPaths such as
/// `children[0].name`), and how they read as the procedure's values: yes or no, a GOV.UK date
/// input, a London date and time, each problem an error on its field. ConveneWeb reads the
/// body of a request into one.
public struct FormData: Sendable {
    public let values: [String: [String]]

    public init(values: [String: [String]]) {
        self.values = values
    }

    public subscript(_ name: String) -> String {
        values[name]?.last ?? ""
    }

    public func has(_ name: String) -> Bool {
        values[name] != nil
    }

    public func all(_ name: String) -> [String] {
        values[name] ?? []
    }

    public func bool(_ name: String) -> Bool {
        let value = self[name].lowercased()
        return value == "yes" || value == "true" || value == "on"
    }

    public func yesNo(_ name: String) -> YesNo? {
        YesNo(rawValue: self[name])
    }

    /// A date from three fields `name.day`, `name.month`, `name.year` (GOV.UK date input).
    /// Nil when all are empty; an error naming the field when they are not a real date.
    public func date(_ name: String, label: String, _ v: inout FieldChecks) -> LocalDate? {
        let d = self[name + ".day"].trimmed, m = self[name + ".month"].trimmed, y = self[name + ".year"].trimmed
        if d.isEmpty && m.isEmpty && y.isEmpty { return nil }
        guard let day = Int(d), let month = Int(m), let year = Int(y), y.count == 4,
              let date = LocalDate(year: year, month: month, day: day) else {
            v.fail(FieldPath(name), "\(label) must be a real date")
            return nil
        }
        guard date.isPlausible else {
            v.fail(FieldPath(name), "\(label) must be a date from \(LocalDate.plausibleYears.lowerBound) to \(LocalDate.plausibleYears.upperBound)")
            return nil
        }
        return date
    }

    /// A London date and time from `name.date` (date fields) and `name.time` (HH:MM).
    public func dateTime(_ name: String, label: String, _ v: inout FieldChecks) -> Date? {
        guard let date = date(name, label: label, &v) else {
            if !self[name + ".time"].isBlank { v.fail(FieldPath(name), "Enter the date of \(label.lowercased())") }
            return nil
        }
        let text = self[name + ".time"].trimmed
        let normalised = text.count == 4 && !text.contains(":") ? String(text.prefix(2)) + ":" + String(text.suffix(2)) : text
        guard let time = LocalTime(normalised.count == 4 ? "0" + normalised : normalised) else {
            v.fail(FieldPath(name + ".time"), "Enter the time of \(label.lowercased()) as hours and minutes, like 14:30")
            return nil
        }
        return EuropeLondon.instant(on: date, at: time)
    }

    /// The discussion version the form was built from (`version`): a missing or unreadable one
    /// is refused as stale (ASVS-5.0-2.3.3).
    public func expectedVersion() throws -> Int {
        try DiscussionWriter.expectedVersion(self["version"])
    }
}

extension FieldPath {
    /// The HTML id of the field: `children[0].name` → `children-0-name`.
    public var htmlID: String {
        var id = ""
        for c in description.unicodeScalars {
            id.unicodeScalars.append(CharacterSet.alphanumerics.contains(c) || c == "-" ? c : "-")
        }
        while id.contains("--") { id = id.replacingOccurrences(of: "--", with: "-") }
        return id.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }
}
