/// One local procedure made executable: the timescales, slots, attendance, agenda, checklist,
/// outcomes and circulation rules of one authority's strategy discussion guidance. Written as
/// YAML a procedures officer can read and edit (`Resources/Packs/*.yaml`, docs/packs.md).
public struct ProcedurePack: Hashable, Sendable {
    public let id: String
    public let name: String
    public let authority: String
    /// The seed procedure this pack implements (`000`…`004`), or the authority's own reference.
    public let seed: String
    /// The title of the source document.
    public let source: String
    /// What the procedure calls the meeting ("strategy discussion", "strategy meeting").
    public let meetingName: String
    public let calendar: WorkingDayCalendar
    public let request: RequestRules
    public let timescales: [TimescaleRule]
    public let slots: SlotCalendar
    public let attendance: AttendanceRules
    public let agenda: [AgendaItem]
    public let checklist: [ChecklistItem]
    public let recordAreas: [RecordArea]
    public let outcomes: [OutcomeOption]
    public let withoutS47: [FollowUpOption]
    /// Whether a no-s47 outcome chooses one follow-up, or records each of them (DEC-002-01:
    /// Hertfordshire §5 specifies further information, assessment, monitoring, services and plan).
    public let withoutS47Recording: FollowUpRecording
    public let circulation: CirculationRules
    /// DEC-004-01: the s47 outcome goes to the discussion's members, and a significant change
    /// needs their endorsement. Nil where the procedure says nothing of it.
    public let outcomeEndorsement: OutcomeEndorsementRules?
    /// REQ-003-01: which team a case is assigned to (Devon). Nil where the procedure is silent.
    public let routing: TeamRouting?
    /// REQ-002-01: the message sent to named agencies when a discussion is booked. Optional.
    public let requestMessage: RequestMessageRules?
    /// Agencies and concerns this pack adds to the shared vocabulary.
    public let extraAgencies: [Vocabulary.Term]
    public let extraConcerns: [Vocabulary.Term]

    public var agencies: [Vocabulary.Term] { Vocabulary.agencies + extraAgencies }
    public var concerns: [Vocabulary.Term] { Vocabulary.concerns + extraConcerns }

    public func agencyName(_ id: String) -> String {
        agencies.first { $0.id == id }?.name ?? id
    }

    /// The duties this pack has rules for.
    public var duties: [Duty] {
        Duty.allCases.filter { duty in timescales.contains { $0.duty == duty } }
    }
}

extension ProcedurePack: Decodable {
    enum Keys: String, CodingKey, CaseIterable {
        case id, name, authority, seed, source, meetingName, calendar, request, timescales, slots, attendance
        case agenda, checklist, recordAreas, outcomes, withoutS47, withoutS47Recording, circulation, outcomeEndorsement
        case routing, requestMessage, agencies, concerns
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        id = try c.decodeSlug(forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        authority = try c.decode(String.self, forKey: .authority)
        seed = try c.decode(String.self, forKey: .seed)
        source = try c.decode(String.self, forKey: .source)
        meetingName = try c.decodeIfPresent(String.self, forKey: .meetingName) ?? "strategy discussion"
        calendar = WorkingDayCalendar(region: try c.decodeTerm(BankHolidayRegion.self, forKey: .calendar))
        request = try c.decode(RequestRules.self, forKey: .request)
        timescales = try c.decode([TimescaleRule].self, forKey: .timescales)
        slots = try c.decode(SlotCalendar.self, forKey: .slots)
        attendance = try c.decode(AttendanceRules.self, forKey: .attendance)
        agenda = try c.decode([AgendaItem].self, forKey: .agenda)
        checklist = try c.decode([ChecklistItem].self, forKey: .checklist)
        recordAreas = try c.decodeIfPresent([RecordArea].self, forKey: .recordAreas) ?? []
        outcomes = try c.decode([OutcomeOption].self, forKey: .outcomes)
        withoutS47 = try c.decodeIfPresent([FollowUpOption].self, forKey: .withoutS47) ?? []
        withoutS47Recording = try c.decodeTermIfPresent(FollowUpRecording.self, forKey: .withoutS47Recording) ?? .one
        if withoutS47Recording == .each && withoutS47.isEmpty {
            throw DecodingError.dataCorruptedError(forKey: .withoutS47Recording, in: c,
                                                   debugDescription: "each needs the follow-ups listed under withoutS47")
        }
        circulation = try c.decode(CirculationRules.self, forKey: .circulation)
        outcomeEndorsement = try c.decodeIfPresent(OutcomeEndorsementRules.self, forKey: .outcomeEndorsement)
        routing = try c.decodeIfPresent(TeamRouting.self, forKey: .routing)
        requestMessage = try c.decodeIfPresent(RequestMessageRules.self, forKey: .requestMessage)
        extraAgencies = try c.decodeTermTable(forKey: .agencies)
        extraConcerns = try c.decodeTermTable(forKey: .concerns)
        try validate(in: c)
    }

