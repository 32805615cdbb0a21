import Foundation

/// Someone at (or joining) the discussion.
public struct Attendee: Hashable, Sendable {
    public var agency: String
    public var role: String?

    public init(agency: String, role: String? = nil) {
        self.agency = agency
        self.role = role
    }
}

/// The child's circumstances that change who must attend.
public struct ChildCircumstances: Hashable, Sendable {
    public var lookedAfter: Bool
    public var youthJusticeOpen: Bool
    public var inPatient: Bool
    /// Is or has recently been receiving services from a hospital or child development team;
    /// an in-patient always is.
    public var hospitalServices: Bool

    public init(lookedAfter: Bool = false, youthJusticeOpen: Bool = false, inPatient: Bool = false,
                hospitalServices: Bool = false) {
        self.lookedAfter = lookedAfter
        self.youthJusticeOpen = youthJusticeOpen
        self.inPatient = inPatient
        self.hospitalServices = hospitalServices || inPatient
    }
}

public struct AttendanceQuestion: Hashable, Sendable {
    public var urgent: Bool
    /// The request says the concerns are complex (ATT-000-01: the LA solicitor).
    public var complex: Bool
    public var concerns: [String]
    public var child: ChildCircumstances
    public var attendees: [Attendee]

    public init(urgent: Bool = false, complex: Bool = false, concerns: [String] = [],
                child: ChildCircumstances = ChildCircumstances(), attendees: [Attendee] = []) {
        self.urgent = urgent
        self.complex = complex
        self.concerns = concerns
        self.child = child
        self.attendees = attendees
    }
}

/// A requirement that applies to this case, and whether someone present meets it.
public struct AppliedRequirement: Hashable, Sendable {
    public let requirement: AttendanceRequirement
    public let present: Bool
    /// Why it applies: "always", or the concern or circumstance that triggered it.
    public let reason: String
}

public struct AttendanceAnswer: Hashable, Sendable {
    public let required: [AppliedRequirement]
    public let recommended: [AppliedRequirement]
    public let quorate: Bool
    /// Quorate only because the pack's urgent exception applies; the record must say so (ATT-004-01).
    public let urgentException: Bool
    public let urgentExceptionRule: RequirementID?
    public let chairPresent: Bool
    public let alerts: [AttendanceAlert]

    public var missing: [AppliedRequirement] { required.filter { !$0.present } }
}

/// Who is required for this case, who is missing, and whether the discussion is quorate
/// (ATT-ALL-01..03 and each pack's conditional rules).
public struct AttendanceEngine: Sendable {
    public let pack: ProcedurePack

    public init(pack: ProcedurePack) {
        self.pack = pack
    }

    public func evaluate(_ question: AttendanceQuestion) -> AttendanceAnswer {
        let rules = pack.attendance
        func apply(_ list: [AttendanceRequirement]) -> [AppliedRequirement] {
            // Who met each requirement so far, for requirements a different person must meet.
            var used = Set<Int>()
            return list.compactMap { requirement in
                guard let reason = reason(requirement.when, question) else { return nil }
                let candidates = question.attendees.indices.filter { isMet(requirement, by: [question.attendees[$0]]) }
                let fresh = candidates.filter { !used.contains($0) }
                let chosen = requirement.distinct ? fresh.first : (fresh.first ?? candidates.first)
                if let chosen { used.insert(chosen) }
                return AppliedRequirement(requirement: requirement, present: chosen != nil, reason: reason)
            }
        }
        let required = apply(rules.required)
        let recommended = apply(rules.recommended)
        let quorumMet = required.filter(\.requirement.quorum).allSatisfy(\.present)

        var urgentException = false
        if !quorumMet, question.urgent, let exception = rules.urgentException {
            urgentException = exception.agencies.allSatisfy { agency in
                question.attendees.contains { $0.agency == agency }
            }
        }
        let chairPresent = question.attendees.contains { attendee in
            attendee.agency == rules.chair.agency && rules.chair.roles.contains(attendee.role ?? "")
        }
        return AttendanceAnswer(
            required: required, recommended: recommended, quorate: quorumMet || urgentException,
            urgentException: urgentException, urgentExceptionRule: urgentException ? rules.urgentException?.rule : nil,
            chairPresent: chairPresent, alerts: rules.alerts.filter { reason($0.when, question) != nil })
    }

    func isMet(_ requirement: AttendanceRequirement, by attendees: [Attendee]) -> Bool {
        attendees.contains { attendee in
            requirement.satisfiedBy.contains(attendee.agency)
                && (requirement.roles.isEmpty || requirement.roles.contains(attendee.role ?? ""))
        }
    }

    /// Nil when the condition does not hold; otherwise what made it hold.
    func reason(_ when: AttendanceCondition, _ question: AttendanceQuestion) -> String? {
        var reasons: [String] = []
        if let concerns = when.concerns {
            let hit = concerns.filter(question.concerns.contains)
            guard !hit.isEmpty else { return nil }
            reasons.append("concern: " + hit.joined(separator: ", "))
        }
        if let flag = when.lookedAfter {
            guard flag == question.child.lookedAfter else { return nil }
            reasons.append(flag ? "the child is looked after" : "the child is not looked after")
        }
        if let flag = when.youthJusticeOpen {
            guard flag == question.child.youthJusticeOpen else { return nil }
            reasons.append(flag ? "open to youth justice" : "not open to youth justice")
        }
        if let flag = when.inPatient {
            guard flag == question.child.inPatient else { return nil }
            reasons.append(flag ? "the child is in hospital" : "the child is not in hospital")
        }
        if let flag = when.hospitalServices {
            guard flag == question.child.hospitalServices else { return nil }
            reasons.append(!flag ? "the child receives no hospital or child development services"
                : question.child.inPatient ? "the child is in hospital" : "the child receives hospital or child development services")
        }
        if let flag = when.complex {
            guard flag == question.complex else { return nil }
            reasons.append(flag ? "the concerns are complex" : "the concerns are not complex")
        }
        if let flag = when.urgent {
            guard flag == question.urgent else { return nil }
            reasons.append(flag ? "urgent discussion" : "not urgent")
        }
        return reasons.isEmpty ? "always" : reasons.joined(separator: "; ")
    }
}
