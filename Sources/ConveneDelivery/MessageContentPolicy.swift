import ConveneCore
import Foundation

/// Checks that a message says nothing about a child: no name, date of birth or address.
///
/// Messages go to mailboxes Convene does not control, are forwarded, and show on lock
/// screens; the discussion's reference and a link behind sign-in are all they may carry.
/// Tests of every message kind run this over what they build, with the case's child's
/// details as the forbidden text.
public struct MessageContentPolicy: Sendable {
    /// A text that must not appear, and what it is (for the finding's message).
    public struct Forbidden: Hashable, Sendable {
        public var label: String
        public var text: String

        public init(_ label: String, _ text: String) {
            self.label = label
            self.text = text
        }
    }

    /// Where a forbidden text was found.
    public struct Finding: Hashable, Sendable, CustomStringConvertible {
        public var part: String
        public var forbidden: Forbidden

        public var description: String { "the \(part) contains the \(forbidden.label) “\(forbidden.text)”" }
    }

    public var forbidden: [Forbidden]

    public init(forbidden: [Forbidden]) {
        self.forbidden = forbidden.filter { !$0.text.isBlank }
    }

    /// The forbidden texts for a child: the name as given, each part of it of three letters
    /// or more, the date of birth in every format Convene prints, and each address line.
    public static func child(name: String, dateOfBirth: LocalDate?, address: [String] = []) -> MessageContentPolicy {
        var items = [Forbidden("child's name", name)]
        items += name.split(whereSeparator: { $0.isWhitespace }).filter { $0.count >= 3 }
            .map { Forbidden("part of the child's name", String($0)) }
        if let dateOfBirth {
            items += dateFormats(dateOfBirth).map { Forbidden("child's date of birth", $0) }
        }
        items += address.map { Forbidden("child's address", $0) }
        return MessageContentPolicy(forbidden: items)
    }

    /// How Convene writes a date: ISO (`2019-03-04`), GOV.UK style with and without the
    /// weekday, the short table form, and the numeric UK form (`04/03/2019`, `4/3/2019`).
    public static func dateFormats(_ date: LocalDate) -> [String] {
        [date.description, UKDisplay.date(date), UKDisplay.date(date, weekday: true), UKDisplay.shortDate(date),
         RFC3339.pad2(date.day) + "/" + RFC3339.pad2(date.month) + "/" + String(date.year),
         "\(date.day)/\(date.month)/\(date.year)"]
    }

    /// Every forbidden text found in the subject, text, calendar part (unfolded and
    /// unescaped, as a calendar shows it), extra headers and Notify fields. Matching ignores
    /// case, accents and how the text is broken across lines, and needs whole words, so a
    /// first name such as "Ava" is not found inside "available".
    public func findings(in message: OutgoingMessage) -> [Finding] {
        var parts: [(String, String)] = [("subject", message.subject), ("text", message.text)]
        if let reference = message.reference { parts.append(("reference", reference)) }
        if let calendar = message.calendar { parts.append(("calendar part", Self.calendarText(calendar.ics))) }
        parts += message.headers.map { ("\($0.name) header", $0.value) }
        parts += message.personalisation.sorted { $0.key < $1.key }.map { ("Notify field \($0.key)", $0.value) }
        var found: [Finding] = []
        for (part, text) in parts {
            let haystack = Self.normalised(text)
            for item in forbidden where Self.containsWord(haystack, Self.normalised(item.text)) {
                found.append(Finding(part: part, forbidden: item))
            }
        }
        return found
    }

    /// Unfolds content lines and undoes TEXT escaping, so a name split by folding or
    /// written `Hart\, Amelia` is still found.
    static func calendarText(_ ics: String) -> String {
        ics.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\r\n\t", with: "")
            .replacingOccurrences(of: "\n ", with: "")
            .replacingOccurrences(of: "\\n", with: " ").replacingOccurrences(of: "\\N", with: " ")
            .replacingOccurrences(of: "\\,", with: ",").replacingOccurrences(of: "\\;", with: ";")
            .replacingOccurrences(of: "\\\\", with: "\\")
    }

    static func normalised(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func containsWord(_ haystack: String, _ needle: String) -> Bool {
        guard !needle.isEmpty else { return false }
        var searchStart = haystack.startIndex
        while let range = haystack.range(of: needle, range: searchStart..<haystack.endIndex) {
            let before = range.lowerBound == haystack.startIndex ? nil : haystack[haystack.index(before: range.lowerBound)]
            let after = range.upperBound == haystack.endIndex ? nil : haystack[range.upperBound]
            let isWordChar: (Character?) -> Bool = { $0.map { $0.isLetter || $0.isNumber } ?? false }
            if !isWordChar(before) && !isWordChar(after) { return true }
            searchStart = haystack.index(after: range.lowerBound)
        }
        return false
    }
}
