import ConveneCore
import FluentKit
import Foundation

/// A SMART action or safety plan item (ACT-*), with its progress.
public final class ActionRecord: Model, @unchecked Sendable {
    public static let schema = "actions"

    @ID public var id: UUID?
    @Parent(key: "discussion_id") public var discussion: Discussion
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "team_id") public var teamID: UUID
    @Field(key: "kind") public var kind: SmartAction.Kind
    @OptionalField(key: "term") public var term: SmartAction.Term?
    @Field(key: "what") public var what: String
    @Field(key: "owner") public var owner: String
    @OptionalField(key: "owner_person_id") public var ownerPersonID: UUID?
    @Field(key: "agency") public var agency: String
    /// `YYYY-MM-DD`: a date, not a time.
    @OptionalField(key: "due") public var due: String?
    @Field(key: "purpose") public var purpose: String
    @Field(key: "review") public var review: String
    @OptionalField(key: "child_id") public var childID: UUID?
    @Field(key: "status") public var status: SmartAction.Status
    @Field(key: "status_note") public var statusNote: String
    @OptionalField(key: "completed_at") public var completedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(discussionID: UUID, organisationID: UUID, teamID: UUID, action: SmartAction) {
        id = action.id
        $discussion.id = discussionID
        self.organisationID = organisationID
        self.teamID = teamID
        apply(action)
    }

    public func apply(_ action: SmartAction) {
        kind = action.kind
        term = action.term
        what = action.what
        owner = action.owner
        ownerPersonID = action.ownerPersonID
        agency = action.agency
        due = action.due?.description
        purpose = action.purpose
        review = action.review
        childID = action.childID
        status = action.status
        statusNote = action.statusNote
        completedAt = action.completedAt
    }

    public var smartAction: SmartAction {
        SmartAction(id: id ?? UUID(), kind: kind, term: term, what: what, owner: owner, ownerPersonID: ownerPersonID,
                    agency: agency, due: due.flatMap(LocalDate.init), purpose: purpose, review: review, childID: childID,
                    status: status, statusNote: statusNote, completedAt: completedAt)
    }
}

extension ActionRecord {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $discussion, $organisationID, $teamID, $kind, $term, $what, $owner, $ownerPersonID, $agency,
            $due, $purpose, $review, $childID, $status, $statusNote, $completedAt, $createdAt, $updatedAt,
        ]
    }
}
