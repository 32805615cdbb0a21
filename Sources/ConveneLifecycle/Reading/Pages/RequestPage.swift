import ConveneCore
import ConveneStore
import Foundation

/// Step 1's form, the request for a strategy discussion (REQ-001-01): the child or children,
/// the family, the concerns and the proposed attendees, with as many rows of each as shown.
public struct RequestPage: Encodable, Sendable {
    struct ChildRow: Encodable, Sendable {
        let number: Int
        let name: FieldContext
        let dateOfBirth: DateFieldContext
        let unborn: ChoiceContext
        let expectedDate: DateFieldContext
        let ethnicity: FieldContext
        let disability: FieldContext
        let caseNumber: FieldContext
        let address: FieldContext
        let circumstances: ChoiceContext
    }

    struct PersonRow: Encodable, Sendable {
        let number: Int
        let name: FieldContext
        let dateOfBirth: DateFieldContext
        let address: FieldContext
        let caseNumber: FieldContext
        let checks: FieldContext
    }

    struct AttendeeRow: Encodable, Sendable {
        let number: Int
        let name: FieldContext
        let agency: ChoiceContext
        let role: FieldContext
        let email: FieldContext
    }

    let packName: String
    let meetingName: String
    let caseType: ChoiceContext
    let urgency: ChoiceContext
    let agreedDue: DateFieldContext
    let urgencyRationale: FieldContext
    let team: ChoiceContext
    /// REQ-003-01, where the pack routes cases between teams.
    let routing: Bool
    let closedToSocialCareOn: DateFieldContext
    let previousTeam: ChoiceContext
    let childArea: FieldContext
    let harmArea: FieldContext
    let locality: FieldContext
    let allocatedSocialWorker: ChoiceContext
    let teamManager: ChoiceContext
    let serviceManager: ChoiceContext
    let concernReceivedAt: DateFieldContext
    let children: [ChildRow]
    let parentsCarers: [PersonRow]
    let otherChildren: [PersonRow]
    let otherAdults: [PersonRow]
    let checksRequested: FieldContext
    let presentingIssue: FieldContext
    let incidentDate: DateFieldContext
    let rationale: FieldContext
    let concerns: ChoiceContext
    let flags: ChoiceContext
    let attendees: [AttendeeRow]
    let rowsChildren: Int
    let rowsParentsCarers: Int
    let rowsOtherChildren: Int
    let rowsOtherAdults: Int
    let rowsProposedAttendees: Int
}

