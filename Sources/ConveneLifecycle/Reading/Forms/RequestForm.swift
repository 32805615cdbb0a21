import ConveneCore
import Foundation

/// The request form (REQ-001-01) to and from a `DiscussionRequest`. Field names are the
/// request's own field paths (`children[0].name`), so validation errors land on their fields.
public enum RequestForm {
    public static let lists = ["children", "parentsCarers", "otherChildren", "otherAdults", "proposedAttendees"]

    /// The most rows a repeated section shows: more than any family needs, and a bound on a
    /// forged row count (ASVS-5.0-16.5.1).
    public static let maxRows = 30

    /// How many rows each repeated section shows: what was sent, plus one after "Add another".
    public static func rowCounts(_ form: FormData) -> [String: Int] {
        var counts: [String: Int] = [:]
        for list in lists {
            counts[list] = min(max(Int(form["rows." + list]) ?? (list == "children" ? 1 : 0), 0), maxRows)
        }
        if let add = form.values["add"]?.last, lists.contains(add) {
            counts[add] = min(counts[add, default: 0] + 1, maxRows)
        }
        return counts
    }

    public static func isBlankRow(_ form: FormData, _ prefix: String) -> Bool {
        !form.values.contains { key, values in key.hasPrefix(prefix + ".") && values.contains { !$0.isBlank } }
    }

    /// Reads the request; date problems are added to `checks`.
    public static func parse(_ form: FormData, rows: [String: Int], now: Date, checks: inout FieldChecks) -> DiscussionRequest {
        var request = DiscussionRequest(concernReceivedAt: now)
        request.caseType = CaseType(rawValue: form["caseType"]) ?? .newReferral
        if CaseType(rawValue: form["caseType"]) == nil {
            checks.fail("caseType", "Select whether this is a new referral or an open case")
        }
        if let urgency = Urgency(rawValue: form["urgency"]) {
            request.urgency = urgency
        } else {
            checks.fail("urgency", "Select how urgent the discussion is")
        }
        request.agreedDue = form.dateTime("agreedDue", label: "Agreed time", &checks)
        request.urgencyRationale = form["urgencyRationale"].trimmed
        request.locality = form["locality"].trimmed
        request.allocatedSocialWorker = form["allocatedSocialWorker"].trimmed
        request.teamManager = form["teamManager"].trimmed
        request.serviceManager = form["serviceManager"].trimmed
        if let received = form.dateTime("concernReceivedAt", label: "When the concern was received", &checks) {
            request.concernReceivedAt = received
        } else if !checks.errors.contains(where: { $0.field.description.hasPrefix("concernReceivedAt") }) {
            checks.fail("concernReceivedAt", "Enter when the referral or new information was received")
        }
        for i in 0..<(rows["children"] ?? 0) {
            let p = "children[\(i)]"
            if i > 0 && isBlankRow(form, p) { continue }
            let unborn = form.bool(p + ".unborn")
            request.children.append(ChildDetails(
                name: form[p + ".name"].trimmed,
                dateOfBirth: unborn ? nil : form.date(p + ".dateOfBirth", label: "Date of birth", &checks),
                unborn: unborn,
                expectedDate: unborn ? form.date(p + ".expectedDate", label: "Expected date of delivery", &checks) : nil,
                ethnicity: form[p + ".ethnicity"].trimmed, disability: form[p + ".disability"].trimmed,
                caseNumber: form[p + ".caseNumber"].trimmed, address: form[p + ".address"].trimmed,
                lookedAfter: form.all(p + ".circumstances").contains("lookedAfter"),
                youthJusticeOpen: form.all(p + ".circumstances").contains("youthJusticeOpen"),
                inPatient: form.all(p + ".circumstances").contains("inPatient"),
                hospitalServices: form.all(p + ".circumstances").contains("hospitalServices")))
        }
        for list in ["parentsCarers", "otherChildren", "otherAdults"] {
            for i in 0..<(rows[list] ?? 0) {
                let p = "\(list)[\(i)]"
                if isBlankRow(form, p) { continue }
                let person = RelatedPerson(
                    name: form[p + ".name"].trimmed, dateOfBirth: form.date(p + ".dateOfBirth", label: "Date of birth", &checks),
                    address: form[p + ".address"].trimmed, caseNumber: form[p + ".caseNumber"].trimmed,
                    checks: form[p + ".checks"].trimmed)
                switch list {
                case "parentsCarers": request.parentsCarers.append(person)
                case "otherChildren": request.otherChildren.append(person)
                default: request.otherAdults.append(person)
                }
            }
        }
        request.closedToSocialCareOn = form.date("closedToSocialCareOn", label: "The date the child was closed", &checks)
        request.previousTeamID = UUID(uuidString: form["previousTeam"])
        request.childArea = form["childArea"].trimmed.isEmpty ? nil : form["childArea"].trimmed
        request.harmArea = form["harmArea"].trimmed.isEmpty ? nil : form["harmArea"].trimmed
        request.checksRequested = form["checksRequested"].trimmed
        request.presentingIssue = form["presentingIssue"].trimmed
        request.incidentDate = form.date("incidentDate", label: "Date of the incident", &checks)
        request.rationale = form["rationale"].trimmed
        request.concerns = form.all("concerns")
        request.complex = form.all("flags").contains("complex")
        // Immediate safeguarding concerns are the urgency "immediate" (TIME-004-01): asked once.
        request.immediateConcerns = request.urgency == .immediate
        for i in 0..<(rows["proposedAttendees"] ?? 0) {
            let p = "proposedAttendees[\(i)]"
            if isBlankRow(form, p) { continue }
            request.proposedAttendees.append(ProposedAttendee(
                name: form[p + ".name"].trimmed, agency: form[p + ".agency"], role: form[p + ".role"].trimmed,
                email: form[p + ".email"].trimmed))
        }
        return request
    }

