import Foundation

/// A child the discussion is about (REQ-001-01).
public struct ChildDetails: Codable, Hashable, Sendable, Identifiable {
    public var id: UUID
    public var name: String
    /// A date, not a time. Absent only for an unborn child.
    public var dateOfBirth: LocalDate?
    public var unborn: Bool
    /// Expected date of delivery, for an unborn child.
    public var expectedDate: LocalDate?
    public var ethnicity: String
    public var disability: String
    public var caseNumber: String
    public var address: String
    public var lookedAfter: Bool
    public var youthJusticeOpen: Bool
    public var inPatient: Bool
    /// Is or has recently been receiving services from a hospital or child development team
    /// (ATT-002-01, seed 002 §6: the responsible medical consultant takes part).
    public var hospitalServices: Bool

    public init(id: UUID = UUID(), name: String, dateOfBirth: LocalDate?, unborn: Bool = false, expectedDate: LocalDate? = nil,
                ethnicity: String = "", disability: String = "", caseNumber: String = "", address: String = "",
                lookedAfter: Bool = false, youthJusticeOpen: Bool = false, inPatient: Bool = false,
                hospitalServices: Bool = false) {
        self.id = id
        self.name = name
        self.dateOfBirth = dateOfBirth
        self.unborn = unborn
        self.expectedDate = expectedDate
        self.ethnicity = ethnicity
        self.disability = disability
        self.caseNumber = caseNumber
        self.address = address
        self.lookedAfter = lookedAfter
        self.youthJusticeOpen = youthJusticeOpen
        self.inPatient = inPatient
        self.hospitalServices = hospitalServices
    }

    enum CodingKeys: String, CodingKey {
        case id, name, dateOfBirth, unborn, expectedDate, ethnicity, disability, caseNumber, address, lookedAfter
        case youthJusticeOpen, inPatient, hospitalServices
    }

    /// Children stored before a field was added read it as false.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(UUID.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        dateOfBirth = try c.decodeIfPresent(LocalDate.self, forKey: .dateOfBirth)
        unborn = try c.decodeIfPresent(Bool.self, forKey: .unborn) ?? false
        expectedDate = try c.decodeIfPresent(LocalDate.self, forKey: .expectedDate)
        ethnicity = try c.decodeIfPresent(String.self, forKey: .ethnicity) ?? ""
        disability = try c.decodeIfPresent(String.self, forKey: .disability) ?? ""
        caseNumber = try c.decodeIfPresent(String.self, forKey: .caseNumber) ?? ""
        address = try c.decodeIfPresent(String.self, forKey: .address) ?? ""
        lookedAfter = try c.decodeIfPresent(Bool.self, forKey: .lookedAfter) ?? false
        youthJusticeOpen = try c.decodeIfPresent(Bool.self, forKey: .youthJusticeOpen) ?? false
        inPatient = try c.decodeIfPresent(Bool.self, forKey: .inPatient) ?? false
        hospitalServices = try c.decodeIfPresent(Bool.self, forKey: .hospitalServices) ?? false
    }
}

/// A parent or carer, another relevant child, or another relevant adult (REQ-001-01).
public struct RelatedPerson: Codable, Hashable, Sendable {
    public var name: String
    public var dateOfBirth: LocalDate?
    public var address: String
    public var caseNumber: String
    /// For other adults: checks requested (e.g. police intelligence, address check).
    public var checks: String

    public init(name: String, dateOfBirth: LocalDate? = nil, address: String = "", caseNumber: String = "", checks: String = "") {
        self.name = name
        self.dateOfBirth = dateOfBirth
        self.address = address
        self.caseNumber = caseNumber
        self.checks = checks
    }
}

/// Someone the requester proposes to invite.
public struct ProposedAttendee: Codable, Hashable, Sendable {
    public var name: String
    public var agency: String
    public var role: String
    public var email: String

    public init(name: String, agency: String, role: String = "", email: String = "") {
        self.name = name
        self.agency = agency
        self.role = role
        self.email = email
    }
}