extension RequestPage {
    public init(_ start: Operations.RequestStart, state: FormState, rows: [String: Int]) {
        let (pack, teams) = (start.pack, start.teams)
        self.init(
            packName: pack.name,
            meetingName: pack.meetingName,
            caseType: state.radios("caseType", "Is the child new to children’s social care, or an open case?", options: [
                (CaseType.newReferral.rawValue, "New referral"), (CaseType.openCase.rawValue, "Open case"),
            ]),
            urgency: {
                var choice = state.radios("urgency", "How urgent is the \(pack.meetingName)?",
                                          options: pack.request.urgencies.map { ($0.urgency.rawValue, $0.label) },
                                          hints: Dictionary(uniqueKeysWithValues: pack.request.urgencies.map { ($0.urgency.rawValue, $0.guidance ?? "") }))
                choice.legendSize = "m"
                return choice
            }(),
            agreedDue: state.date("agreedDue", "If “other”: the date and time agreed with the service manager",
                                  hint: "For example, 29 12 2026 and 10:00", withTime: true),
            urgencyRationale: state.field("urgencyRationale", "If “other”: the service manager’s rationale"),
            team: state.radios("team", "Team", options: teams.map { ($0.id!.slug, "\($0.name) (\($0.locality))") }),
            routing: pack.routing != nil,
            closedToSocialCareOn: state.date("closedToSocialCareOn", "If the child was closed to social care: when",
                                             hint: "Closed within the last \(Display.count((pack.routing?.previousTeamWithinDays ?? 56) / 7, "week")): the case goes back to the previous team"), // REQ-003-01
            previousTeam: state.radios("previousTeam", "The team that closed the child", options: [("", "Not known or not applicable")]
                + teams.map { ($0.id!.slug, $0.name) }),
            childArea: state.field("childArea", "The area where the child lives",
                                   hint: "A section 47 enquiry goes to the team covering it").with(width: "20"),
            harmArea: state.field("harmArea", "If the child lives in another authority’s area: where the harm happened").with(width: "20"),
            locality: state.field("locality", "Locality").with(width: "20"),
            allocatedSocialWorker: Self.person("allocatedSocialWorker", "Allocated social worker", start, state, roles: [.socialWorker],
                                               none: "Not yet allocated"),
            teamManager: Self.person("teamManager", "Team manager", start, state, roles: [.teamManager], none: "Choose the team manager"),
            serviceManager: Self.person("serviceManager", "Service manager", start, state, roles: [.serviceManager],
                                        none: "Choose the service manager"),
            concernReceivedAt: state.date("concernReceivedAt", "When was the referral or new information received?",
                                          hint: "The timescales count from here. UK time.", withTime: true),
            children: (0..<(rows["children"] ?? 1)).map { i in
                let p = "children[\(i)]"
                return ChildRow(
                    number: i + 1, name: state.field(p + ".name", "Full name"),
                    dateOfBirth: state.date(p + ".dateOfBirth", "Date of birth", hint: "For example, 27 3 2019"),
                    unborn: state.checkboxes(p + ".unborn", "Unborn child", options: [("yes", "This child is not yet born")]),
                    expectedDate: state.date(p + ".expectedDate", "Expected date of delivery (unborn child)"),
                    ethnicity: state.field(p + ".ethnicity", "Ethnicity").with(width: "20"),
                    disability: state.field(p + ".disability", "Disability", hint: "Leave blank if none known").with(width: "20"),
                    caseNumber: state.field(p + ".caseNumber", "Case number").with(width: "10"),
                    address: state.field(p + ".address", "Full address"),
                    circumstances: state.checkboxes(p + ".circumstances", "Circumstances", options: [
                        ("lookedAfter", "Looked after (in care)"), ("youthJusticeOpen", "Open, or recently closed, to youth justice"),
                        ("inPatient", "In hospital"),
                        ("hospitalServices", "Receiving, or recently received, services from a hospital or child development team"),
                    ]))
            },
            parentsCarers: Self.personRows(state, "parentsCarers", rows),
            otherChildren: Self.personRows(state, "otherChildren", rows),
            otherAdults: Self.personRows(state, "otherAdults", rows),
            checksRequested: state.field("checksRequested", "Specific checks required",
                                         hint: "For example, police intelligence, address check or health checks"),
            presentingIssue: state.field("presentingIssue", "Presenting issue").with(labelSize: "m"),
            incidentDate: state.date("incidentDate", "Date of the incident, if known"),
            rationale: state.field("rationale", "Why a \(pack.meetingName) is needed").with(labelSize: "m"),
            concerns: state.checkboxes("concerns", "Concerns", hint: "These decide who must attend",
                                       options: pack.concerns.filter { $0.id != "other" }.map { ($0.id, $0.name) }),
            flags: state.checkboxes("flags", "Timescales", options: [
                ("complex", "The concerns are particularly complicated (for example, complex abuse)"),
            ]),
            attendees: (0..<(rows["proposedAttendees"] ?? 0)).map { i in
                let p = "proposedAttendees[\(i)]"
                return AttendeeRow(
                    number: i + 1, name: state.field(p + ".name", "Name").with(width: "20"),
                    agency: state.radios(p + ".agency", "Agency", options: [("", "Choose the agency")]
                        + pack.agencies.map { ($0.id, $0.name) }),
                    role: state.field(p + ".role", "Role").with(width: "20"),
                    email: state.field(p + ".email", "Email address").with(type: "email", width: "20"))
            },
            rowsChildren: rows["children"] ?? 1, rowsParentsCarers: rows["parentsCarers"] ?? 0,
            rowsOtherChildren: rows["otherChildren"] ?? 0, rowsOtherAdults: rows["otherAdults"] ?? 0,
            rowsProposedAttendees: rows["proposedAttendees"] ?? 0)
    }

    static func personRows(_ state: FormState, _ list: String, _ rows: [String: Int]) -> [PersonRow] {
        (0..<(rows[list] ?? 0)).map { i in
            let p = "\(list)[\(i)]"
            return PersonRow(
                number: i + 1, name: state.field(p + ".name", "Full name").with(width: "20"),
                dateOfBirth: state.date(p + ".dateOfBirth", "Date of birth"),
                address: state.field(p + ".address", list == "parentsCarers" ? "Address, if different from the child’s" : "Full address"),
                caseNumber: state.field(p + ".caseNumber", "Case number, if known to children’s social care").with(width: "10"),
                checks: state.field(p + ".checks", "Checks requested", hint: "For example, police national computer check"))
        }
    }
}

extension RequestPage {
    /// A person named on the request, chosen from the authority's people with that role (issue
    /// 14); a name already on the request that is no longer among them stays a choice.
    static func person(_ name: String, _ label: String, _ start: Operations.RequestStart, _ state: FormState, roles: Set<Role>,
                       none: String) -> ChoiceContext {
        var names = start.people.filter { roles.contains($0.role) }.map(\.name)
        if let current = state.values[name], !current.isBlank, !names.contains(current) { names.insert(current, at: 0) }
        return state.radios(name, label, options: [("", none)] + names.map { ($0, $0) })
    }
}
