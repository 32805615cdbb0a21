import Foundation

/// Works out every duty of a case under a pack: a pure function of the timeline, the time of
/// asking and the pack's rules. Where several rules apply to one duty the earliest deadline
/// wins, so the child is never given the slower of two timescales.
public struct TimescaleEngine: Sendable {
    public let pack: ProcedurePack
    /// The pack's rules by duty, compiled to plain values: the evaluation loop then copies
    /// nothing that needs reference counting (issue 12: a million evaluations a second).
    private let rulesByDuty: [(duty: Duty, rules: Range<Int>)]
    /// Every compiled rule, grouped by duty (`rulesByDuty` holds each duty's range): one array,
    /// so that walking the duties counts no references.
    private let rules: [CompiledRule]
    /// What each of the pack's rules says, by the rule's index, shared by its assessments.
    private let ruleTexts: [RuleText]

    public init(pack: ProcedurePack) {
        self.pack = pack
        let all = pack.timescales
        ruleTexts = all.map(RuleText.init)
        var rules: [CompiledRule] = []
        var rulesByDuty: [(duty: Duty, rules: Range<Int>)] = []
        for duty in Duty.allCases {
            let start = rules.count
            rules += all.indices.filter { all[$0].duty == duty }.map { CompiledRule(all[$0], index: $0) }
            if rules.count > start { rulesByDuty.append((duty, start..<rules.count)) }
        }
        self.rules = rules
        self.rulesByDuty = rulesByDuty
    }

    public func evaluate(_ timeline: Timeline, asOf: Date, overrides: [DeadlineOverride] = []) -> [DutyAssessment] {
        // The timeline's index lives on the stack for the evaluation (a case has a few dozen
        // events at most): no allocation and no reference counted but the result's (issue 12:
        // a million evaluations a second).
        let count = timeline.events.count
        let result = timeline.events.withUnsafeBufferPointer { events in
            withUnsafeTemporaryAllocation(of: HeldFacts.self, capacity: count) { held in
                withUnsafeTemporaryAllocation(of: DatedFacts.self, capacity: count) { dated in
                    evaluate(Facts(timeline.facts, events: events, held: held, dated: dated), asOf: asOf)
                }
            }
        }
        return overrides.isEmpty ? result : result.map { apply(overrides, to: $0, asOf: asOf) }
    }

    private func evaluate(_ facts: Facts, asOf: Date) -> [DutyAssessment] {
        var result: [DutyAssessment] = []
        result.reserveCapacity(8)  // about five duties a case on average: one allocation, small
        for (duty, rules) in rulesByDuty {
            if duty.isPerDiscussion {
                for discussion in 0..<facts.heldCount {
                    if let assessment = assess(duty, rules: rules, facts: facts, discussion: discussion, asOf: asOf) {
                        result.append(assessment)
                    }
                }
            } else if let assessment = assess(duty, rules: rules, facts: facts, discussion: nil, asOf: asOf) {
                result.append(assessment)
            }
        }
        return result
    }

    // MARK: - One duty

    /// The event a deadline counts from, while rules are compared: the discussion as an index.
    private struct Basis {
        let kind: BasisKind
        let at: Date
        let discussion: Int?
    }

