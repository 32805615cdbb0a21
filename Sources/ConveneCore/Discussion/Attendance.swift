import Foundation

/// How someone took part (ATT-ALL-03).
public enum AttendanceMode: String, Codable, CaseIterable, Sendable {
    case inPerson = "in-person"
    case virtual
    case phone
    case apologies
    case absent

    public var present: Bool {
        self == .inPerson || self == .virtual || self == .phone
    }

    public var label: String {
        switch self {
        case .inPerson: "In person"
        case .virtual: "Virtual (video)"
        case .phone: "Phone"
        case .apologies: "Sent apologies"
        case .absent: "Did not attend"
        }
    }
}

/// One invitee or attendee in the record: who was invited, who attended and how.
public struct AttendanceEntry: Codable, Hashable, Sendable, Identifiable {
    public var id: UUID
    public var name: String
    public var agency: String
    public var role: String
    /// False for someone who joined without an invitation.
    public var invited: Bool
    public var mode: AttendanceMode?

    public init(id: UUID = UUID(), name: String, agency: String, role: String = "", invited: Bool = true,
                mode: AttendanceMode? = nil) {
        self.id = id
        self.name = name
        self.agency = agency
        self.role = role
        self.invited = invited
        self.mode = mode
    }

    public var attendee: Attendee? {
        (mode?.present ?? false) ? Attendee(agency: agency, role: role.isBlank ? nil : role) : nil
    }
}

/// The quoracy check made before decisions are recorded (ATT-ALL-03), and how the chair
/// proceeded when it failed.
public struct QuoracyCheck: Codable, Hashable, Sendable {
    public var quorate: Bool
    public var urgentException: Bool
    public var missing: [String]
    /// Why the chair went ahead although not quorate (recorded and shown in the record).
    public var proceedReason: String
    public var checkedAt: Date

    public init(quorate: Bool, urgentException: Bool, missing: [String], proceedReason: String = "", checkedAt: Date) {
        self.quorate = quorate
        self.urgentException = urgentException
        self.missing = missing
        self.proceedReason = proceedReason
        self.checkedAt = checkedAt
    }

    /// Decisions may be recorded once quorate, or once the chair has recorded why they proceeded.
    public var allowsDecisions: Bool {
        quorate || !proceedReason.isBlank
    }

    public static func check(pack: ProcedurePack, entries: [AttendanceEntry], urgent: Bool, concerns: [String],
                             circumstances: ChildCircumstances, at: Date) -> (QuoracyCheck, AttendanceAnswer) {
        let answer = AttendanceEngine(pack: pack).evaluate(AttendanceQuestion(
            urgent: urgent, concerns: concerns, child: circumstances, attendees: entries.compactMap(\.attendee)))
        let missing = answer.missing.map { applied in
            pack.agencyName(applied.requirement.agency)
                + (applied.requirement.roles.isEmpty ? "" : " (" + applied.requirement.roles.joined(separator: " or ") + ")")
        }
        return (QuoracyCheck(quorate: answer.quorate, urgentException: answer.urgentException, missing: missing, checkedAt: at),
                answer)
    }
}
