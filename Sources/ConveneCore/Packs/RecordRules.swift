import Foundation

/// How the meeting is run and recorded under a pack: its agenda (AGN-000-01), checklist items
/// that must be answered before the record is final (AGN-000-02, AGN-001-01), the record's
/// areas (AGN-001-02), the outcomes offered (DEC-002-01) and the circulation rules (REC-*).
public struct AgendaItem: Hashable, Sendable {
    public let id: String
    public let title: String
    public let rule: RequirementID
    /// Discussed for each child in turn.
    public let perChild: Bool
    public let prompts: [String]
    public let source: String
    /// What the request already holds for this item, put into its notes for the chair to
    /// check rather than typed again (issue 14).
    public let fromRequest: RequestPart?

    /// A part of the request an agenda item starts from.
    public enum RequestPart: String, Hashable, Sendable, Decodable, CaseIterable {
        /// Why the discussion was asked for: the presenting issue and the requester's rationale.
        case reason
        /// The children, parents, carers, other children and adults, as the request names them.
        case family
        /// The agency checks the requester asked for.
        case agencyChecks = "agency-checks"
    }
}

public struct ChecklistItem: Hashable, Sendable {
    public let id: String
    public let text: String
    public let section: String?
    /// The agenda item the question is asked under, in the chair's meeting page (issue 14);
    /// without one it is asked after the agenda.
    public let agendaItem: String?
    public let rule: RequirementID
    /// The record cannot be finalised until this is answered.
    public let requiredForFinal: Bool
    public let source: String
}

public struct RecordArea: Hashable, Sendable {
    /// Where in the record an area is completed.
    public enum Source: Hashable, Sendable {
        /// The notes of an agenda item (per child when the item is per child).
        case agenda(String)
        case attendance
        case decisions
        case actions
        case safetyPlan
    }

    public let id: String
    public let title: String
    public let rule: RequirementID
    public let from: Source
    public let source: String

    public init(id: String, title: String, rule: RequirementID, from: Source, source: String) {
        self.id = id
        self.title = title
        self.rule = rule
        self.from = from
        self.source = source
    }

}

public struct OutcomeOption: Hashable, Sendable {
    public let outcome: DiscussionOutcome
    public let label: String
    public let rule: RequirementID
    public let requiresRationale: Bool
}

/// What follows when no section 47 enquiry is started (DEC-002-01, DEC-000-01).
public struct FollowUpOption: Hashable, Sendable {
    public let id: String
    public let label: String
    public let rule: RequirementID
    public let requiresRationale: Bool
}

public struct CirculationRules: Hashable, Sendable {
    public let rule: RequirementID
    /// Roles that may authorise the minutes before circulation (REC-ALL-01).
    public let authorisedBy: [String]
    /// How long invitees have to send corrections after receiving the minutes (REC-001-01).
    public let correctionsWindowSeconds: Int?
    public let correctionsRule: RequirementID?
    /// Disclosure beyond the invitees (REC-ALL-02) is decided by this role.
    public let disclosureDecidedBy: String
    public let disclosureRule: RequirementID
    public let source: String

    /// Whether an invitee who received the minutes at `receivedAt` may still send a
    /// correction (REC-001-01): within the window, or at any time where the pack sets none.
    public func correctionsOpen(receivedAt: Date, now: Date) -> Bool {
        guard let window = correctionsWindowSeconds else { return true }
        return now <= receivedAt.addingTimeInterval(TimeInterval(window))
    }
}

public struct UrgencyOption: Hashable, Sendable {
    public let urgency: Urgency
    public let label: String
    public let guidance: String?
    public let rule: RequirementID
}

public struct RequestRules: Hashable, Sendable {
    public let rule: RequirementID
    public let urgencies: [UrgencyOption]
    public let source: String
}

extension AgendaItem: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case id, title, rule, perChild, prompts, source, fromRequest }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        id = try c.decodeSlug(forKey: .id)
        title = try c.decode(String.self, forKey: .title)
        rule = try c.decode(RequirementID.self, forKey: .rule)
        perChild = try c.decodeIfPresent(Bool.self, forKey: .perChild) ?? false
        prompts = try c.decodeIfPresent([String].self, forKey: .prompts) ?? []
        source = try c.decode(String.self, forKey: .source)
        fromRequest = try c.decodeIfPresent(RequestPart.self, forKey: .fromRequest)
    }
}

