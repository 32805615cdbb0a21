import Foundation

/// The event a deadline counts from: "request-made at 2026-12-24T10:00:00Z".
public struct DutyBasis: Hashable, Sendable {
    public let kind: BasisKind
    public let at: Date
    public let discussion: String?

    public var description: String {
        let what: String
        switch kind {
        case .discussionHeld: what = "discussion-held \(discussion ?? "")"
        case .s47Decision: what = "discussion-held \(discussion ?? "") (s47 decided)"
        default: what = kind.rawValue
        }
        return "\(what) at \(RFC3339.format(at))"
    }
}

/// A manager's recorded change to a deadline (INT-ALL-06).
public struct DeadlineOverride: Hashable, Sendable {
    public let duty: Duty
    public let discussion: String?
    public let due: Date
    public let rationale: String
    public let approvedBy: String

    public init(duty: Duty, discussion: String?, due: Date, rationale: String, approvedBy: String) {
        self.duty = duty
        self.discussion = discussion
        self.due = due
        self.rationale = rationale
        self.approvedBy = approvedBy
    }
}

/// One duty of a case, worked out: when it is due, by which rule, from which event, and
/// whether it was met (the timescale engine's output, one per duty and discussion).
public struct DutyAssessment: Hashable, Sendable {
    public let duty: Duty
    public let discussion: String?
    /// Nil only when `status` is `notRequired`.
    public let due: Date?
    public let status: DutyStatus
    public let rule: RequirementID
    public let timescale: Timescale
    public let wording: String?
    public let source: String
    public let basis: DutyBasis
    public let fulfilledAt: Date?
    public let override: DeadlineOverride?

    /// How the rule reads, in the source's words where the pack records them.
    public var timescaleText: String {
        wording ?? timescale.wording
    }
}
