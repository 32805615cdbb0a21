import Foundation

/// REQ-003-01 (Devon): which team a child's case belongs to. A child closed to social care
/// within the last 8 weeks goes back to the previous team "for consistency"; once a discussion
/// starts a section 47 enquiry, the case goes to the area team where the child lives, or where
/// the harm happened if the child lives in another authority's area.
public struct TeamRouting: Hashable, Sendable {
    public let rule: RequirementID
    /// How recently the child was closed for the previous team to take it (56 days: 8 weeks).
    public let previousTeamWithinDays: Int
    /// Whether an s47 decision assigns the case to the area team.
    public let assignAfterS47: Bool
    public let source: String

    public init(rule: RequirementID, previousTeamWithinDays: Int, assignAfterS47: Bool, source: String) {
        self.rule = rule
        self.previousTeamWithinDays = previousTeamWithinDays
        self.assignAfterS47 = assignAfterS47
        self.source = source
    }

    /// A team and the areas it covers.
    public struct Team: Hashable, Sendable {
        public let id: String
        public let name: String
        public let areas: [String]

        public init(id: String, name: String, areas: [String]) {
            self.id = id
            self.name = name
            self.areas = areas
        }

        func covers(_ area: String) -> Bool {
            let wanted = area.trimmingCharacters(in: .whitespaces).lowercased()
            return !wanted.isEmpty && areas.contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == wanted }
        }
    }

    /// The team chosen, and why, in words for the audit trail and the case timeline.
    public struct Decision: Hashable, Sendable {
        public let teamID: String
        public let reason: String
    }

    /// At the request: the previous team, if the child was closed to it recently enough.
    public func atRequest(closedOn: LocalDate?, previousTeam: Team?, requestedOn: LocalDate) -> Decision? {
        guard let closedOn, let previousTeam, closedOn <= requestedOn,
              requestedOn.dayNumber - closedOn.dayNumber <= previousTeamWithinDays else { return nil }
        return Decision(teamID: previousTeam.id, reason: "Closed to social care on \(UKDisplay.date(closedOn)), within "
            + "\(previousTeamWithinDays / 7) weeks: assigned to the previous team, \(previousTeam.name) (\(rule))")
    }

    /// After a discussion starts a section 47 enquiry: the team covering where the child lives,
    /// else the team covering where the harm happened.
    public func afterS47(childArea: String, harmArea: String, teams: [Team]) -> Decision? {
        guard assignAfterS47 else { return nil }
        if let team = teams.first(where: { $0.covers(childArea) }) {
            return Decision(teamID: team.id, reason: "Section 47 enquiry: the child lives in \(childArea.trimmingCharacters(in: .whitespaces)), "
                + "covered by \(team.name) (\(rule))")
        }
        if let team = teams.first(where: { $0.covers(harmArea) }) {
            return Decision(teamID: team.id, reason: "Section 47 enquiry: the child lives outside the area; the harm happened in "
                + "\(harmArea.trimmingCharacters(in: .whitespaces)), covered by \(team.name) (\(rule))")
        }
        return nil
    }
}

extension TeamRouting: Decodable {
    enum Keys: String, CodingKey, CaseIterable {
        case rule, previousTeamWithinDays, assignAfterS47, source
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        rule = try c.decode(RequirementID.self, forKey: .rule)
        previousTeamWithinDays = try c.decode(Int.self, forKey: .previousTeamWithinDays)
        guard previousTeamWithinDays >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .previousTeamWithinDays, in: c, debugDescription: "must be 0 or more")
        }
        assignAfterS47 = try c.decodeIfPresent(Bool.self, forKey: .assignAfterS47) ?? false
        source = try c.decode(String.self, forKey: .source)
    }
}
