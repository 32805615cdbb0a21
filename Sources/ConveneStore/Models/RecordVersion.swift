import ConveneCore
import FluentKit
import Foundation

/// One kept version of a discussion's record (REC-002-02: every version and change is kept).
/// Versions are only ever inserted; the SHA-256 of the snapshot lets a court copy be checked.
public final class RecordVersion: Model, @unchecked Sendable {
    public static let schema = "record_versions"

    public enum Kind: String, Codable, CaseIterable, Sendable {
        case draft, final, authorised, corrected

        /// The kinds sent to the invitees (authorised, then corrected versions).
        public var circulated: Bool { self == .authorised || self == .corrected }
    }

    @ID public var id: UUID?
    @Parent(key: "discussion_id") public var discussion: Discussion
    @Field(key: "number") public var number: Int
    @Field(key: "kind") public var kind: Kind
    @Field(key: "snapshot") public var snapshot: RecordSnapshot
    @Field(key: "sha256") public var sha256: String
    @Field(key: "created_by") public var createdBy: UUID
    @Field(key: "note") public var note: String
    /// HMAC of the version (with its SHA-256) under a key held outside the database (`RecordSeal`).
    @Field(key: "seal") public var seal: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(discussionID: UUID, number: Int, kind: Kind, snapshot: RecordSnapshot, sha256: String, createdBy: UUID,
                note: String = "") {
        id = UUID()
        seal = ""
        $discussion.id = discussionID
        self.number = number
        self.kind = kind
        self.snapshot = snapshot
        self.sha256 = sha256
        self.createdBy = createdBy
        self.note = note
    }
}

/// A correction an invitee asks for after circulation (REC-001-01), and the chair's decision.
public final class Correction: Model, @unchecked Sendable {
    public static let schema = "corrections"

    public enum Status: String, Codable, CaseIterable, Sendable {
        case pending, accepted, rejected
    }

    @ID public var id: UUID?
    @Parent(key: "discussion_id") public var discussion: Discussion
    @Field(key: "record_version") public var recordVersion: Int
    @Field(key: "invitation_id") public var invitationID: UUID
    @Field(key: "submitted_by_name") public var submittedByName: String
    @Field(key: "section") public var section: String
    @Field(key: "text") public var text: String
    @Field(key: "status") public var status: Status
    @OptionalField(key: "decided_by") public var decidedBy: UUID?
    @OptionalField(key: "decided_at") public var decidedAt: Date?
    @Field(key: "decision_reason") public var decisionReason: String
    @OptionalField(key: "result_version") public var resultVersion: Int?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(discussionID: UUID, recordVersion: Int, invitationID: UUID, submittedByName: String, section: String,
                text: String) {
        $discussion.id = discussionID
        self.recordVersion = recordVersion
        self.invitationID = invitationID
        self.submittedByName = submittedByName
        self.section = section
        self.text = text
        status = .pending
        decisionReason = ""
    }
}

extension RecordVersion {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $discussion, $number, $kind, $snapshot, $sha256, $createdBy, $note, $seal, $createdAt,
        ]
    }
}

extension Correction {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $discussion, $recordVersion, $invitationID, $submittedByName, $section, $text, $status,
            $decidedBy, $decidedAt, $decisionReason, $resultVersion, $createdAt,
        ]
    }
}