    private func assess(_ duty: Duty, rules range: Range<Int>, facts: Facts, discussion: Int?, asOf: Date) -> DutyAssessment? {
        let fulfilment = fulfilment(of: duty, facts: facts, discussion: discussion)
        var best: (rule: Int, agreed: Bool, basis: Basis, due: Date)?
        var unmatched: (rule: Int, basis: Basis)?
        for i in range {
            let rule = rules[i]
            guard let basis = basis(for: rule, facts: facts, discussion: discussion, fulfilledAt: fulfilment.at) else {
                continue
            }
            guard matches(rule, facts: facts, basis: basis, discussion: discussion),
                  let due = due(rule.within, basis: basis, facts: facts, discussion: discussion) else {
                if unmatched == nil && rule.listNotRequired { unmatched = (rule.index, basis) }
                continue
            }
            // A time agreed by the manager on an `other` request replaces the pack's standard
            // timescales (REQ-001-01, TIME-002-02: later only with a manager's authorisation);
            // otherwise the earliest deadline wins.
            let agreed = rule.within == .agreedDue
            if best == nil || (agreed && !best!.agreed) || (agreed == best!.agreed && due < best!.due) {
                best = (rule.index, agreed, basis, due)
            }
        }
        let id = discussion.map { facts.id($0) }
        guard let best else {
            // The trigger happened but no rule's conditions hold: the pack does not ask for it.
            guard let unmatched else { return nil }
            return DutyAssessment(duty: duty, discussion: id, due: nil, status: .notRequired, rule: ruleTexts[unmatched.rule],
                                  basis: dutyBasis(unmatched.basis, facts), fulfilledAt: nil, override: nil)
        }
        let status: DutyStatus
        if fulfilment.notRequired {
            status = .notRequired
        } else if let at = fulfilment.at {
            status = at <= best.due ? .met : .missed
        } else {
            status = asOf > best.due ? .missed : .open
        }
        return DutyAssessment(duty: duty, discussion: id, due: best.due, status: status, rule: ruleTexts[best.rule],
                              basis: dutyBasis(best.basis, facts), fulfilledAt: fulfilment.at, override: nil)
    }

    private func dutyBasis(_ basis: Basis, _ facts: Facts) -> DutyBasis {
        DutyBasis(kind: basis.kind, at: basis.at, discussion: basis.discussion.map { facts.id($0) })
    }

    /// The event the rule counts from: the first of its `from` kinds that has happened (and,
    /// for a duty already done, preferably one that happened before it was done: a discussion
    /// held before the request was written down still met the request's timescale).
    private func basis(for rule: CompiledRule, facts: Facts, discussion: Int?, fulfilledAt: Date?) -> Basis? {
        basis(for: rule, facts: facts, discussion: discussion, notAfter: fulfilledAt)
            ?? (fulfilledAt == nil ? nil : basis(for: rule, facts: facts, discussion: discussion, notAfter: nil))
    }

    private func basis(for rule: CompiledRule, facts: Facts, discussion: Int?, notAfter fulfilledAt: Date?) -> Basis? {
        for position in 0..<rule.from.count {
            let kind = rule.from[position]
            let candidate: Basis?
            switch kind {
            case .concernReceived: candidate = facts.concern.map { Basis(kind: kind, at: $0, discussion: nil) }
            case .immediateAction: candidate = facts.immediateAction.map { Basis(kind: kind, at: $0, discussion: nil) }
            case .requestMade: candidate = facts.request.map { Basis(kind: kind, at: $0.at, discussion: nil) }
            case .discussionHeld: candidate = discussion.map { Basis(kind: kind, at: facts.held[$0].at, discussion: $0) }
            case .s47Decision: candidate = facts.s47Decision.map { Basis(kind: kind, at: facts.held[$0].at, discussion: $0) }
            }
            if let candidate, fulfilledAt.map({ candidate.at <= $0 }) ?? true {
                return candidate
            }
        }
        return nil
    }

    private func matches(_ rule: CompiledRule, facts: Facts, basis: Basis, discussion: Int?) -> Bool {
        if let type = rule.caseType, type != facts.caseType { return false }
        if let complex = rule.complex, complex != facts.complex { return false }
        if let immediate = rule.immediateConcerns, immediate != facts.immediateConcerns { return false }
        if let urgencies = rule.urgencies {
            guard basis.kind == .requestMade, let urgency = facts.request?.urgency, urgencies.contains(urgency) else {
                return false
            }
        }
        if rule.needsDiscussionBasis {
            guard let index = discussion else { return false }
            let held = facts.held[index]
            if let outcomes = rule.outcomes {
                guard let outcome = held.outcome, outcomes.contains(outcome) else { return false }
            }
            if let lado = rule.ladoReferralNeeded, lado != held.ladoReferralNeeded { return false }
            if let set = rule.furtherDiscussionSet, set != (held.furtherDiscussionBy != nil) { return false }
            if let open = rule.enquiryOpen {
                let completedBefore = facts.contains(.s47Completed) { $0.at <= held.at }
                if open == completedBefore { return false }
            }
        }
        return true
    }

