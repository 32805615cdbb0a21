import ConveneAPI
import ConveneCore
import Foundation

// The request for a strategy discussion (REQ-001-01): API ⇄ domain.

/// Calendar dates arrive as `YYYY-MM-DD` text; a date that is not real is a field error.
enum APIDates {
    static func parse(_ text: String?, _ field: FieldPath, _ checks: inout FieldChecks) -> LocalDate? {
        guard let text else { return nil }
        guard let date = LocalDate(text) else {
            checks.fail(field, "must be a real date written YYYY-MM-DD, like 2019-03-14")
            return nil
        }
        guard date.isPlausible else {
            checks.fail(field, "must be a date from \(LocalDate.plausibleYears.lowerBound) to \(LocalDate.plausibleYears.upperBound)")
            return nil
        }
        return date
    }
}

extension DiscussionRequest {
    /// The request as sent; unreadable dates are added to `checks` (the request's own rules
    /// are applied by `Operations.createRequest`).
    init(_ body: Schemas.DiscussionRequest, checks: inout FieldChecks) throws {
        self.init(concernReceivedAt: body.concernReceivedAt)
        caseType = try body.caseType?.term() ?? .newReferral
        urgency = try body.urgency.term()
        agreedDue = body.agreedDue
        urgencyRationale = body.urgencyRationale ?? ""
        locality = body.locality
        allocatedSocialWorker = body.allocatedSocialWorker
        teamManager = body.teamManager
        serviceManager = body.serviceManager
        children = body.children.enumerated().map { i, child in
            ChildDetails(child, path: FieldPath("children").index(i), checks: &checks)
        }
        parentsCarers = Self.people(body.parentsCarers, "parentsCarers", &checks)
        otherChildren = Self.people(body.otherChildren, "otherChildren", &checks)
        otherAdults = Self.people(body.otherAdults, "otherAdults", &checks)
        checksRequested = body.checksRequested ?? ""
        presentingIssue = body.presentingIssue
        incidentDate = APIDates.parse(body.incidentDate, "incidentDate", &checks)
        rationale = body.rationale
        concerns = body.concerns ?? []
        complex = body.complex ?? false
        immediateConcerns = body.immediateConcerns ?? false
        closedToSocialCareOn = APIDates.parse(body.closedToSocialCareOn, "closedToSocialCareOn", &checks)
        previousTeamID = body.previousTeam
        childArea = body.childArea
        harmArea = body.harmArea
        proposedAttendees = (body.proposedAttendees ?? []).map {
            ProposedAttendee(name: $0.name, agency: $0.agency, role: $0.role ?? "", email: $0.email ?? "")
        }
    }

    private static func people(_ list: [Schemas.RelatedPerson]?, _ name: String, _ checks: inout FieldChecks) -> [RelatedPerson] {
        (list ?? []).enumerated().map { i, p in
            RelatedPerson(name: p.name, dateOfBirth: APIDates.parse(p.dateOfBirth, FieldPath(name).index(i).appending("dateOfBirth"), &checks),
                          address: p.address ?? "", caseNumber: p.caseNumber ?? "", checks: p.checks ?? "")
        }
    }
}

extension ChildDetails {
    /// A new child gets its id here; it is the id used by decisions and actions afterwards.
    init(_ child: Schemas.NewChild, path: FieldPath, checks: inout FieldChecks) {
        self.init(name: child.name, dateOfBirth: APIDates.parse(child.dateOfBirth, path.appending("dateOfBirth"), &checks),
                  unborn: child.unborn ?? false,
                  expectedDate: APIDates.parse(child.expectedDate, path.appending("expectedDate"), &checks),
                  ethnicity: child.ethnicity ?? "", disability: child.disability ?? "", caseNumber: child.caseNumber ?? "",
                  address: child.address ?? "", lookedAfter: child.lookedAfter ?? false,
                  youthJusticeOpen: child.youthJusticeOpen ?? false, inPatient: child.inPatient ?? false,
                  hospitalServices: child.hospitalServices ?? false)
    }
}

extension Schemas.RelatedPerson {
    init(_ p: RelatedPerson) {
        self.init(name: p.name, dateOfBirth: p.dateOfBirth?.description, address: p.address, caseNumber: p.caseNumber,
                  checks: p.checks)
    }
}

extension Schemas.RequestDetails {
    init(_ r: DiscussionRequest) throws {
        self.init(
            caseType: try r.caseType.term(), urgency: try r.urgency.term(), agreedDue: r.agreedDue,
            urgencyRationale: r.urgencyRationale, locality: r.locality, allocatedSocialWorker: r.allocatedSocialWorker,
            teamManager: r.teamManager, serviceManager: r.serviceManager, concernReceivedAt: r.concernReceivedAt,
            children: r.children.map(Schemas.Child.init), parentsCarers: r.parentsCarers.map(Schemas.RelatedPerson.init),
            otherChildren: r.otherChildren.map(Schemas.RelatedPerson.init),
            otherAdults: r.otherAdults.map(Schemas.RelatedPerson.init), checksRequested: r.checksRequested,
            presentingIssue: r.presentingIssue, incidentDate: r.incidentDate?.description, rationale: r.rationale,
            concerns: r.concerns, complex: r.complex, immediateConcerns: r.immediateConcerns,
            proposedAttendees: r.proposedAttendees.map { .init(name: $0.name, agency: $0.agency, role: $0.role, email: $0.email) })
    }
}
