/// Who must and who should attend, by agency and role, with the rule behind each (ATT-*).
public struct AttendanceRules: Hashable, Sendable {
    public let chair: ChairRule
    /// Always or conditionally required; `quorum` entries decide quoracy (ATT-ALL-01, ATT-ALL-03).
    public let required: [AttendanceRequirement]
    /// Invite when relevant; their absence does not affect quoracy (e.g. ATT-000-01).
    public let recommended: [AttendanceRequirement]
    /// An urgent discussion may go ahead with fewer agencies (ATT-004-01).
    public let urgentException: UrgentException?
    /// Things to do before convening (TIME-000-02: contact SARC within the forensic window).
    public let alerts: [AttendanceAlert]
}

public struct ChairRule: Hashable, Sendable {
    public let rule: RequirementID
    public let agency: String
    public let roles: [String]
    public let note: String?
    public let source: String
}

public struct AttendanceRequirement: Hashable, Sendable {
    public let rule: RequirementID
    /// The agency invited.
    public let agency: String
    /// Roles that satisfy it; empty means anyone from the agency.
    public let roles: [String]
    /// Agencies whose staff satisfy it (defaults to `agency`), e.g. a paediatrician counts as health.
    public let satisfiedBy: [String]
    public let quorum: Bool
    /// Met only by someone other than those who met the requirements listed before it (seed
    /// 003: a second team manager, besides the chairing MASH manager).
    public let distinct: Bool
    public let when: AttendanceCondition
    /// What to do if they cannot attend, or why they are needed.
    public let note: String?
    public let source: String
}

public struct AttendanceCondition: Hashable, Sendable {
    /// Any of these concerns.
    public var concerns: [String]?
    public var lookedAfter: Bool?
    public var youthJusticeOpen: Bool?
    public var inPatient: Bool?
    /// Is or has recently been receiving hospital or child development team services.
    public var hospitalServices: Bool?
    /// The request marks the concerns complex.
    public var complex: Bool?
    public var urgent: Bool?

    public init(concerns: [String]? = nil, lookedAfter: Bool? = nil, youthJusticeOpen: Bool? = nil,
                inPatient: Bool? = nil, hospitalServices: Bool? = nil, complex: Bool? = nil, urgent: Bool? = nil) {
        self.concerns = concerns
        self.lookedAfter = lookedAfter
        self.youthJusticeOpen = youthJusticeOpen
        self.inPatient = inPatient
        self.hospitalServices = hospitalServices
        self.complex = complex
        self.urgent = urgent
    }

    public var isUnconditional: Bool {
        concerns == nil && lookedAfter == nil && youthJusticeOpen == nil && inPatient == nil && hospitalServices == nil
            && complex == nil && urgent == nil
    }
}

public struct UrgentException: Hashable, Sendable {
    public let rule: RequirementID
    /// The agencies that must still be present.
    public let agencies: [String]
    public let source: String
}

public struct AttendanceAlert: Hashable, Sendable {
    public let rule: RequirementID
    public let when: AttendanceCondition
    /// Only when the incident (if its date is known) was at most this many days before the
    /// concern was received (TIME-000-02: within 10 days).
    public let incidentWithinDays: Int?
    /// What is recorded when the alert is acted on (`sarc-contact`), if anything.
    public let record: String?
    public let message: String
    public let source: String
}

extension AttendanceRules: Decodable {
    enum Keys: String, CodingKey, CaseIterable {
        case chair, required, recommended, urgentException, alerts
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        chair = try c.decode(ChairRule.self, forKey: .chair)
        required = try c.decode([AttendanceRequirement].self, forKey: .required)
        recommended = try c.decodeIfPresent([AttendanceRequirement].self, forKey: .recommended) ?? []
        urgentException = try c.decodeIfPresent(UrgentException.self, forKey: .urgentException)
        alerts = try c.decodeIfPresent([AttendanceAlert].self, forKey: .alerts) ?? []
        guard required.contains(where: \.quorum) else {
            throw DecodingError.dataCorruptedError(
                forKey: .required, in: c, debugDescription: "mark at least one requirement quorum: true")
        }
    }
}