/// The request for a strategy discussion: every field of REQ-001-01.
public struct DiscussionRequest: Codable, Hashable, Sendable {
    public var caseType: CaseType
    public var urgency: Urgency
    /// For urgency "other": the time agreed with the service manager, and their rationale.
    public var agreedDue: Date?
    public var urgencyRationale: String
    public var locality: String
    public var allocatedSocialWorker: String
    public var teamManager: String
    public var serviceManager: String
    /// When the referral or new information was received (the timescales' basis).
    public var concernReceivedAt: Date
    public var children: [ChildDetails]
    public var parentsCarers: [RelatedPerson]
    public var otherChildren: [RelatedPerson]
    public var otherAdults: [RelatedPerson]
    public var checksRequested: String
    public var presentingIssue: String
    public var incidentDate: LocalDate?
    public var rationale: String
    public var concerns: [String]
    public var complex: Bool
    public var immediateConcerns: Bool
    public var proposedAttendees: [ProposedAttendee]
    /// The SARC contact made before convening (TIME-000-02), once recorded.
    public var sarcContact: SarcContact?
    /// REQ-003-01: when the child was last closed to social care, and by which team.
    public var closedToSocialCareOn: LocalDate?
    public var previousTeamID: UUID?
    /// REQ-003-01: the area where the child lives, and where the harm happened if elsewhere.
    public var childArea: String?
    public var harmArea: String?

    public init(caseType: CaseType = .newReferral, urgency: Urgency = .standard, agreedDue: Date? = nil,
                urgencyRationale: String = "", locality: String = "", allocatedSocialWorker: String = "",
                teamManager: String = "", serviceManager: String = "", concernReceivedAt: Date,
                children: [ChildDetails] = [], parentsCarers: [RelatedPerson] = [], otherChildren: [RelatedPerson] = [],
                otherAdults: [RelatedPerson] = [], checksRequested: String = "", presentingIssue: String = "",
                incidentDate: LocalDate? = nil, rationale: String = "", concerns: [String] = [], complex: Bool = false,
                immediateConcerns: Bool = false, proposedAttendees: [ProposedAttendee] = []) {
        self.caseType = caseType
        self.urgency = urgency
        self.agreedDue = agreedDue
        self.urgencyRationale = urgencyRationale
        self.locality = locality
        self.allocatedSocialWorker = allocatedSocialWorker
        self.teamManager = teamManager
        self.serviceManager = serviceManager
        self.concernReceivedAt = concernReceivedAt
        self.children = children
        self.parentsCarers = parentsCarers
        self.otherChildren = otherChildren
        self.otherAdults = otherAdults
        self.checksRequested = checksRequested
        self.presentingIssue = presentingIssue
        self.incidentDate = incidentDate
        self.rationale = rationale
        self.concerns = concerns
        self.complex = complex
        self.immediateConcerns = immediateConcerns
        self.proposedAttendees = proposedAttendees
    }

    /// The circumstances of the children that change who must attend (any child counts).
    public var circumstances: ChildCircumstances {
        ChildCircumstances(lookedAfter: children.contains(where: \.lookedAfter),
                           youthJusticeOpen: children.contains(where: \.youthJusticeOpen),
                           inPatient: children.contains(where: \.inPatient),
                           hospitalServices: children.contains(where: \.hospitalServices))
    }

    /// Immediate safeguarding concerns and urgency "immediate" are one notion (TIME-004-01).
    public var caseFacts: CaseFacts {
        CaseFacts(type: caseType, complex: complex, immediateConcerns: immediateConcerns || urgency == .immediate)
    }

    /// How many rows each list of a request may have: far more than any family, few enough
    /// that a hostile request cannot make every page that shows it slow.
    public static let maxChildren = 30
    public static let maxRows = 30

