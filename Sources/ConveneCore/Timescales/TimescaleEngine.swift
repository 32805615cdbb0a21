import Foundation

/// Works out every duty of a case under a pack: a pure function of the timeline, the time of
/// asking and the pack's rules. Where several rules apply to one duty the earliest deadline
/// wins, so the child is never given the slower of two timescales.
public struct TimescaleEngine: Sendable {
    public let pack: ProcedurePack
    private let rulesByDuty: [(duty: Duty, rules: [TimescaleRule])]

    public init(pack: ProcedurePack) {
        self.pack = pack
        rulesByDuty = Duty.allCases.compactMap { duty in
            let rules = pack.timescales.filter { $0.duty == duty }
            return rules.isEmpty ? nil : (duty, rules)
        }
    }

    public func evaluate(_ timeline: Timeline, asOf: Date, overrides: [DeadlineOverride] = []) -> [DutyAssessment] {
        let facts = Facts(timeline)
        var result: [DutyAssessment] = []
        for (duty, rules) in rulesByDuty {
            if duty.isPerDiscussion {
                for discussion in facts.discussions {
                    if let assessment = assess(duty, rules: rules, facts: facts, discussion: discussion, asOf: asOf) {
                        result.append(assessment)
                    }
                }
            } else if let assessment = assess(duty, rules: rules, facts: facts, discussion: nil, asOf: asOf) {
                result.append(assessment)
            }
        }
        return overrides.isEmpty ? result : result.map { apply(overrides, to: $0, asOf: asOf) }
    }

    // MARK: - One duty

    private func assess(_ duty: Duty, rules: [TimescaleRule], facts: Facts, discussion: HeldDiscussion?,
                        asOf: Date) -> DutyAssessment? {
        let fulfilment = fulfilment(of: duty, facts: facts, discussion: discussion)
        var best: (rule: TimescaleRule, basis: DutyBasis, due: Date)?
        var unmatched: (rule: TimescaleRule, basis: DutyBasis)?
        for rule in rules {
            guard let basis = basis(for: rule, facts: facts, discussion: discussion, fulfilledAt: fulfilment.at) else {
                continue
            }
            guard matches(rule.when, facts: facts, basis: basis, discussion: discussion),
                  let due = due(rule.within, basis: basis, facts: facts, discussion: discussion) else {
                if unmatched == nil && rule.listNotRequired { unmatched = (rule, basis) }
                continue
            }
            // A time agreed by the manager on an `other` request replaces the pack's standard
            // timescales (REQ-001-01, TIME-002-02: later only with a manager's authorisation);
            // otherwise the earliest deadline wins.
            let agreed = rule.within == .agreedDue
            let bestAgreed = best?.rule.within == .agreedDue
            if best == nil || (agreed && !bestAgreed) || (agreed == bestAgreed && due < best!.due) {
                best = (rule, basis, due)
            }
        }
        guard let best else {
            // The trigger happened but no rule's conditions hold: the pack does not ask for it.
            guard let unmatched else { return nil }
            return DutyAssessment(duty: duty, discussion: discussion?.id, due: nil, status: .notRequired,
                                  rule: unmatched.rule.rule, timescale: unmatched.rule.within,
                                  wording: unmatched.rule.wording, source: unmatched.rule.source,
                                  basis: unmatched.basis, fulfilledAt: nil, override: nil)
        }
        let status: DutyStatus
        if fulfilment.notRequired {
            status = .notRequired
        } else if let at = fulfilment.at {
            status = at <= best.due ? .met : .missed
        } else {
            status = asOf > best.due ? .missed : .open
        }
        return DutyAssessment(duty: duty, discussion: discussion?.id, due: best.due, status: status,
                              rule: best.rule.rule, timescale: best.rule.within, wording: best.rule.wording,
                              source: best.rule.source, basis: best.basis, fulfilledAt: fulfilment.at, override: nil)
    }

