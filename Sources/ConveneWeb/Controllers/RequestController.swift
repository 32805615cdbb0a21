import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Step 1: the request for a strategy discussion (REQ-001-01), made by a social worker or
/// manager, which the team manager then decides on (REQ-001-02).
enum RequestController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("discussions", "new", use: new)
        routes.post("discussions", use: create)
    }

    @Sendable static func new(req: Request) async throws -> Response {
        let start = try await Operations.startRequest(req.lifecycle)
        var state = FormState()
        state.values["team"] = start.team?.id?.slug ?? ""
        state.values["locality"] = start.team?.locality ?? ""
        state.values["allocatedSocialWorker"] = start.allocatedSocialWorker.isEmpty ? nil : start.allocatedSocialWorker
        state.values["teamManager"] = start.teamManager
        state.values["serviceManager"] = start.serviceManager
        state.setDateTime("concernReceivedAt", req.now)
        let rows = ["children": 1, "parentsCarers": 1, "otherChildren": 0, "otherAdults": 0, "proposedAttendees": 0]
        return try await render(req, start, state: state, rows: rows)
    }

    static func render(_ req: Request, _ start: Operations.RequestStart, state: FormState, rows: [String: Int],
                       errors: [InputError] = []) async throws -> Response {
        let page = RequestPage(start, state: state, rows: rows)
        return try await req.page("request-new", title: "Request a \(start.pack.meetingName)", page, errors: errors,
                                  backLink: SiteURL.myWork.path)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let start = try await Operations.startRequest(req.lifecycle)
        let form = try FormData(req)
        var rows = RequestForm.rowCounts(form)
        // "Add another" and "Remove" re-show the form without saving (works without JavaScript).
        if form.has("add") {
            return try await render(req, start, state: FormState(form: form, errors: []), rows: rows)
        }
        var checks = FieldChecks()
        let request = RequestForm.parse(form, rows: rows, now: req.now, checks: &checks)
        do {
            let id = try await Operations.createRequest(req.lifecycle, request: request, teamID: UUID(uuidString: form["team"]),
                                                        formErrors: checks.errors)
            return req.redirect(to: SiteURL.discussion(id).path + "?done=requested")
        } catch let failure as ValidationFailure {
            rows["children"] = max(rows["children"] ?? 1, 1)
            // The concerns are one group of checkboxes: an error on one of them belongs to the group.
            let all = failure.errors.map { $0.field.description.hasPrefix("concerns[") ? InputError(field: FieldPath("concerns"), $0.message) : $0 }
            let errors = dedupe(all)
            return try await render(req, start, state: FormState(form: form, errors: errors), rows: rows, errors: errors)
        }
    }

    /// One message per field: the first problem found is the one to fix.
    static func dedupe(_ errors: [InputError]) -> [InputError] {
        var seen = Set<String>()
        return errors.filter { seen.insert($0.field.htmlID).inserted }
    }
}
