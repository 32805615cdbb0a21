import Foundation

/// The engines' answers in the JSON contract's shape (docs/cli.md). Instants are UTC
/// (`...Z`); the `...London` twins show the same instant on London's wall clock.
public struct PackSummary: Encodable, Sendable {
    public let id: String
    public let name: String
    public let authority: String
    public let seed: String
    public let source: String
    public let calendar: String
    public let duties: [String]

    public init(_ pack: ProcedurePack) {
        id = pack.id
        name = pack.name
        authority = pack.authority
        seed = pack.seed
        source = pack.source
        calendar = pack.calendar.region.rawValue
        duties = pack.duties.map(\.rawValue)
    }
}

public struct TimescalesOutput: Encodable, Sendable {
    public let pack: String
    public let asOf: String
    public let duties: [DutyOutput]

    public init(pack: ProcedurePack, asOf: Date, duties: [DutyAssessment]) {
        self.pack = pack.id
        self.asOf = RFC3339.format(asOf)
        self.duties = duties.map(DutyOutput.init)
    }
}

public struct DutyOutput: Encodable, Sendable {
    public let duty: String
    public let title: String
    public let discussion: String?
    public let due: String?
    public let dueLondon: String?
    public let status: String
    public let rule: String
    public let timescale: String
    public let source: String
    public let basis: String
    public let fulfilledAt: String?
    public let override: OverrideOutput?

    public struct OverrideOutput: Encodable, Sendable {
        public let rationale: String
        public let approvedBy: String
    }

    public init(_ a: DutyAssessment) {
        duty = a.duty.rawValue
        title = a.duty.title
        discussion = a.discussion
        due = a.due.map(RFC3339.format)
        dueLondon = a.due.map(RFC3339.formatLondon)
        status = a.status.rawValue
        rule = a.rule.description
        timescale = a.timescaleText
        source = a.source
        basis = a.basis.description
        fulfilledAt = a.fulfilledAt.map(RFC3339.format)
        override = a.override.map { OverrideOutput(rationale: $0.rationale, approvedBy: $0.approvedBy) }
    }
}

public struct SlotsOutput: Encodable, Sendable {
    public let pack: String
    public let slot: Slot
    public let rule: String
    public let lengthRule: String?
    public let outsidePattern: Bool

    public struct Slot: Encodable, Sendable {
        public let start: String
        public let end: String
        public let startLondon: String
        public let endLondon: String
    }

    public init(pack: ProcedurePack, offer: SlotOffer) {
        self.pack = pack.id
        slot = Slot(start: RFC3339.format(offer.start), end: RFC3339.format(offer.end),
                    startLondon: RFC3339.formatLondon(offer.start), endLondon: RFC3339.formatLondon(offer.end))
        rule = offer.rule.description
        lengthRule = offer.lengthRule?.description
        outsidePattern = offer.outsidePattern
    }
}

public struct AttendanceOutput: Encodable, Sendable {
    public let pack: String
    public let required: [Requirement]
    public let recommended: [Requirement]
    public let missing: [Requirement]
    public let quorate: Bool
    public let urgentException: Bool
    public let urgentExceptionRule: String?
    public let chair: Chair
    public let alerts: [Alert]

    public struct Requirement: Encodable, Sendable {
        public let agency: String
        public let agencyName: String
        public let role: String?
        public let roles: [String]
        public let rule: String
        public let quorum: Bool
        public let present: Bool
        public let reason: String
        public let note: String?
    }

    public struct Chair: Encodable, Sendable {
        public let agency: String
        public let roles: [String]
        public let rule: String
        public let present: Bool
        public let note: String?
    }

    public struct Alert: Encodable, Sendable {
        public let rule: String
        public let message: String
    }

    public init(pack: ProcedurePack, answer: AttendanceAnswer) {
        func row(_ applied: AppliedRequirement) -> Requirement {
            let r = applied.requirement
            return Requirement(agency: r.agency, agencyName: pack.agencyName(r.agency), role: r.roles.first,
                               roles: r.roles, rule: r.rule.description, quorum: r.quorum, present: applied.present,
                               reason: applied.reason, note: r.note)
        }
        self.pack = pack.id
        required = answer.required.map(row)
        recommended = answer.recommended.map(row)
        missing = answer.missing.map(row)
        quorate = answer.quorate
        urgentException = answer.urgentException
        urgentExceptionRule = answer.urgentExceptionRule?.description
        let chairRule = pack.attendance.chair
        chair = Chair(agency: chairRule.agency, roles: chairRule.roles, rule: chairRule.rule.description,
                      present: answer.chairPresent, note: chairRule.note)
        alerts = answer.alerts.map { Alert(rule: $0.rule.description, message: $0.message) }
    }
}