extension ChairRule: Decodable {
    enum Keys: String, CodingKey, CaseIterable {
        case rule, agency, roles, note, source
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        rule = try c.decode(RequirementID.self, forKey: .rule)
        agency = try c.decode(String.self, forKey: .agency)
        roles = try c.decode([String].self, forKey: .roles)
        note = try c.decodeIfPresent(String.self, forKey: .note)
        source = try c.decode(String.self, forKey: .source)
    }
}

extension AttendanceRequirement: Decodable {
    enum Keys: String, CodingKey, CaseIterable {
        case rule, agency, roles, satisfiedBy, quorum, distinct, when, note, source
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        rule = try c.decode(RequirementID.self, forKey: .rule)
        agency = try c.decode(String.self, forKey: .agency)
        roles = try c.decodeIfPresent([String].self, forKey: .roles) ?? []
        satisfiedBy = try c.decodeIfPresent([String].self, forKey: .satisfiedBy) ?? [agency]
        quorum = try c.decodeIfPresent(Bool.self, forKey: .quorum) ?? false
        distinct = try c.decodeIfPresent(Bool.self, forKey: .distinct) ?? false
        when = try c.decodeIfPresent(AttendanceCondition.self, forKey: .when) ?? AttendanceCondition()
        note = try c.decodeIfPresent(String.self, forKey: .note)
        source = try c.decode(String.self, forKey: .source)
        if quorum && !when.isUnconditional && when.urgent == nil {
            throw DecodingError.dataCorruptedError(
                forKey: .quorum, in: c, debugDescription: "a quorum requirement cannot depend on the case's concerns")
        }
    }
}

extension AttendanceCondition: Decodable {
    enum Keys: String, CodingKey, CaseIterable {
        case concerns, lookedAfter, youthJusticeOpen, inPatient, hospitalServices, complex, urgent
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        concerns = try c.decodeIfPresent([String].self, forKey: .concerns)
        lookedAfter = try c.decodeIfPresent(Bool.self, forKey: .lookedAfter)
        youthJusticeOpen = try c.decodeIfPresent(Bool.self, forKey: .youthJusticeOpen)
        inPatient = try c.decodeIfPresent(Bool.self, forKey: .inPatient)
        hospitalServices = try c.decodeIfPresent(Bool.self, forKey: .hospitalServices)
        complex = try c.decodeIfPresent(Bool.self, forKey: .complex)
        urgent = try c.decodeIfPresent(Bool.self, forKey: .urgent)
    }
}

extension UrgentException: Decodable {
    enum Keys: String, CodingKey, CaseIterable {
        case rule, agencies, source
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        rule = try c.decode(RequirementID.self, forKey: .rule)
        agencies = try c.decode([String].self, forKey: .agencies)
        source = try c.decode(String.self, forKey: .source)
    }
}

extension AttendanceAlert: Decodable {
    enum Keys: String, CodingKey, CaseIterable {
        case rule, when, incidentWithinDays, record, message, source
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        rule = try c.decode(RequirementID.self, forKey: .rule)
        when = try c.decode(AttendanceCondition.self, forKey: .when)
        incidentWithinDays = try c.decodeIfPresent(Int.self, forKey: .incidentWithinDays)
        if let days = incidentWithinDays, days < 0 {
            throw DecodingError.dataCorruptedError(forKey: .incidentWithinDays, in: c, debugDescription: "must be 0 or more")
        }
        record = try c.decodeIfPresent(String.self, forKey: .record)
        if let record, record != "sarc-contact" {
            throw DecodingError.dataCorruptedError(forKey: .record, in: c,
                                                   debugDescription: "unknown record \"\(record)\"; expected: sarc-contact")
        }
        message = try c.decode(String.self, forKey: .message)
        source = try c.decode(String.self, forKey: .source)
    }
}
