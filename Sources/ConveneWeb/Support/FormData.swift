import ConveneCore
import Foundation
import Vapor

/// A submitted HTML form, read with our field names as they are. Field names are FieldPaths
/// such as `children[0].name`, which Vapor's form decoder would treat as nesting. Parsed by
/// hand: Foundation's URLComponents traps (crashes) on characters a browser or a hostile
/// client may send unencoded, so it must never see request input.
struct FormData: Sendable {
    let values: [String: [String]]

    init(_ req: Request) throws {
        // A browser always labels a form; a body without a type is not one (ASVS-5.0-4.1.1).
        guard req.headers.contentType == .urlEncodedForm else {
            throw Abort(.unsupportedMediaType, reason: "Send the form as application/x-www-form-urlencoded.")
        }
        let body = req.body.string ?? ""
        self.init(body: body)
    }

    init(body: String) {
        var values: [String: [String]] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = FormData.decode(parts[0])
            guard !name.isEmpty else { continue }
            values[name, default: []].append(parts.count > 1 ? FormData.decode(parts[1]) : "")
        }
        self.values = values
    }

    /// `application/x-www-form-urlencoded` decoding; a malformed escape reads as the raw text.
    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    init(values: [String: [String]]) {
        self.values = values
    }

    subscript(_ name: String) -> String {
        values[name]?.last ?? ""
    }

    func has(_ name: String) -> Bool {
        values[name] != nil
    }

    func all(_ name: String) -> [String] {
        values[name] ?? []
    }

    func bool(_ name: String) -> Bool {
        let value = self[name].lowercased()
        return value == "yes" || value == "true" || value == "on"
    }

    func yesNo(_ name: String) -> YesNo? {
        YesNo(rawValue: self[name])
    }

    /// A date from three fields `name.day`, `name.month`, `name.year` (GOV.UK date input).
    /// Nil when all are empty; an error naming the field when they are not a real date.
    func date(_ name: String, label: String, _ v: inout FieldChecks) -> LocalDate? {
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
    func dateTime(_ name: String, label: String, _ v: inout FieldChecks) -> Date? {
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
}

extension FieldPath {
    /// The HTML id of the field: `children[0].name` → `children-0-name`.
    var htmlID: String {
        var id = ""
        for c in description.unicodeScalars {
            id.unicodeScalars.append(CharacterSet.alphanumerics.contains(c) || c == "-" ? c : "-")
        }
        while id.contains("--") { id = id.replacingOccurrences(of: "--", with: "-") }
        return id.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }
}

extension FormData {
    /// The discussion version the form was built from (`version`): a missing or unreadable one
    /// is refused as stale (ASVS-5.0-2.3.3).
    func expectedVersion() throws -> Int {
        try DiscussionWriter.expectedVersion(self["version"])
    }
}