    /// The form's values for a stored request (to show it again, or to start a review).
    public static func values(_ request: DiscussionRequest) -> FormState {
        var state = FormState()
        state.values["caseType"] = request.caseType.rawValue
        state.values["urgency"] = request.urgency.rawValue
        state.setDateTime("agreedDue", request.agreedDue)
        state.values["urgencyRationale"] = request.urgencyRationale
        state.values["locality"] = request.locality
        state.values["allocatedSocialWorker"] = request.allocatedSocialWorker
        state.values["teamManager"] = request.teamManager
        state.values["serviceManager"] = request.serviceManager
        state.setDateTime("concernReceivedAt", request.concernReceivedAt)
        for (i, child) in request.children.enumerated() {
            let p = "children[\(i)]"
            state.values[p + ".name"] = child.name
            state.setDate(p + ".dateOfBirth", child.dateOfBirth)
            state.setDate(p + ".expectedDate", child.expectedDate)
            state.values[p + ".ethnicity"] = child.ethnicity
            state.values[p + ".disability"] = child.disability
            state.values[p + ".caseNumber"] = child.caseNumber
            state.values[p + ".address"] = child.address
            state.multi[p + ".circumstances"] = [child.lookedAfter ? "lookedAfter" : nil,
                                                 child.youthJusticeOpen ? "youthJusticeOpen" : nil,
                                                 child.inPatient ? "inPatient" : nil,
                                                 child.hospitalServices ? "hospitalServices" : nil].compactMap { $0 }
            state.multi[p + ".unborn"] = child.unborn ? ["yes"] : []
        }
        for (list, people) in [("parentsCarers", request.parentsCarers), ("otherChildren", request.otherChildren),
                               ("otherAdults", request.otherAdults)] {
            for (i, person) in people.enumerated() {
                let p = "\(list)[\(i)]"
                state.values[p + ".name"] = person.name
                state.setDate(p + ".dateOfBirth", person.dateOfBirth)
                state.values[p + ".address"] = person.address
                state.values[p + ".caseNumber"] = person.caseNumber
                state.values[p + ".checks"] = person.checks
            }
        }
        state.setDate("closedToSocialCareOn", request.closedToSocialCareOn)
        state.values["previousTeam"] = request.previousTeamID?.slug ?? ""
        state.values["childArea"] = request.childArea ?? ""
        state.values["harmArea"] = request.harmArea ?? ""
        state.values["checksRequested"] = request.checksRequested
        state.values["presentingIssue"] = request.presentingIssue
        state.setDate("incidentDate", request.incidentDate)
        state.values["rationale"] = request.rationale
        state.multi["concerns"] = request.concerns
        state.multi["flags"] = request.complex ? ["complex"] : []
        for (i, attendee) in request.proposedAttendees.enumerated() {
            let p = "proposedAttendees[\(i)]"
            state.values[p + ".name"] = attendee.name
            state.values[p + ".agency"] = attendee.agency
            state.values[p + ".role"] = attendee.role
            state.values[p + ".email"] = attendee.email
        }
        return state
    }
}
