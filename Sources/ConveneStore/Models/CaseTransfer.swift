import FluentKit
import Foundation

/// REQ-003-01: a case moved between teams, by the procedure's routing or by a manager. The new
/// team gains access to the case; the old team keeps read access to the discussions it held.
public final class CaseTransfer: Model, @unchecked Sendable {
    public static let schema = "case_transfers"

    @ID public var id: UUID?
    @Field(key: "case_id") public var caseID: UUID
    @Field(key: "from_team_id") public var fromTeamID: UUID
    @Field(key: "to_team_id") public var toTeamID: UUID
    @Field(key: "reason") public var reason: String
    /// Nil when the procedure's routing moved it.
    @OptionalField(key: "transferred_by") public var transferredBy: UUID?
    @Field(key: "transferred_by_name") public var transferredByName: String
    @Field(key: "at") public var at: Date

    public init() {}

    public init(caseID: UUID, fromTeamID: UUID, toTeamID: UUID, reason: String, transferredBy: UUID?, transferredByName: String,
                at: Date) {
        self.caseID = caseID
        self.fromTeamID = fromTeamID
        self.toTeamID = toTeamID
        self.reason = reason
        self.transferredBy = transferredBy
        self.transferredByName = transferredByName
        self.at = at
    }
}

extension CaseTransfer {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $caseID, $fromTeamID, $toTeamID, $reason, $transferredBy, $transferredByName, $at,
        ]
    }
}
