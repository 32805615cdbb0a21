import ConveneCore
import FluentKit
import Foundation

/// The stored facts of one discussion (issue 13): the columns the performance view filters on,
/// and the whole `DiscussionFacts` as JSON. Written in the same transaction as the change
/// that altered them; `convene oversight rebuild` writes every row again.
public final class DiscussionFactsRecord: Model, @unchecked Sendable {
    public static let schema = "discussion_facts"

    /// The discussion's own id.
    @ID(custom: "id", generatedBy: .user) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "team_id") public var teamID: UUID
    @Field(key: "case_id") public var caseID: UUID
    @Field(key: "pack_id") public var packID: String
    @Field(key: "urgency") public var urgency: Urgency
    @Field(key: "requested_at") public var requestedAt: Date
    @OptionalField(key: "held_at") public var heldAt: Date?
    @OptionalField(key: "deferred_since") public var deferredSince: Date?
    /// The convening deadline's stored status, deadline and late reason (migration 008): the
    /// weekly trend reads these columns instead of every discussion's whole facts.
    @OptionalField(key: "convening_timeliness") public var conveningTimeliness: DutyTimeliness?
    @OptionalField(key: "convening_due") public var conveningDue: Date?
    @OptionalField(key: "convening_late_reason") public var conveningLateReason: Bool?
    @Field(key: "facts") public var facts: DiscussionFacts
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public init(_ facts: DiscussionFacts) {
        id = facts.discussionID
        apply(facts)
    }

    public func apply(_ facts: DiscussionFacts) {
        organisationID = facts.organisationID
        teamID = facts.teamID
        caseID = facts.caseID
        packID = facts.packID
        urgency = facts.urgency
        requestedAt = facts.requestedAt
        heldAt = facts.heldAt
        deferredSince = facts.deferredSince
        conveningTimeliness = facts.convening?.timeliness
        conveningDue = facts.convening?.due
        conveningLateReason = facts.convening?.lateReason
        self.facts = facts
        updatedAt = facts.asOf
    }
}

extension DiscussionFactsRecord {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $organisationID, $teamID, $caseID, $packID, $urgency, $requestedAt, $heldAt, $deferredSince,
            $conveningTimeliness, $conveningDue, $conveningLateReason, $facts, $updatedAt,
        ]
    }
}