    /// Every problem with the request, by field (REQ-001-01). `today` is London's date now.
    public func validate(pack: ProcedurePack, now: Date) -> [InputError] {
        var v = FieldChecks()
        let today = EuropeLondon.localDate(of: now)
        // Nobody alive was born more than 120 years ago; dates beyond are typing mistakes (or
        // year 1 / 9999 probes) and must not reach the deadline arithmetic.
        let earliest = today.addingYears(-120)
        if urgency == .other {
            // Outside the standard timescale only with the service manager's rationale (REQ-001-01).
            v.text(urgencyRationale, "urgencyRationale", "Enter the service manager’s rationale for a time outside the standard timescale")
            if let agreedDue {
                v.check(agreedDue > now, "agreedDue", "The agreed time must be in the future")
                v.check(agreedDue <= now.addingTimeInterval(366 * 86_400), "agreedDue",
                        "The agreed time must be within a year from now")
            } else {
                v.fail("agreedDue", "Enter the date and time agreed with the service manager")
            }
        }
        v.limit(urgencyRationale, "urgencyRationale")
        // One notion of urgency drives deadlines and quoracy alike (TIME-004-01, ATT-004-01).
        v.check(!immediateConcerns || urgency == .immediate, "immediateConcerns",
                "Immediate safeguarding concerns are the urgency “immediate”: choose that urgency")
        v.text(locality, "locality", "Enter the locality", max: 200)
        v.text(allocatedSocialWorker, "allocatedSocialWorker", "Enter the allocated social worker", max: 200)
        v.text(teamManager, "teamManager", "Enter the team manager", max: 200)
        v.text(serviceManager, "serviceManager", "Enter the service manager", max: 200)
        v.check(concernReceivedAt <= now.addingTimeInterval(300), "concernReceivedAt",
                "The time the concern was received must not be in the future")
        v.check(concernReceivedAt >= now.addingTimeInterval(-366 * 86_400), "concernReceivedAt",
                "The time the concern was received must be within the last year")

        if children.isEmpty {
            v.fail("children[0].name", "Enter at least one child")
        }
        var tooMany = false
        for (listName, count, limit) in [("children", children.count, Self.maxChildren),
                                         ("parentsCarers", parentsCarers.count, Self.maxRows),
                                         ("otherChildren", otherChildren.count, Self.maxRows),
                                         ("otherAdults", otherAdults.count, Self.maxRows),
                                         ("proposedAttendees", proposedAttendees.count, Self.maxRows),
                                         ("concerns", concerns.count, Self.maxRows)] where count > limit {
            v.fail(FieldPath(listName), "A request can list at most \(limit) here")
            tooMany = true
        }
        // Too many rows to check one by one: say so, and nothing else.
        if tooMany { return v.errors }
        for (i, child) in children.enumerated() {
            let path = FieldPath("children").index(i)
            v.text(child.name, path.appending("name"), "Enter the child’s full name", max: 200)
            if child.unborn {
                if let expected = child.expectedDate {
                    v.check(expected >= today.adding(days: -31), path.appending("expectedDate"),
                            "The expected date of delivery must be recent or in the future")
                    v.check(expected <= today.adding(days: 300), path.appending("expectedDate"),
                            "The expected date of delivery must be within the next 300 days")
                } else {
                    v.fail(path.appending("expectedDate"), "Enter the expected date of delivery of the unborn child")
                }
            } else if let dob = child.dateOfBirth {
                v.check(dob <= today, path.appending("dateOfBirth"), "Date of birth must be today or in the past")
                v.check(dob > LocalDate(dayNumber: today.dayNumber).addingYears(-18), path.appending("dateOfBirth"),
                        "A child must be under 18: check the date of birth")
            } else {
                v.fail(path.appending("dateOfBirth"), "Enter the child’s date of birth (or say the child is unborn)")
            }
            for (field, value) in [("ethnicity", child.ethnicity), ("disability", child.disability),
                                   ("caseNumber", child.caseNumber), ("address", child.address)] {
                v.limit(value, path.appending(field), max: 500)
            }
        }
        for (listName, list) in [("parentsCarers", parentsCarers), ("otherChildren", otherChildren), ("otherAdults", otherAdults)] {
            for (i, person) in list.enumerated() {
                let path = FieldPath(listName).index(i)
                v.text(person.name, path.appending("name"), "Enter the person’s name, or remove the row", max: 200)
                if let dob = person.dateOfBirth {
                    v.check(dob <= today, path.appending("dateOfBirth"), "Date of birth must be today or in the past")
                    v.check(dob >= earliest, path.appending("dateOfBirth"), "Date of birth must be within the last 120 years")
                }
                v.limit(person.address, path.appending("address"), max: 500)
                v.limit(person.checks, path.appending("checks"), max: 2000)
            }
        }
        if let closed = closedToSocialCareOn {
            v.check(closed <= today, "closedToSocialCareOn", "The date the child was closed must be today or in the past")
        }
        v.limit(childArea ?? "", "childArea", max: 200)
        v.limit(harmArea ?? "", "harmArea", max: 200)
        v.text(presentingIssue, "presentingIssue", "Enter the presenting issue")
        if let incidentDate {
            v.check(incidentDate <= today, "incidentDate", "The date of the incident must be today or in the past")
            v.check(incidentDate >= earliest, "incidentDate", "The date of the incident must be within the last 120 years")
        }
        v.text(rationale, "rationale", "Enter the rationale for the strategy discussion")
        v.limit(checksRequested, "checksRequested")
        let known = Set(pack.concerns.map(\.id))
        for (i, concern) in concerns.enumerated() where !known.contains(concern) {
            v.fail(FieldPath("concerns").index(i), "Unknown concern “\(concern)”")
        }
        let agencies = Set(pack.agencies.map(\.id))
        for (i, attendee) in proposedAttendees.enumerated() {
            let path = FieldPath("proposedAttendees").index(i)
            v.text(attendee.name, path.appending("name"), "Enter the attendee’s name, or remove the row", max: 200)
            v.check(agencies.contains(attendee.agency), path.appending("agency"), "Choose the attendee’s agency")
            if !attendee.email.isBlank {
                v.check(EmailAddress.isPlausible(attendee.email), path.appending("email"),
                        "Enter an email address in the correct format, like name@example.org")
            }
        }
        return v.errors
    }
}

