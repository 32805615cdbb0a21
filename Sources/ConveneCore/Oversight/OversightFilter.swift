import Foundation

/// Which discussions a performance view counts: the teams, procedure and urgency chosen, and
/// for a partner agency its own agency's attendance and actions.
public struct OversightFilter: Hashable, Sendable {
    /// Nil: every team the person may see.
    public var team: UUID?
    public var packID: String?
    public var urgency: Urgency?
    /// A partner agency sees only its own agency's attendance and actions.
    public var agency: String?

    public init(team: UUID? = nil, packID: String? = nil, urgency: Urgency? = nil, agency: String? = nil) {
        self.team = team
        self.packID = packID
        self.urgency = urgency
        self.agency = agency
    }

    public func matches(_ facts: DiscussionFacts) -> Bool {
        if let team, facts.teamID != team { return false }
        if let packID, facts.packID != packID { return false }
        if let urgency, facts.urgency != urgency { return false }
        return true
    }
}
