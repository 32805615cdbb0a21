import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Step 6: SMART actions (ACT-ALL-01) and the safety plan (ACT-ALL-02), the summary of agreed
/// actions sent to the attendees (ACT-003-01), and progress updates by the responsible person.
enum ActionsController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("discussions", ":id", "actions", use: show)
        routes.post("discussions", ":id", "actions", use: add)
        routes.post("discussions", ":id", "actions", ":action", "cancel", use: cancel)
        routes.post("discussions", ":id", "actions", "monitoring", use: monitoring)
        routes.post("discussions", ":id", "actions", "summary", use: sendSummary)
        routes.get("actions", ":action", use: showAction)
        routes.post("actions", ":action", use: updateStatus)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        return try await render(req, loaded, state: ActionsPage.values(loaded))
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError] = []) async throws
        -> Response
    {
        let actions = try await RecordBuilder.actions(loaded.id, on: req.db)
        let people = try await Operations.invitedPeople(req.lifecycle, loaded)
        let page = ActionsPage(loaded, actions: actions, people: people, state: state, csrf: req.csrfToken, now: req.now)
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("actions", title: "Actions and safety plan", page, errors: errors,
                                  notification: done.map { .success($0) }, backLink: SiteURL.discussion(loaded.id).path)
    }

    @Sendable static func add(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        let form = try FormData(req)
        var checks = FieldChecks()
        let due = form.date("due", label: "The due date", &checks)
        let action = SmartAction(kind: SmartAction.Kind(rawValue: form["kind"]) ?? .action, term: SmartAction.Term(rawValue: form["term"]),
                                 what: form["what"].trimmed, owner: form["ownerName"].trimmed,
                                 ownerPersonID: UUID(uuidString: form["owner"]), agency: form["agency"], due: due,
                                 purpose: form["purpose"].trimmed, review: form["review"].trimmed, childID: UUID(uuidString: form["child"]))
        do {
            try checks.finish()
            _ = try await Operations.addAction(req.lifecycle, loaded, action)
        } catch let failure as ValidationFailure {
            return try await renderFailure(req, loaded, form, failure)
        }
        return back(req, loaded, form, done: action.kind == .safetyPlan ? "safety-plan-item" : "action")
    }

    @Sendable static func cancel(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        let form = try FormData(req)
        let actionID = try req.uuid("action")
        do {
            try await Operations.cancelAction(req.lifecycle, loaded, actionID: actionID,
                                              reason: form["reason"].isEmpty ? form["cancel." + actionID.slug + ".reason"] : form["reason"])
        } catch let failure as ValidationFailure {
            return try await renderFailure(req, loaded, form, failure)
        }
        return back(req, loaded, form, done: "action-cancelled")
    }

    /// The page the form came from again, with what stopped the change.
    static func renderFailure(_ req: Request, _ loaded: LoadedDiscussion, _ form: FormData, _ failure: ValidationFailure) async throws
        -> Response
    {
        let state = FormState(form: form, errors: failure.errors)
        if MeetingController.returnsToMeeting(form) {
            return try await MeetingController.renderMeeting(req, loaded, override: .actions(state), errors: failure.errors)
        }
        return try await render(req, loaded, state: state, errors: failure.errors)
    }

    /// After a change: back to the meeting page's actions, or to this page.
    static func back(_ req: Request, _ loaded: LoadedDiscussion, _ form: FormData, done: String, anchor: String = "actions") -> Response {
        if MeetingController.returnsToMeeting(form) {
            return req.redirect(to: MeetingController.meetingPath(loaded, done: done, anchor: anchor))
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .actions).path + "?done=" + done)
    }

    @Sendable static func monitoring(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        let form = try FormData(req)
        do {
            try await Operations.saveMonitoring(req.lifecycle, loaded, monitoredBy: form["monitoredBy"],
                                                safetyPlanNotRequiredReason: form["safetyPlanNotRequiredReason"],
                                                expectedVersion: form.expectedVersion())
        } catch let failure as ValidationFailure {
            return try await renderFailure(req, loaded, form, failure)
        }
        return back(req, loaded, form, done: "monitoring", anchor: "monitoring")
    }

    @Sendable static func sendSummary(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .recordMeeting)
        try await Operations.sendActionSummary(req.lifecycle, loaded)
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .actions).path + "?done=summary")
    }

    // MARK: Progress by the responsible person (ACT-ALL-03)

    @Sendable static func showAction(req: Request) async throws -> Response {
        let loaded = try await LoadedAction.load(try req.uuid("action"), req.lifecycle)
        return try await renderAction(req, loaded, state: FormState(values: ["status": loaded.action.status.rawValue,
                                                                             "note": loaded.action.statusNote]))
    }

    static func renderAction(_ req: Request, _ loaded: LoadedAction, state: FormState, errors: [InputError] = []) async throws
        -> Response
    {
        let discussion = loaded.discussion
        let pack = try await req.lifecycle.pack(ofOrganisation: discussion.organisationID)
        try await req.logRead(loaded.read(), discussion: discussion.id)
        let page = ActionPage(loaded, pack: pack, state: state, now: req.now)
        return try await req.page("action", title: "Action", page, errors: errors, backLink: SiteURL.myWork.path)
    }

    @Sendable static func updateStatus(req: Request) async throws -> Response {
        let actionID = try req.uuid("action")
        let form = try FormData(req)
        do {
            try await Operations.updateActionStatus(req.lifecycle, actionID: actionID, status: SmartAction.Status(rawValue: form["status"]),
                                                    note: form["note"])
        } catch let failure as ValidationFailure {
            let loaded = try await LoadedAction.load(actionID, req.lifecycle)
            return try await renderAction(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.action(actionID).path)
    }
}