    private func due(_ within: Timescale, basis: Basis, facts: Facts, discussion: Int?) -> Date? {
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
            return discussion.flatMap { facts.held[$0].furtherDiscussionBy }
        }
    }

    // MARK: - What fulfils each duty

    /// `Date.distantPast`'s instant as a plain value (reading Foundation's property goes through a
    /// one-time initialisation check on every call).
    private static var distantPast: Date { Date(timeIntervalSinceReferenceDate: -63_114_076_800) }

    private struct Fulfilment {
        var at: Date?
        var notRequired = false
    }

    private func fulfilment(of duty: Duty, facts: Facts, discussion: Int?) -> Fulfilment {
        switch duty {
        case .strategyDiscussion:
            // A request the manager declined owes no discussion (REQ-001-02), unless one was held.
            let held = facts.heldCount > 0 ? facts.held[0].at : nil
            return Fulfilment(at: held, notRequired: held == nil && facts.declined != nil)
        case .faceToFaceMeeting:
            let held = facts.firstHeld { $0.faceToFace }?.at
            return Fulfilment(at: held, notRequired: held == nil && facts.heldCount == 0 && facts.declined != nil)
        case .actionSummary:
            return Fulfilment(at: facts.first(.actionSummaryIssued, for: discussion))
        case .minutesAuthorisation:
            return Fulfilment(at: facts.first(.minutesAuthorised, for: discussion))
        case .minutesCirculation:
            return Fulfilment(at: facts.first(.minutesCirculated, for: discussion))
        case .ladoReferral:
            let after = discussion.map { facts.held[$0].at } ?? Self.distantPast
            return Fulfilment(at: facts.first(.ladoReferralMade) { $0.at >= after }?.at)
        case .reviewDiscussion:
            guard let discussion else { return Fulfilment() }
            let held = facts.held[discussion].at
            return Fulfilment(at: facts.firstHeld { $0.at > held }?.at)
        case .s47Completion:
            let after = facts.s47Decision.map { facts.held[$0].at } ?? Self.distantPast
            return Fulfilment(at: facts.first(.s47Completed) { $0.at >= after }?.at)
        case .icpc:
            let after = facts.s47Decision.map { facts.held[$0].at } ?? Self.distantPast
            if let held = facts.first(.icpcHeld, where: { $0.at >= after }) {
                return Fulfilment(at: held.at)
            }
            // The s47 enquiry decides whether a conference is needed (DEC-000-01).
            let decidedAgainst = facts.contains(.s47Completed) { $0.at >= after && $0.icpcRequired == false }
            return Fulfilment(at: nil, notRequired: decidedAgainst)
        case .assessment:
            return Fulfilment(at: facts.first(.assessmentCompleted) { _ in true }?.at)
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
        return assessment.overridden(by: override, status: status)
    }
}

/// A discussion held, as the rules read it: plain values, with the position of its event in
/// the timeline (its id is read from there only when an assessment names it).
private struct HeldFacts {
    let at: Date
    let faceToFace: Bool
    let outcome: DiscussionOutcome?
    let furtherDiscussionBy: Date?
    let ladoReferralNeeded: Bool
    let event: Int
}

/// A dated event the duties look for (a LADO referral, an s47 completion, an ICPC, an
/// assessment, or an event about a discussion, which `discussion` then names by position).
private struct DatedFacts {
    let type: EventType
    let at: Date
    let discussion: Int
    let icpcRequired: Bool?
}

/// The timeline indexed once per evaluation: first occurrences, the discussions held and the
/// dated events, in time order, with discussions referred to by their position. Its lists are
/// the caller's stack buffers and the timeline's own events, so building and reading it
/// allocates nothing and counts no references (issue 12).
private struct Facts {
    let caseType: CaseType
    let complex: Bool
    /// Immediate safeguarding concerns: said of the case, or the request's urgency is
    /// `immediate` (TIME-004-01: one notion of urgency drives deadlines and quoracy alike).
    let immediateConcerns: Bool
    let concern: Date?
    let immediateAction: Date?
    let request: (at: Date, urgency: Urgency, agreedDue: Date?)?
    let declined: Date?
    /// The discussion that decided to start the section 47 enquiry.
    let s47Decision: Int?
    let events: UnsafeBufferPointer<TimelineEvent>
    let held: UnsafeMutableBufferPointer<HeldFacts>
    let heldCount: Int
    let dated: UnsafeMutableBufferPointer<DatedFacts>
    let datedCount: Int