    /// The event the rule counts from: the first of its `from` kinds that has happened (and,
    /// for a duty already done, preferably one that happened before it was done: a discussion
    /// held before the request was written down still met the request's timescale).
    private func basis(for rule: TimescaleRule, facts: Facts, discussion: HeldDiscussion?, fulfilledAt: Date?) -> DutyBasis? {
        basis(for: rule, facts: facts, discussion: discussion, notAfter: fulfilledAt)
            ?? (fulfilledAt == nil ? nil : basis(for: rule, facts: facts, discussion: discussion, notAfter: nil))
    }

    private func basis(for rule: TimescaleRule, facts: Facts, discussion: HeldDiscussion?, notAfter fulfilledAt: Date?) -> DutyBasis? {
        for kind in rule.from {
            let candidate: DutyBasis?
            switch kind {
            case .concernReceived: candidate = facts.concern.map { DutyBasis(kind: kind, at: $0, discussion: nil) }
            case .immediateAction: candidate = facts.immediateAction.map { DutyBasis(kind: kind, at: $0, discussion: nil) }
            case .requestMade: candidate = facts.request.map { DutyBasis(kind: kind, at: $0.at, discussion: nil) }
            case .discussionHeld: candidate = discussion.map { DutyBasis(kind: kind, at: $0.at, discussion: $0.id) }
            case .s47Decision: candidate = facts.s47Decision.map { DutyBasis(kind: kind, at: $0.at, discussion: $0.id) }
            }
            if let candidate, fulfilledAt.map({ candidate.at <= $0 }) ?? true {
                return candidate
            }
        }
        return nil
    }

    private func matches(_ when: RuleCondition, facts: Facts, basis: DutyBasis, discussion: HeldDiscussion?) -> Bool {
        if let type = when.caseType, type != facts.timeline.facts.type { return false }
        if let complex = when.complex, complex != facts.timeline.facts.complex { return false }
        if let immediate = when.immediateConcerns, immediate != facts.immediateConcerns { return false }
        if let urgencies = when.urgency {
            guard basis.kind == .requestMade, let urgency = facts.request?.urgency, urgencies.contains(urgency) else {
                return false
            }
        }
        if when.needsDiscussionBasis {
            guard let discussion else { return false }
            if let outcomes = when.outcome {
                guard let outcome = discussion.outcome, outcomes.contains(outcome) else { return false }
            }
            if let lado = when.ladoReferralNeeded, lado != discussion.ladoReferralNeeded { return false }
            if let set = when.furtherDiscussionSet, set != (discussion.furtherDiscussionBy != nil) { return false }
            if let open = when.enquiryOpen {
                let completedBefore = facts.s47Completions.contains { $0.at <= discussion.at }
                if open == completedBefore { return false }
            }
        }
        return true
    }

    private func due(_ within: Timescale, basis: DutyBasis, facts: Facts, discussion: HeldDiscussion?) -> Date? {
        switch within {
        case let .elapsed(seconds):
            return basis.at.addingTimeInterval(TimeInterval(seconds))
        case let .workingDays(n):
            return pack.calendar.endOfWorkingDays(n, after: basis.at)
        case .sameDay:
            return pack.calendar.endOfSameDay(basis.at)
        case .agreedDue:
            return facts.request?.agreedDue
        case .furtherDiscussionBy:
            return discussion?.furtherDiscussionBy
        }
    }

    // MARK: - What fulfils each duty

    private struct Fulfilment {
        var at: Date?
        var notRequired = false
    }