    /// Cross-references a decoder cannot see: every agency and concern named is known, and
    /// identifiers are unique within their list.
    private func validate(in c: KeyedDecodingContainer<Keys>) throws {
        func fail(_ path: [any CodingKey], _ message: String) -> DecodingError {
            DecodingError.dataCorrupted(.init(codingPath: c.codingPath + path, debugDescription: message))
        }
        let agencyIDs = Set(agencies.map(\.id))
        let concernIDs = Set(concerns.map(\.id))
        func checkAgency(_ id: String, _ path: [any CodingKey]) throws {
            guard agencyIDs.contains(id) else {
                throw fail(path, "unknown agency \"\(id)\"; add it under agencies: or use one of: "
                    + agencyIDs.sorted().joined(separator: ", "))
            }
        }
        func checkCondition(_ condition: AttendanceCondition, _ path: [any CodingKey]) throws {
            for (i, concern) in (condition.concerns ?? []).enumerated() where !concernIDs.contains(concern) {
                throw fail(path + [AnyCodingKey(stringValue: "when"), AnyCodingKey(stringValue: "concerns"), AnyCodingKey(intValue: i)],
                           "unknown concern \"\(concern)\"; add it under concerns: or use one of: "
                            + concernIDs.sorted().joined(separator: ", "))
            }
        }
        let attendance = AnyCodingKey(stringValue: "attendance")
        try checkAgency(self.attendance.chair.agency, [attendance, AnyCodingKey(stringValue: "chair"), AnyCodingKey(stringValue: "agency")])
        for (listName, list) in [("required", self.attendance.required), ("recommended", self.attendance.recommended)] {
            for (i, requirement) in list.enumerated() {
                let path: [any CodingKey] = [attendance, AnyCodingKey(stringValue: listName), AnyCodingKey(intValue: i)]
                try checkAgency(requirement.agency, path + [AnyCodingKey(stringValue: "agency")])
                for agency in requirement.satisfiedBy {
                    try checkAgency(agency, path + [AnyCodingKey(stringValue: "satisfiedBy")])
                }
                try checkCondition(requirement.when, path)
            }
        }
        for (i, alert) in self.attendance.alerts.enumerated() {
            try checkCondition(alert.when, [attendance, AnyCodingKey(stringValue: "alerts"), AnyCodingKey(intValue: i)])
        }
        for (i, agency) in (requestMessage?.to ?? []).enumerated() {
            try checkAgency(agency, [Keys.requestMessage, AnyCodingKey(stringValue: "to"), AnyCodingKey(intValue: i)])
        }
        for agency in self.attendance.urgentException?.agencies ?? [] {
            try checkAgency(agency, [attendance, AnyCodingKey(stringValue: "urgentException"), AnyCodingKey(stringValue: "agencies")])
        }
        try Self.checkUnique(agenda.map(\.id), key: Keys.agenda, in: c)
        try Self.checkUnique(checklist.map(\.id), key: Keys.checklist, in: c)
        try Self.checkUnique(recordAreas.map(\.id), key: Keys.recordAreas, in: c)
        for (i, area) in recordAreas.enumerated() {
            if case let .agenda(item) = area.from, !agenda.contains(where: { $0.id == item }) {
                throw fail([Keys.recordAreas, AnyCodingKey(intValue: i), AnyCodingKey(stringValue: "from")],
                           "no agenda item has id \"\(item)\"")
            }
        }
        for (i, item) in checklist.enumerated() {
            if let agendaItem = item.agendaItem, !agenda.contains(where: { $0.id == agendaItem }) {
                throw fail([Keys.checklist, AnyCodingKey(intValue: i), AnyCodingKey(stringValue: "agendaItem")],
                           "no agenda item has id \"\(agendaItem)\"; use one of: " + agenda.map(\.id).joined(separator: ", "))
            }
        }
        try Self.checkUnique(outcomes.map(\.outcome.rawValue), key: Keys.outcomes, in: c)
        try Self.checkUnique(withoutS47.map(\.id), key: Keys.withoutS47, in: c)
        try Self.checkUnique(request.urgencies.map(\.urgency.rawValue), key: Keys.request, in: c)
        guard !outcomes.isEmpty else {
            throw fail([Keys.outcomes], "offer at least one outcome")
        }
    }

    private static func checkUnique(_ ids: [String], key: Keys, in c: KeyedDecodingContainer<Keys>) throws {
        var seen = Set<String>()
        for (i, id) in ids.enumerated() where !seen.insert(id).inserted {
            throw DecodingError.dataCorrupted(.init(
                codingPath: c.codingPath + [key, AnyCodingKey(intValue: i)], debugDescription: "\"\(id)\" appears twice"))
        }
    }
}

extension KeyedDecodingContainer {
    /// A mapping of `id: name` adding to a vocabulary.
    func decodeTermTable(forKey key: Key) throws -> [Vocabulary.Term] {
        guard contains(key) else { return [] }
        let table = try nestedContainer(keyedBy: AnyCodingKey.self, forKey: key)
        return try table.allKeys.map { k in
            guard Vocabulary.isSlug(k.stringValue) else {
                throw DecodingError.dataCorruptedError(
                    forKey: k, in: table, debugDescription: "ids must be lower-case letters, digits and hyphens")
            }
            return Vocabulary.Term(k.stringValue, try table.decode(String.self, forKey: k))
        }.sorted { $0.id < $1.id }
    }
}

/// How a no-s47 outcome records what follows (DEC-002-01).
public enum FollowUpRecording: String, CaseIterable, Hashable, Sendable {
    /// One of the pack's follow-ups is chosen (e.g. child in need, early help).
    case one
    /// Each follow-up is recorded in words, "none" included.
    case each
}
