/// How people take part in a strategy discussion, as the booking records it (`format`), and
/// how each is said in a sentence ("How to take part: in person").
public enum MeetingFormat: String, CaseIterable, Sendable {
    case inPerson = "in-person"
    case virtual
    case phone
    case hybrid

    /// The words used in sentences and lists (invitations, My work, the task list).
    public var label: String {
        switch self {
        case .inPerson: "in person"
        case .virtual: "virtual"
        case .phone: "phone or teleconference"
        case .hybrid: "in person and virtual"
        }
    }

    /// The words of the booking form's choice.
    public var choice: String {
        switch self {
        case .inPerson: "In person"
        case .virtual: "Virtual (video)"
        case .phone: "Phone or teleconference"
        case .hybrid: "In person and virtual"
        }
    }

    /// The label of a stored format; a value Convene does not know is shown as stored.
    public static func label(_ value: String) -> String {
        MeetingFormat(rawValue: value)?.label ?? value
    }
}
