import ConveneCore
import FluentKit
import Foundation

/// An invitee of a discussion: who was invited (and under which rule), their personal access,
/// how they took part (ATT-ALL-03) and when the record reached them.
public final class Invitation: Model, @unchecked Sendable {
    public static let schema = "invitations"

    @ID public var id: UUID?
    @Parent(key: "discussion_id") public var discussion: Discussion
    @Field(key: "organisation_id") public var organisationID: UUID
    @OptionalField(key: "person_id") public var personID: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "email") public var email: String
    /// For someone invited by telephone instead of email (no link is sent).
    @Field(key: "phone") public var phone: String
    @Field(key: "agency") public var agency: String
    @Field(key: "role") public var role: String
    /// The requirement that made them required, e.g. `ATT-001-01`; empty when invited by choice.
    @Field(key: "rule") public var rule: String
    @Field(key: "reason") public var reason: String
    /// False for someone who joined the meeting without an invitation.
    @Field(key: "invited") public var invited: Bool
    @OptionalField(key: "sent_at") public var sentAt: Date?
    @OptionalField(key: "attendance") public var attendance: AttendanceMode?
    /// Personal, non-forwardable access (REQ-001-03): only a hash of the link's token is kept.
    @OptionalField(key: "access_token_hash") public var accessTokenHash: String?
    @OptionalField(key: "access_expires_at") public var accessExpiresAt: Date?
    /// The browser the link was first opened in; later opens elsewhere are refused.
    @OptionalField(key: "access_device_hash") public var accessDeviceHash: String?
    @OptionalField(key: "circulated_version") public var circulatedVersion: Int?
    @OptionalField(key: "circulated_at") public var circulatedAt: Date?
    @OptionalField(key: "opened_at") public var openedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID? = nil, discussionID: UUID, organisationID: UUID, personID: UUID?, name: String, email: String,
                agency: String, role: String, rule: String, reason: String, invited: Bool = true, phone: String = "") {
        self.id = id
        $discussion.id = discussionID
        self.organisationID = organisationID
        self.personID = personID
        self.name = name
        self.email = email.lowercased()
        self.phone = phone
        self.agency = agency
        self.role = role
        self.rule = rule
        self.reason = reason
        self.invited = invited
    }

    public var entry: AttendanceEntry {
        AttendanceEntry(id: id ?? UUID(), name: name, agency: agency, role: role, invited: invited, mode: attendance)
    }
}

extension Invitation {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $discussion, $organisationID, $personID, $name, $email, $phone, $agency, $role, $rule, $reason,
            $invited, $sentAt, $attendance, $accessTokenHash, $accessExpiresAt, $accessDeviceHash,
            $circulatedVersion, $circulatedAt, $openedAt, $createdAt,
        ]
    }
}