public enum EmailAddress {
    /// A deliberately simple check: one @, something either side, a dot in the domain, no spaces.
    public static func isPlausible(_ text: String) -> Bool {
        let t = text.trimmed
        let parts = t.split(separator: "@", omittingEmptySubsequences: false)
        return t.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".") && !t.contains(where: \.isWhitespace)
    }
}

extension LocalDate {
    /// The same day and month `years` later (29 February becomes 28 February).
    public func addingYears(_ years: Int) -> LocalDate {
        let (y, m, d) = components
        return LocalDate(year: y + years, month: m, day: d) ?? LocalDate(y + years, m, 28)
    }

    /// Whole years from this date (a date of birth) to `date`.
    public func age(on date: LocalDate) -> Int {
        var years = date.year - year
        if (date.month, date.day) < (month, day) { years -= 1 }
        return years
    }
}

extension DiscussionRequest {
    /// What the request says for a part of the agenda, as the notes start (issue 14): the
    /// chair checks and edits it rather than typing it again. Empty when the request is silent.
    public func notes(for part: AgendaItem.RequestPart) -> String {
        switch part {
        case .reason:
            return [presentingIssue.trimmed, rationale.isBlank ? "" : "Why a discussion is needed: " + rationale.trimmed]
                .filter { !$0.isEmpty }.joined(separator: "\n\n")
        case .family:
            func born(_ date: LocalDate?) -> String { date.map { ", born " + UKDisplay.date($0) } ?? "" }
            var lines = children.map { child in
                "Child: " + child.name + (child.unborn ? ", unborn" + (child.expectedDate.map { " (expected " + UKDisplay.date($0) + ")" } ?? "")
                                                       : born(child.dateOfBirth))
                    + (child.address.isBlank ? "" : "; " + child.address.trimmed)
            }
            lines += parentsCarers.map { "Parent or carer: " + $0.name + born($0.dateOfBirth) + ($0.address.isBlank ? "" : "; " + $0.address.trimmed) }
            lines += otherChildren.map { "Other child in the household: " + $0.name + born($0.dateOfBirth) }
            lines += otherAdults.map { "Other adult: " + $0.name + born($0.dateOfBirth) }
            return lines.joined(separator: "\n")
        case .agencyChecks:
            let adults = otherAdults.filter { !$0.checks.isBlank }.map { "Checks on \($0.name): " + $0.checks.trimmed }
            return ([checksRequested.trimmed] + adults).filter { !$0.isEmpty }.joined(separator: "\n")
        }
    }
}