    /// `held` and `dated` have room for one element per event.
    init(_ caseFacts: CaseFacts, events: UnsafeBufferPointer<TimelineEvent>, held: UnsafeMutableBufferPointer<HeldFacts>,
         dated: UnsafeMutableBufferPointer<DatedFacts>) {
        var concern: Date?, immediateAction: Date?, declined: Date?, s47Decision: Int?
        var request: (at: Date, urgency: Urgency, agreedDue: Date?)?
        var heldCount = 0, datedCount = 0
        var aboutDiscussions = false
        // Each event is read in place (`events[position]`), never copied out with its strings.
        for position in events.indices {
            switch events[position] {
            case let .concernReceived(at):
                if concern == nil { concern = at }
            case let .immediateAction(at):
                if immediateAction == nil { immediateAction = at }
            case let .requestMade(at, urgency, agreedDue, _):
                if request == nil { request = (at, urgency, agreedDue) }
            case let .requestDeclined(at):
                if declined == nil { declined = at }
            case let .discussionHeld(discussion):
                if s47Decision == nil, discussion.outcome?.startsS47 == true { s47Decision = heldCount }
                held.initializeElement(at: heldCount, to: HeldFacts(
                    at: discussion.at, faceToFace: discussion.faceToFace, outcome: discussion.outcome,
                    furtherDiscussionBy: discussion.furtherDiscussionBy, ladoReferralNeeded: discussion.ladoReferralNeeded,
                    event: position))
                heldCount += 1
            case .actionSummaryIssued, .minutesAuthorised, .minutesCirculated:
                aboutDiscussions = true
            case let .ladoReferralMade(at):
                dated.initializeElement(at: datedCount, to: DatedFacts(type: .ladoReferralMade, at: at, discussion: -1, icpcRequired: nil))
                datedCount += 1
            case let .icpcHeld(at):
                dated.initializeElement(at: datedCount, to: DatedFacts(type: .icpcHeld, at: at, discussion: -1, icpcRequired: nil))
                datedCount += 1
            case let .assessmentCompleted(at):
                dated.initializeElement(at: datedCount, to: DatedFacts(type: .assessmentCompleted, at: at, discussion: -1,
                                                                      icpcRequired: nil))
                datedCount += 1
            case let .s47Completed(at, icpcRequired):
                dated.initializeElement(at: datedCount, to: DatedFacts(type: .s47Completed, at: at, discussion: -1,
                                                                      icpcRequired: icpcRequired))
                datedCount += 1
            }
        }
        self.events = events
        self.held = held
        self.heldCount = heldCount
        if aboutDiscussions {
            // Events about a discussion count wherever in the timeline it was held; one about a
            // discussion never held fulfils nothing. The first one of each kind is what counts.
            for position in events.indices {
                let type: EventType, at: Date, index: Int?
                switch events[position] {
                case let .actionSummaryIssued(time, id):
                    (type, at, index) = (.actionSummaryIssued, time, Self.held(id, held, heldCount, events))
                case let .minutesAuthorised(time, id):
                    (type, at, index) = (.minutesAuthorised, time, Self.held(id, held, heldCount, events))
                case let .minutesCirculated(time, id):
                    (type, at, index) = (.minutesCirculated, time, Self.held(id, held, heldCount, events))
                default:
                    continue
                }
                if let index {
                    dated.initializeElement(at: datedCount, to: DatedFacts(type: type, at: at, discussion: index, icpcRequired: nil))
                    datedCount += 1
                }
            }
        }
        caseType = caseFacts.type
        complex = caseFacts.complex
        immediateConcerns = caseFacts.immediateConcerns || request?.urgency == .immediate
        self.concern = concern
        self.immediateAction = immediateAction
        self.request = request
        self.declined = declined
        self.s47Decision = s47Decision
        self.dated = dated
        self.datedCount = datedCount
    }

    /// The position among those held of the first discussion with this id.
    private static func held(_ id: String, _ held: UnsafeMutableBufferPointer<HeldFacts>, _ count: Int,
                             _ events: UnsafeBufferPointer<TimelineEvent>) -> Int? {
        (0..<count).first { index in
            guard case let .discussionHeld(discussion) = events[held[index].event] else { return false }
            return discussion.id == id
        }
    }

