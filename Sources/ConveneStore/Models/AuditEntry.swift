import FluentKit
import Foundation

/// One line of the audit trail: who did what to which object, when and why. Append-only and
/// hash-chained: each entry's hash covers its content and the previous entry's hash, so
/// `convene audit verify` detects any change or deletion (ASVS-5.0-16.4.2).
public final class AuditEntry: Model, @unchecked Sendable {
    public static let schema = "audit_entries"

    @ID public var id: UUID?
    /// Position in the chain, from 1, without gaps.
    @Field(key: "seq") public var seq: Int
    @Field(key: "at") public var at: Date
    @OptionalField(key: "organisation_id") public var organisationID: UUID?
    @OptionalField(key: "actor_id") public var actorID: UUID?
    @Field(key: "actor_name") public var actorName: String
    /// e.g. `login`, `login-failed`, `view`, `create`, `update`, `export`, `access-denied`.
    @Field(key: "action") public var action: String
    @Field(key: "object_type") public var objectType: String
    @OptionalField(key: "object_id") public var objectID: UUID?
    @OptionalField(key: "case_id") public var caseID: UUID?
    /// The children whose records were touched, as lower-case UUIDs separated by spaces.
    @Field(key: "child_ids") public var childIDs: String
    /// Why: the reason given (break-glass, disclosure), or what changed.
    @Field(key: "reason") public var reason: String
    @Field(key: "detail") public var detail: String
    @Field(key: "ip") public var ip: String
    @Field(key: "prev_hash") public var prevHash: String
    @Field(key: "hash") public var hash: String
    /// Set on reads by break-glass, for a manager's review.
    @Field(key: "flagged") public var flagged: Bool

    public init() {}
}

extension AuditEntry {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $seq, $at, $organisationID, $actorID, $actorName, $action, $objectType, $objectID, $caseID,
            $childIDs, $reason, $detail, $ip, $prevHash, $hash, $flagged,
        ]
    }
}