extension ChecklistItem: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case id, text, section, agendaItem, rule, requiredForFinal, source }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        id = try c.decodeSlug(forKey: .id)
        text = try c.decode(String.self, forKey: .text)
        section = try c.decodeIfPresent(String.self, forKey: .section)
        agendaItem = try c.decodeIfPresent(String.self, forKey: .agendaItem)
        rule = try c.decode(RequirementID.self, forKey: .rule)
        requiredForFinal = try c.decode(Bool.self, forKey: .requiredForFinal)
        source = try c.decode(String.self, forKey: .source)
    }
}

extension RecordArea: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case id, title, rule, from, source }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        id = try c.decodeSlug(forKey: .id)
        title = try c.decode(String.self, forKey: .title)
        rule = try c.decode(RequirementID.self, forKey: .rule)
        source = try c.decode(String.self, forKey: .source)
        let text = try c.decodeIfPresent(String.self, forKey: .from) ?? "agenda:\(id)"
        switch text {
        case "attendance": from = .attendance
        case "decisions": from = .decisions
        case "actions": from = .actions
        case "safety-plan": from = .safetyPlan
        case let t where t.hasPrefix("agenda:") && Vocabulary.isSlug(String(t.dropFirst(7))):
            from = .agenda(String(t.dropFirst(7)))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .from, in: c,
                debugDescription: "\"\(text)\" must be agenda:<item id>, attendance, decisions, actions or safety-plan")
        }
    }
}

extension OutcomeOption: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case outcome, label, rule, requiresRationale }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        outcome = try c.decodeTerm(DiscussionOutcome.self, forKey: .outcome)
        label = try c.decode(String.self, forKey: .label)
        rule = try c.decode(RequirementID.self, forKey: .rule)
        requiresRationale = try c.decodeIfPresent(Bool.self, forKey: .requiresRationale) ?? false
    }
}

extension FollowUpOption: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case id, label, rule, requiresRationale }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        id = try c.decodeSlug(forKey: .id)
        label = try c.decode(String.self, forKey: .label)
        rule = try c.decode(RequirementID.self, forKey: .rule)
        requiresRationale = try c.decodeIfPresent(Bool.self, forKey: .requiresRationale) ?? false
    }
}

extension CirculationRules: Decodable {
    enum Keys: String, CodingKey, CaseIterable {
        case rule, authorisedBy, correctionsWindow, correctionsRule, disclosureDecidedBy, disclosureRule, source
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        rule = try c.decode(RequirementID.self, forKey: .rule)
        authorisedBy = try c.decode([String].self, forKey: .authorisedBy)
        correctionsWindowSeconds = try c.decodeIfPresent(PackDuration.self, forKey: .correctionsWindow)?.seconds
        correctionsRule = try c.decodeIfPresent(RequirementID.self, forKey: .correctionsRule)
        disclosureDecidedBy = try c.decode(String.self, forKey: .disclosureDecidedBy)
        disclosureRule = try c.decode(RequirementID.self, forKey: .disclosureRule)
        source = try c.decode(String.self, forKey: .source)
    }
}

extension UrgencyOption: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case urgency, label, guidance, rule }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        urgency = try c.decodeTerm(Urgency.self, forKey: .urgency)
        label = try c.decode(String.self, forKey: .label)
        guidance = try c.decodeIfPresent(String.self, forKey: .guidance)
        rule = try c.decode(RequirementID.self, forKey: .rule)
    }
}

extension RequestRules: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case rule, urgencies, source }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        rule = try c.decode(RequirementID.self, forKey: .rule)
        urgencies = try c.decode([UrgencyOption].self, forKey: .urgencies)
        source = try c.decode(String.self, forKey: .source)
        guard !urgencies.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .urgencies, in: c, debugDescription: "offer at least one urgency")
        }
    }
}

extension KeyedDecodingContainer {
    /// An identifier of lower-case letters, digits and hyphens, e.g. `family-details`.
    func decodeSlug(forKey key: Key) throws -> String {
        let text = try decode(String.self, forKey: key)
        guard Vocabulary.isSlug(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self,
                debugDescription: "\"\(text)\" must be lower-case letters, digits and hyphens, e.g. family-details")
        }
        return text
    }
}
