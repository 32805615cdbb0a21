import ConveneCore
import FluentKit
import Foundation

/// The decisions for one child at one discussion (DEC-*).
public final class ChildDecisionRecord: Model, @unchecked Sendable {
    public static let schema = "child_decisions"

    @ID public var id: UUID?
    @Parent(key: "discussion_id") public var discussion: Discussion
    @Field(key: "child_id") public var childID: UUID
    @Field(key: "decision") public var decision: ChildDecision
    @Field(key: "updated_by") public var updatedBy: UUID
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(discussionID: UUID, childID: UUID, decision: ChildDecision, updatedBy: UUID) {
        $discussion.id = discussionID
        self.childID = childID
        self.decision = decision
        self.updatedBy = updatedBy
    }
}

extension ChildDecisionRecord {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $discussion, $childID, $decision, $updatedBy, $updatedAt,
        ]
    }
}
