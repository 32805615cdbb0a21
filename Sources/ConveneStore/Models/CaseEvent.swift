import ConveneCore
import FluentKit
import Foundation

/// Something that happened to a case outside a discussion, for the timeline of duties:
/// immediate protective action (IMM-*), LADO referral, s47 completion, ICPC, assessment.
public final class CaseEvent: Model, @unchecked Sendable {
    public static let schema = "case_events"

    @ID public var id: UUID?
    @Parent(key: "case_id") public var `case`: Case
    @OptionalField(key: "discussion_id") public var discussionID: UUID?
    @Field(key: "type") public var type: EventType
    @Field(key: "at") public var at: Date
    @Field(key: "details") public var details: CaseEventDetails
    @Field(key: "recorded_by") public var recordedBy: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(caseID: UUID, discussionID: UUID? = nil, type: EventType, at: Date, details: CaseEventDetails = .init(),
                recordedBy: UUID) {
        $case.id = caseID
        self.discussionID = discussionID
        self.type = type
        self.at = at
        self.details = details
        self.recordedBy = recordedBy
    }
}

/// Details kept with a case event.
public struct CaseEventDetails: Codable, Hashable, Sendable {
    /// s47-completed: whether the enquiry decided an ICPC is needed.
    public var icpcRequired: Bool?
    public var note: String
    /// immediate-action (IMM-000-01, IMM-000-02).
    public var immediateProtection: ImmediateProtection?

    public init(icpcRequired: Bool? = nil, note: String = "", immediateProtection: ImmediateProtection? = nil) {
        self.icpcRequired = icpcRequired
        self.note = note
        self.immediateProtection = immediateProtection
    }
}

/// The record of emergency action taken before a discussion (IMM-000-01, IMM-000-02).
public struct ImmediateProtection: Codable, Hashable, Sendable {
    /// The agencies whose powers the form offers (IMM-000-01): police protection, an emergency
    /// protection order, or the NSPCC's authorised-person powers.
    public static let actingAgencies: Set<String> = ["police", "childrens-social-care", "british-transport-police", "nspcc"]

    public enum Power: String, Codable, CaseIterable, Sendable {
        case policeProtection = "police-protection"
        case emergencyProtectionOrder = "emergency-protection-order"
        case otherAction = "other-action"

        public var label: String {
            switch self {
            case .policeProtection: "Police powers of protection (s46)"
            case .emergencyProtectionOrder: "Emergency Protection Order"
            case .otherAction: "Other single-agency protective action"
            }
        }
    }

    public var power: Power
    public var agency: String
    public var takenBy: String
    public var childLocation: String
    public var childSeen: Bool
    public var legalAdvice: Bool
    public var otherChildren: String
    /// Where another authority is responsible for the child (IMM-000-02).
    public var responsibleAuthority: String
    public var responsibilityAcceptedInWriting: Bool

    public init(power: Power, agency: String, takenBy: String, childLocation: String, childSeen: Bool, legalAdvice: Bool,
                otherChildren: String, responsibleAuthority: String = "", responsibilityAcceptedInWriting: Bool = false) {
        self.power = power
        self.agency = agency
        self.takenBy = takenBy
        self.childLocation = childLocation
        self.childSeen = childSeen
        self.legalAdvice = legalAdvice
        self.otherChildren = otherChildren
        self.responsibleAuthority = responsibleAuthority
        self.responsibilityAcceptedInWriting = responsibilityAcceptedInWriting
    }
}

/// A manager's override of a deadline (INT-ALL-06), or the reason a duty was late (TIME-000-01).
public final class DutyNote: Model, @unchecked Sendable {
    public static let schema = "duty_notes"

    public enum Kind: String, Codable, CaseIterable, Sendable {
        case override
        case lateReason = "late-reason"
    }

    @ID public var id: UUID?
    @Parent(key: "case_id") public var `case`: Case
    @Field(key: "kind") public var kind: Kind
    @Field(key: "duty") public var duty: Duty
    /// The timescale engine's discussion id (`d1`, `d2`…) for per-discussion duties.
    @OptionalField(key: "discussion_key") public var discussionKey: String?
    @OptionalField(key: "due") public var due: Date?
    @Field(key: "text") public var text: String
    @Field(key: "recorded_by") public var recordedBy: UUID
    @Field(key: "recorded_by_name") public var recordedByName: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(caseID: UUID, kind: Kind, duty: Duty, discussionKey: String?, due: Date?, text: String, recordedBy: UUID,
                recordedByName: String) {
        $case.id = caseID
        self.kind = kind
        self.duty = duty
        self.discussionKey = discussionKey
        self.due = due
        self.text = text
        self.recordedBy = recordedBy
        self.recordedByName = recordedByName
    }
}

/// One booked piece of the authority-wide slot calendar of schema 001, kept for its migration:
/// bookings are now written as `CalendarCell`s, per calendar or chair (002).
public final class SlotCell: Model, @unchecked Sendable {
    public static let schema = "slot_cells"
    public static let cellSeconds = 900

    @ID public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "cell_start") public var cellStart: Date
    @Field(key: "discussion_id") public var discussionID: UUID

    public init() {}

    public init(organisationID: UUID, cellStart: Date, discussionID: UUID) {
        self.organisationID = organisationID
        self.cellStart = cellStart
        self.discussionID = discussionID
    }

    /// The cells a meeting from `start` to `end` occupies.
    public static func cells(from start: Date, to end: Date) -> [Date] {
        let first = (start.timeIntervalSince1970 / Double(cellSeconds)).rounded(.down) * Double(cellSeconds)
        return stride(from: first, to: end.timeIntervalSince1970, by: Double(cellSeconds)).map {
            Date(timeIntervalSince1970: $0)
        }
    }
}

extension CaseEvent {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $case, $discussionID, $type, $at, $details, $recordedBy, $createdAt,
        ]
    }
}

extension DutyNote {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $case, $kind, $duty, $discussionKey, $due, $text, $recordedBy, $recordedByName, $createdAt,
        ]
    }
}

extension SlotCell {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $organisationID, $cellStart, $discussionID,
        ]
    }
}
