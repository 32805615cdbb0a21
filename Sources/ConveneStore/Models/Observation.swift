import FluentKit
import Foundation

/// A service manager observed a strategy discussion (OVS-001-01: at least one a month).
public final class Observation: Model, @unchecked Sendable {
    public static let schema = "observations"

    @ID public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "observer_id") public var observerID: UUID
    @Field(key: "discussion_id") public var discussionID: UUID
    @Field(key: "observed_at") public var observedAt: Date
    @Field(key: "notes") public var notes: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(id: UUID? = nil, organisationID: UUID, observerID: UUID, discussionID: UUID, observedAt: Date, notes: String,
                createdAt: Date) {
        self.id = id ?? UUID()
        self.organisationID = organisationID
        self.observerID = observerID
        self.discussionID = discussionID
        self.observedAt = observedAt
        self.notes = notes
        self.createdAt = createdAt
    }
}

extension Observation {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $organisationID, $observerID, $discussionID, $observedAt, $notes, $createdAt,
        ]
    }
}
