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
    public let basis: DutyBasis
    public let fulfilledAt: Date?
    /// What the rule says, shared by every assessment under it: one reference to count
    /// instead of four strings, and a small value to copy (issue 12: a million a second).
    private let ruleText: RuleText
    private let overrideBox: OverrideBox?

    public var rule: RequirementID { ruleText.rule }
    public var timescale: Timescale { ruleText.timescale }
    public var wording: String? { ruleText.wording }
    public var source: String { ruleText.source }
    public var override: DeadlineOverride? { overrideBox?.value }

    /// How the rule reads, in the source's words where the pack records them.
    public var timescaleText: String {
        wording ?? timescale.wording
    }

    init(duty: Duty, discussion: String?, due: Date?, status: DutyStatus, rule: RuleText, basis: DutyBasis, fulfilledAt: Date?,
         override: DeadlineOverride?) {
        self.duty = duty
        self.discussion = discussion
        self.due = due
        self.status = status
        self.ruleText = rule
        self.basis = basis
        self.fulfilledAt = fulfilledAt
        self.overrideBox = override.map(OverrideBox.init)
    }

    /// The same assessment under a manager's changed deadline.
    func overridden(by override: DeadlineOverride, status: DutyStatus) -> DutyAssessment {
        DutyAssessment(duty: duty, discussion: discussion, due: override.due, status: status, rule: ruleText, basis: basis,
                       fulfilledAt: fulfilledAt, override: override)
    }
}

/// A timescale rule's reference, timescale and wording, as the engine reports them.
final class RuleText: Hashable, Sendable {
    let rule: RequirementID
    let timescale: Timescale
    let wording: String?
    let source: String

    init(rule: RequirementID, timescale: Timescale, wording: String?, source: String) {
        self.rule = rule
        self.timescale = timescale
        self.wording = wording
        self.source = source
    }

    convenience init(_ rule: TimescaleRule) {
        self.init(rule: rule.rule, timescale: rule.within, wording: rule.wording, source: rule.source)
    }

    static func == (lhs: RuleText, rhs: RuleText) -> Bool {
        lhs === rhs || (lhs.rule == rhs.rule && lhs.timescale == rhs.timescale && lhs.wording == rhs.wording && lhs.source == rhs.source)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(rule)
        hasher.combine(timescale)
        hasher.combine(wording)
        hasher.combine(source)
    }
}

/// A deadline override held by reference: most assessments have none, and the value is large.
final class OverrideBox: Hashable, Sendable {
    let value: DeadlineOverride

    init(_ value: DeadlineOverride) {
        self.value = value
    }

    static func == (lhs: OverrideBox, rhs: OverrideBox) -> Bool {
        lhs.value == rhs.value
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(value)
    }
}
