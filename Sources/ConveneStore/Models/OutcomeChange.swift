import ConveneCore
import FluentKit
import Foundation

/// DEC-004-01: a significant change proposed to the outcome of a section 47 enquiry, put to
/// the members of the strategy discussion that decided it.
public final class OutcomeChange: Model, @unchecked Sendable {
    public static let schema = "outcome_changes"

    @ID public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "case_id") public var caseID: UUID
    /// The discussion whose members endorse it (the one that decided the s47 enquiry).
    @Field(key: "discussion_id") public var discussionID: UUID
    @Field(key: "change") public var change: String
    @Field(key: "reason") public var reason: String
    @Field(key: "proposed_by") public var proposedBy: UUID
    @Field(key: "proposed_by_name") public var proposedByName: String
    @Field(key: "proposed_at") public var proposedAt: Date
    /// How many members it is put to: fixed when proposed.
    @Field(key: "members") public var members: Int
    @Field(key: "status") public var status: OutcomeEndorsementRules.Status
    @OptionalField(key: "decided_at") public var decidedAt: Date?

    public init() {}

    public init(organisationID: UUID, caseID: UUID, discussionID: UUID, change: String, reason: String, proposedBy: UUID,
                proposedByName: String, proposedAt: Date, members: Int) {
        self.organisationID = organisationID
        self.caseID = caseID
        self.discussionID = discussionID
        self.change = change
        self.reason = reason
        self.proposedBy = proposedBy
        self.proposedByName = proposedByName
        self.proposedAt = proposedAt
        self.members = members
        status = .awaiting
    }
}

extension OutcomeChange {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $organisationID, $caseID, $discussionID, $change, $reason, $proposedBy, $proposedByName,
            $proposedAt, $members, $status, $decidedAt,
        ]
    }
}