    private static func id(of held: HeldFacts, in events: UnsafeBufferPointer<TimelineEvent>) -> String {
        guard case let .discussionHeld(discussion) = events[held.event] else { return "" }
        return discussion.id
    }

    /// The id of the discussion at `index` among those held.
    func id(_ index: Int) -> String {
        Self.id(of: held[index], in: events)
    }

    func firstHeld(where condition: (HeldFacts) -> Bool) -> HeldFacts? {
        for index in 0..<heldCount where condition(held[index]) {
            return held[index]
        }
        return nil
    }

    func first(_ type: EventType, where condition: (DatedFacts) -> Bool) -> DatedFacts? {
        for index in 0..<datedCount where dated[index].type == type && condition(dated[index]) {
            return dated[index]
        }
        return nil
    }

    func contains(_ type: EventType, where condition: (DatedFacts) -> Bool) -> Bool {
        first(type, where: condition) != nil
    }

    func first(_ type: EventType, for discussion: Int?) -> Date? {
        guard let discussion else { return nil }
        return first(type) { $0.discussion == discussion }?.at
    }
}

/// A timescale rule as plain values (no strings, no arrays): `index` names the pack's rule
/// for everything the output says about it.
private struct CompiledRule {
    let index: Int
    let from: BasisKinds
    let caseType: CaseType?
    let complex: Bool?
    let immediateConcerns: Bool?
    let urgencies: Members<Urgency>?
    let outcomes: Members<DiscussionOutcome>?
    let ladoReferralNeeded: Bool?
    let furtherDiscussionSet: Bool?
    let enquiryOpen: Bool?
    let needsDiscussionBasis: Bool
    let within: Timescale
    let listNotRequired: Bool

    init(_ rule: TimescaleRule, index: Int) {
        self.index = index
        from = BasisKinds(rule.from)
        caseType = rule.when.caseType
        complex = rule.when.complex
        immediateConcerns = rule.when.immediateConcerns
        urgencies = rule.when.urgency.map(Members.init)
        outcomes = rule.when.outcome.map(Members.init)
        ladoReferralNeeded = rule.when.ladoReferralNeeded
        furtherDiscussionSet = rule.when.furtherDiscussionSet
        enquiryOpen = rule.when.enquiryOpen
        needsDiscussionBasis = rule.when.needsDiscussionBasis
        within = rule.within
        listNotRequired = rule.listNotRequired
    }
}

/// Up to eight basis kinds in order of preference, in one word (each kind's position in
/// `code`, so that reading one touches no table).
private struct BasisKinds {
    private var packed: UInt64 = 0
    private(set) var count = 0

    init(_ kinds: [BasisKind]) {
        for kind in kinds.prefix(8) {
            packed |= Self.code(kind) << UInt64(8 * count)
            count += 1
        }
    }

    subscript(position: Int) -> BasisKind {
        switch (packed >> UInt64(8 * position)) & 0xFF {
        case 0: .concernReceived
        case 1: .immediateAction
        case 2: .requestMade
        case 3: .discussionHeld
        default: .s47Decision
        }
    }

    private static func code(_ kind: BasisKind) -> UInt64 {
        switch kind {
        case .concernReceived: 0
        case .immediateAction: 1
        case .requestMade: 2
        case .discussionHeld: 3
        case .s47Decision: 4
        }
    }
}

/// A case of a small enumeration as one bit, for sets that cost nothing to copy.
private protocol BitMember: CaseIterable, Equatable {
    var bit: UInt64 { get }
}

extension Urgency: BitMember {
    fileprivate var bit: UInt64 {
        switch self {
        case .immediate: 1
        case .standard: 2
        case .other: 4
        }
    }
}

extension DiscussionOutcome: BitMember {
    fileprivate var bit: UInt64 {
        switch self {
        case .s47Joint: 1
        case .s47Single: 2
        case .deferred: 4
        case .noS47ThresholdNotMet: 8
        case .noS47Marginal: 16
        }
    }
}

/// A set of a small enumeration's cases as bits.
private struct Members<Value: BitMember> {
    private let bits: UInt64

    init(_ values: [Value]) {
        bits = values.reduce(0) { $0 | $1.bit }
    }

    func contains(_ value: Value) -> Bool {
        bits & value.bit != 0
    }
}
