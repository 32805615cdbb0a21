/// DEC-004-01: the s47 outcome is shared with the strategy discussion's members, and a
/// significant change to it stands only once the original members endorse it.
public struct OutcomeEndorsementRules: Hashable, Sendable {
    /// Who must endorse a significant change.
    public enum Threshold: String, CaseIterable, Hashable, Sendable {
        /// Every original member endorses; one objection rejects it.
        case all
        /// More than half of the original members endorse; it is rejected once that cannot happen.
        case majority

        /// "every original member endorses it", as a clause.
        public var description: String {
            self == .all ? "every original member endorses it" : "more than half of the original members endorse it"
        }
    }

    public let rule: RequirementID
    public let threshold: Threshold
    public let source: String

    public init(rule: RequirementID, threshold: Threshold, source: String) {
        self.rule = rule
        self.threshold = threshold
        self.source = source
    }

    /// Where a proposed change stands, given the members' responses so far.
    public enum Status: String, CaseIterable, Codable, Hashable, Sendable {
        case awaiting
        case stands
        case rejected

        public var label: String {
            switch self {
            case .awaiting: "Awaiting endorsement"
            case .stands: "Endorsed: the change stands"
            case .rejected: "Not endorsed: the original outcome stands"
            }
        }
    }

    public func status(members: Int, endorsed: Int, objected: Int) -> Status {
        switch threshold {
        case .all:
            if objected > 0 { return .rejected }
            return endorsed >= members ? .stands : .awaiting
        case .majority:
            if endorsed * 2 > members { return .stands }
            let undecided = members - endorsed - objected
            return (endorsed + undecided) * 2 > members ? .awaiting : .rejected
        }
    }
}

extension OutcomeEndorsementRules: Decodable {
    enum Keys: String, CodingKey, CaseIterable {
        case rule, endorsedBy, source
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        rule = try c.decode(RequirementID.self, forKey: .rule)
        threshold = try c.decodeTerm(Threshold.self, forKey: .endorsedBy)
        source = try c.decode(String.self, forKey: .source)
    }
}

/// A member's answer to a proposed change of the s47 outcome.
public enum EndorsementResponse: String, CaseIterable, Codable, Hashable, Sendable {
    case endorse
    case object
}
