import ConveneCore
import Foundation

/// The request for a discussion as people read it (REQ-001-01): urgency and case, team, each
/// child, the family and others, the concern and the proposed attendees, in groups of rows.
public struct RequestDocument: Encodable, Sendable {
    public struct Row: Encodable, Sendable {
        public let key: String
        public let value: String
    }

    public struct Group: Encodable, Sendable {
        public let title: String
        public let rows: [Row]
    }

    public let groups: [Group]

    public init(_ r: DiscussionRequest, requestedAt: Date, pack: ProcedurePack) {
        func date(_ d: LocalDate?) -> String { d.map { UKDisplay.date($0) } ?? "Not known" }
        var groups: [Group] = [
            Group(title: "Urgency and case", rows: [
                Row(key: "Urgency", value: pack.request.urgencies.first { $0.urgency == r.urgency }?.label ?? r.urgency.rawValue),
                Row(key: "Agreed time", value: r.agreedDue.map { UKDisplay.dateTime($0) } ?? "–"),
                Row(key: "Service manager’s rationale", value: r.urgencyRationale.isBlank ? "–" : r.urgencyRationale),
                Row(key: "Case type", value: r.caseType == .newReferral ? "New referral" : "Open case"),
                Row(key: "Referral or new information received", value: UKDisplay.dateTime(r.concernReceivedAt)),
                Row(key: "Requested", value: UKDisplay.dateTime(requestedAt)),
            ]),
            Group(title: "Team", rows: [
                Row(key: "Locality", value: r.locality), Row(key: "Allocated social worker", value: r.allocatedSocialWorker),
                Row(key: "Team manager", value: r.teamManager), Row(key: "Service manager", value: r.serviceManager),
            ]),
        ]
        for (i, child) in r.children.enumerated() {
            groups.append(Group(title: "Child \(i + 1): \(child.name)", rows: [
                Row(key: child.unborn ? "Expected date of delivery" : "Date of birth",
                    value: child.unborn ? date(child.expectedDate) : date(child.dateOfBirth)),
                Row(key: "Ethnicity", value: child.ethnicity.isBlank ? "Not recorded" : child.ethnicity),
                Row(key: "Disability", value: child.disability.isBlank ? "None known" : child.disability),
                Row(key: "Case number", value: child.caseNumber.isBlank ? "–" : child.caseNumber),
                Row(key: "Address", value: child.address.isBlank ? "–" : child.address),
                Row(key: "Circumstances", value: [child.lookedAfter ? "Looked after" : nil, child.youthJusticeOpen ? "Open to youth justice" : nil,
                                                  child.inPatient ? "In hospital" : nil,
                                                  child.hospitalServices ? "Hospital or child development services" : nil].compactMap { $0 }.joined(separator: ", ").ifBlank("–")),
            ]))
        }
        for (title, people) in [("Parents and carers", r.parentsCarers), ("Other relevant children", r.otherChildren),
                                ("Other relevant adults", r.otherAdults)] where !people.isEmpty {
            groups.append(Group(title: title, rows: people.map { p in
                Row(key: p.name, value: [p.dateOfBirth.map { "Born " + UKDisplay.date($0) }, p.address.isBlank ? nil : p.address,
                                         p.caseNumber.isBlank ? nil : "Case " + p.caseNumber,
                                         p.checks.isBlank ? nil : "Checks: " + p.checks].compactMap { $0 }.joined(separator: ". "))
            }))
        }
        groups.append(Group(title: "The concern", rows: [
            Row(key: "Presenting issue", value: r.presentingIssue),
            Row(key: "Date of incident", value: date(r.incidentDate)),
            Row(key: "Rationale", value: r.rationale),
            Row(key: "Concerns", value: r.concerns.map { c in pack.concerns.first { $0.id == c }?.name ?? c }.joined(separator: ", ").ifBlank("–")),
            Row(key: "Complex concerns", value: r.complex ? "Yes" : "No"),
            Row(key: "Immediate safeguarding concerns", value: r.caseFacts.immediateConcerns ? "Yes" : "No"),
            Row(key: "Checks requested", value: r.checksRequested.ifBlank("–")),
        ]))
        if !r.proposedAttendees.isEmpty {
            groups.append(Group(title: "Proposed attendees", rows: r.proposedAttendees.map {
                Row(key: $0.name, value: [pack.agencyName($0.agency), $0.role, $0.email].filter { !$0.isBlank }.joined(separator: ", "))
            }))
        }
        self.groups = groups
    }
}