    private func fulfilment(of duty: Duty, facts: Facts, discussion: HeldDiscussion?) -> Fulfilment {
        switch duty {
        case .strategyDiscussion:
            // A request the manager declined owes no discussion (REQ-001-02), unless one was held.
            let held = facts.discussions.first?.at
            return Fulfilment(at: held, notRequired: held == nil && facts.declined != nil)
        case .faceToFaceMeeting:
            let held = facts.discussions.first { $0.faceToFace }?.at
            return Fulfilment(at: held, notRequired: held == nil && facts.discussions.isEmpty && facts.declined != nil)
        case .actionSummary:
            return Fulfilment(at: facts.first(.actionSummaryIssued, for: discussion))
        case .minutesAuthorisation:
            return Fulfilment(at: facts.first(.minutesAuthorised, for: discussion))
        case .minutesCirculation:
            return Fulfilment(at: facts.first(.minutesCirculated, for: discussion))
        case .ladoReferral:
            let after = discussion?.at ?? .distantPast
            return Fulfilment(at: facts.ladoReferrals.first { $0 >= after })
        case .reviewDiscussion:
            guard let discussion else { return Fulfilment() }
            return Fulfilment(at: facts.discussions.first { $0.at > discussion.at }?.at)
        case .s47Completion:
            let after = facts.s47Decision?.at ?? .distantPast
            return Fulfilment(at: facts.s47Completions.first { $0.at >= after }?.at)
        case .icpc:
            let after = facts.s47Decision?.at ?? .distantPast
            if let held = facts.icpcs.first(where: { $0 >= after }) {
                return Fulfilment(at: held)
            }
            // The s47 enquiry decides whether a conference is needed (DEC-000-01).
            let decidedAgainst = facts.s47Completions.contains { $0.at >= after && $0.icpcRequired == false }
            return Fulfilment(at: nil, notRequired: decidedAgainst)
        case .assessment:
            return Fulfilment(at: facts.assessments.first)
        }
    }

    private func apply(_ overrides: [DeadlineOverride], to assessment: DutyAssessment, asOf: Date) -> DutyAssessment {
        guard assessment.status != .notRequired,
              let override = overrides.last(where: { $0.duty == assessment.duty && $0.discussion == assessment.discussion })
        else { return assessment }
        let status: DutyStatus
        if let at = assessment.fulfilledAt {
            status = at <= override.due ? .met : .missed
        } else {
            status = asOf > override.due ? .missed : .open
        }
        return DutyAssessment(duty: assessment.duty, discussion: assessment.discussion, due: override.due,
                              status: status, rule: assessment.rule, timescale: assessment.timescale,
                              wording: assessment.wording, source: assessment.source, basis: assessment.basis,
                              fulfilledAt: assessment.fulfilledAt, override: override)
    }
}

/// The timeline indexed once per evaluation: first occurrences and per-type lists.
private struct Facts {
    let timeline: Timeline
    var concern: Date?
    var immediateAction: Date?
    var request: (at: Date, urgency: Urgency, agreedDue: Date?)?
    var declined: Date?
    var discussions: [HeldDiscussion] = []
    var s47Decision: HeldDiscussion?
    var s47Completions: [(at: Date, icpcRequired: Bool?)] = []
    var ladoReferrals: [Date] = []
    var icpcs: [Date] = []
    var assessments: [Date] = []
    var perDiscussion: [(type: EventType, discussion: String, at: Date)] = []

    init(_ timeline: Timeline) {
        self.timeline = timeline
        for event in timeline.events {
            switch event {
            case let .concernReceived(at):
                if concern == nil { concern = at }
            case let .immediateAction(at):
                if immediateAction == nil { immediateAction = at }
            case let .requestMade(at, urgency, agreedDue, _):
                if request == nil { request = (at, urgency, agreedDue) }
            case let .requestDeclined(at):
                if declined == nil { declined = at }
            case let .discussionHeld(discussion):
                discussions.append(discussion)
                if s47Decision == nil, discussion.outcome?.startsS47 == true { s47Decision = discussion }
            case let .actionSummaryIssued(at, id), let .minutesAuthorised(at, id), let .minutesCirculated(at, id):
                perDiscussion.append((event.type, id, at))
            case let .ladoReferralMade(at):
                ladoReferrals.append(at)
            case let .s47Completed(at, icpcRequired):
                s47Completions.append((at, icpcRequired))
            case let .icpcHeld(at):
                icpcs.append(at)
            case let .assessmentCompleted(at):
                assessments.append(at)
            }
        }
    }

    /// Immediate safeguarding concerns: said of the case, or the request's urgency is
    /// `immediate` (TIME-004-01: one notion of urgency drives deadlines and quoracy alike).
    var immediateConcerns: Bool {
        timeline.facts.immediateConcerns || request?.urgency == .immediate
    }

    func first(_ type: EventType, for discussion: HeldDiscussion?) -> Date? {
        guard let discussion else { return nil }
        return perDiscussion.first { $0.type == type && $0.discussion == discussion.id }?.at
    }
}
