/// One timescale of a procedure: which duty, counted from what, under which conditions,
/// and how long (e.g. Bradford TIME-001-01: a strategy meeting within 24 hours of a
/// standard request).
public struct TimescaleRule: Hashable, Sendable {
    public let rule: RequirementID
    public let duty: Duty
    /// The basis events in order of preference: the first that has happened is used.
    public let from: [BasisKind]
    public let when: RuleCondition
    public let within: Timescale
    /// The source's own wording where it differs from `within` (INT-ALL-05: "15 days").
    public let wording: String?
    /// Where in the seed procedure the rule comes from (a section pointer, not a quotation).
    public let source: String
    /// Whether the duty is listed as not required where the trigger happened but the
    /// conditions do not hold (false: a duty that arises only when they hold, such as a
    /// deferred decision's next discussion, is simply absent otherwise).
    public var listNotRequired = true

    public init(rule: RequirementID, duty: Duty, from: [BasisKind], when: RuleCondition = RuleCondition(),
                within: Timescale, wording: String? = nil, source: String) {
        self.rule = rule
        self.duty = duty
        self.from = from
        self.when = when
        self.within = within
        self.wording = wording
        self.source = source
    }
}

/// Conditions on the case, the request or the discussion for a rule to apply; each absent
/// condition matches everything.
public struct RuleCondition: Hashable, Sendable {
    public var caseType: CaseType?
    public var complex: Bool?
    public var immediateConcerns: Bool?
    /// The urgency of the request a rule counts from (basis `request-made`).
    public var urgency: [Urgency]?
    /// The outcome of the discussion a rule counts from (basis `discussion-held`).
    public var outcome: [DiscussionOutcome]?
    public var ladoReferralNeeded: Bool?
    /// Whether the discussion set a date for the next one.
    public var furtherDiscussionSet: Bool?
    /// Whether the section 47 enquiry was still open when the discussion was held.
    public var enquiryOpen: Bool?

    public init(caseType: CaseType? = nil, complex: Bool? = nil, immediateConcerns: Bool? = nil,
                urgency: [Urgency]? = nil, outcome: [DiscussionOutcome]? = nil, ladoReferralNeeded: Bool? = nil,
                furtherDiscussionSet: Bool? = nil, enquiryOpen: Bool? = nil) {
        self.caseType = caseType
        self.complex = complex
        self.immediateConcerns = immediateConcerns
        self.urgency = urgency
        self.outcome = outcome
        self.ladoReferralNeeded = ladoReferralNeeded
        self.furtherDiscussionSet = furtherDiscussionSet
        self.enquiryOpen = enquiryOpen
    }

    /// The conditions that only make sense when the rule counts from a discussion.
    var needsDiscussionBasis: Bool {
        outcome != nil || ladoReferralNeeded != nil || furtherDiscussionSet != nil || enquiryOpen != nil
    }
}

extension TimescaleRule: Decodable {
    enum Keys: String, CodingKey, CaseIterable {
        case rule, duty, from, when, within, wording, source, listNotRequired
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        rule = try c.decode(RequirementID.self, forKey: .rule)
        duty = try c.decodeTerm(Duty.self, forKey: .duty)
        from = try c.decodeTermList(BasisKind.self, forKey: .from)
        when = try c.decodeIfPresent(RuleCondition.self, forKey: .when) ?? RuleCondition()
        within = try c.decode(Timescale.self, forKey: .within)
        wording = try c.decodeIfPresent(String.self, forKey: .wording)
        source = try c.decode(String.self, forKey: .source)
        listNotRequired = try c.decodeIfPresent(Bool.self, forKey: .listNotRequired) ?? true

        guard !from.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .from, in: c, debugDescription: "name at least one event")
        }
        for kind in from where !duty.allowedBases.contains(kind) {
            throw DecodingError.dataCorruptedError(
                forKey: .from, in: c,
                debugDescription: "\(duty.rawValue) cannot count from \(kind.rawValue); it counts from: "
                    + duty.allowedBases.map(\.rawValue).joined(separator: ", "))
        }
        if when.needsDiscussionBasis && !from.contains(.discussionHeld) {
            throw DecodingError.dataCorruptedError(
                forKey: .when, in: c, debugDescription: "conditions on a discussion need from: discussion-held")
        }
        if when.urgency != nil && from != [.requestMade] {
            throw DecodingError.dataCorruptedError(
                forKey: .when, in: c, debugDescription: "a condition on urgency needs from: request-made")
        }
        if within == .agreedDue && (from != [.requestMade] || when.urgency != [.other]) {
            throw DecodingError.dataCorruptedError(
                forKey: .within, in: c, debugDescription: "agreedDue needs from: request-made and when: {urgency: [other]}")
        }
        if within == .furtherDiscussionBy && from != [.discussionHeld] {
            throw DecodingError.dataCorruptedError(
                forKey: .within, in: c, debugDescription: "furtherDiscussionBy needs from: discussion-held")
        }
    }
}

extension RuleCondition: Decodable {
    enum Keys: String, CodingKey, CaseIterable {
        case caseType, complex, immediateConcerns, urgency, outcome, ladoReferralNeeded, furtherDiscussionSet, enquiryOpen
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        caseType = try c.decodeTermIfPresent(CaseType.self, forKey: .caseType)
        complex = try c.decodeIfPresent(Bool.self, forKey: .complex)
        immediateConcerns = try c.decodeIfPresent(Bool.self, forKey: .immediateConcerns)
        urgency = c.contains(.urgency) ? try c.decodeTermList(Urgency.self, forKey: .urgency) : nil
        outcome = c.contains(.outcome) ? try c.decodeTermList(DiscussionOutcome.self, forKey: .outcome) : nil
        ladoReferralNeeded = try c.decodeIfPresent(Bool.self, forKey: .ladoReferralNeeded)
        furtherDiscussionSet = try c.decodeIfPresent(Bool.self, forKey: .furtherDiscussionSet)
        enquiryOpen = try c.decodeIfPresent(Bool.self, forKey: .enquiryOpen)
    }
}

extension KeyedDecodingContainer {
    /// A list of terms from a closed vocabulary; a single term is accepted as a list of one.
    func decodeTermList<T: RawRepresentable & CaseIterable>(_ type: T.Type, forKey key: Key) throws -> [T]
    where T.RawValue == String {
        if let single = try? decode(String.self, forKey: key) {
            guard let value = T(rawValue: single) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: self,
                    debugDescription: "unknown value \"\(single)\"; expected one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return [value]
        }
        var list = try nestedUnkeyedContainer(forKey: key)
        var values: [T] = []
        while !list.isAtEnd {
            let text = try list.decode(String.self)
            guard let value = T(rawValue: text) else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: codingPath + [key, AnyCodingKey(intValue: list.currentIndex - 1)],
                    debugDescription: "unknown value \"\(text)\"; expected one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
            values.append(value)
        }
        return values
    }
}
