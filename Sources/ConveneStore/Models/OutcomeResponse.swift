import ConveneCore
import FluentKit
import Foundation

/// DEC-004-01: one original member's endorsement of, or objection to, a proposed change of
/// the s47 outcome, with their reason. One per member per change.
public final class OutcomeResponse: Model, @unchecked Sendable {
    public static let schema = "outcome_responses"

    @ID public var id: UUID?
    @Field(key: "change_id") public var changeID: UUID
    @Field(key: "invitation_id") public var invitationID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "agency") public var agency: String
    @Field(key: "response") public var response: EndorsementResponse
    @Field(key: "reason") public var reason: String
    @Field(key: "responded_at") public var respondedAt: Date

    public init() {}

    public init(changeID: UUID, invitationID: UUID, name: String, agency: String, response: EndorsementResponse, reason: String,
                respondedAt: Date) {
        self.changeID = changeID
        self.invitationID = invitationID
        self.name = name
        self.agency = agency
        self.response = response
        self.reason = reason
        self.respondedAt = respondedAt
    }
}

extension OutcomeResponse {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $changeID, $invitationID, $name, $agency, $response, $reason, $respondedAt,
        ]
    }
}
