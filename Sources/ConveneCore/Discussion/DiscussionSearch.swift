import Foundation

/// What a person searching for a discussion typed (issue 14), read as one of two searches: a
/// child's date of birth ("4/6/2019", "04-06-2019", "2019-06-04"), or part of a child's name,
/// a case number or a discussion's reference.
public enum DiscussionSearch: Sendable, Hashable {
    case dateOfBirth(LocalDate)
    /// Lower-cased, the spaces inside collapsed to one.
    case text(String)

    public static let minimumLength = 2
    public static let maximumLength = 100

    /// The search the text asks for; nil for no text; a problem named on `field` for text too
    /// short or too long to search by.
    public static func read(_ input: String?, field: FieldPath = "q") throws(ValidationFailure) -> DiscussionSearch? {
        let words = (input ?? "").split(whereSeparator: \.isWhitespace)
        let text = words.joined(separator: " ")
        guard !text.isEmpty else { return nil }
        if text.count > maximumLength {
            throw ValidationFailure(InputError(field: field, "Enter \(maximumLength) characters or fewer"))
        }
        if let day = dayOfBirth(text) { return .dateOfBirth(day) }
        if text.count < minimumLength {
            throw ValidationFailure(InputError(field: field, "Enter at least \(minimumLength) characters"))
        }
        return .text(text.lowercased())
    }

    /// Day, month and year in the UK order, separated by `/`, `-` or `.`, or `YYYY-MM-DD`.
    static func dayOfBirth(_ text: String) -> LocalDate? {
        if let iso = LocalDate(text) { return iso }
        let parts = text.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "-" || $0 == "." }
        guard parts.count == 3, parts[2].count == 4, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count),
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }),
              let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2])
        else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }

    /// How the search is described where it is recorded (the audit trail keeps what kind of
    /// search it was, never the name or date typed).
    public var kind: String {
        switch self {
        case .dateOfBirth: "date of birth"
        case .text: "name, case number or reference"
        }
    }
}
